import * as pulumi from "@pulumi/pulumi";
import * as cloudtrail from "@pulumi/aws/cloudtrail";
import type { AccessLogTarget } from "./bucket-chain";
import {
  cloudTrailBucketStatements,
  cloudTrailKeyStatements,
  dataEventSelectors,
  trailArn,
} from "./audit-policies";
import { LakeKey } from "./lake-key";
import { SecureBucket } from "./secure-bucket";
import {
  componentOptions,
  throwIfProblems,
  validateBucketNameField,
  validateObjectLock,
} from "./validation";

/** Arguments of {@link AuditTrail}. */
export interface AuditTrailArgs {
  /** The trail's name (3–128 letters, digits, `.`, `_`, `-`), e.g. `hdp-acme-prod-phi-access`. */
  readonly trailName: string;
  /** Global name of the audit bucket (no dots). */
  readonly bucketName: string;
  /** Alias of the audit key, e.g. `alias/hdp-acme/prod/audit`. */
  readonly keyAliasName: string;
  /** The account of the trail, the bucket and the key (a plain string: it is in the trail ARN). */
  readonly accountId: string;
  /** The trail's home region. */
  readonly region: string;
  /**
   * Buckets whose object-level calls are not recorded: the access-log targets (their log
   * deliveries would otherwise be recorded, delivered and logged again). Every other bucket of
   * the account, PHI buckets included, is recorded; the audit bucket is always left out.
   * @default []
   */
  readonly excludedBucketNames?: readonly string[];
  /** Days each audit record is locked in COMPLIANCE mode (nobody, root included, can shorten it). */
  readonly retentionDays: number;
  /** Where the audit bucket's own server access logs go. */
  readonly accessLogs: AccessLogTarget;
  readonly tags?: Readonly<Record<string, string>>;
}

const TRAIL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;

/** Every problem with {@link AuditTrailArgs} that can be seen before deploy. */
export function validateAuditTrailArgs(args: AuditTrailArgs): string[] {
  return [
    ...(TRAIL_NAME.test(args.trailName) && !/[._-]{2}/.test(args.trailName)
      ? []
      : [
          `trailName "${args.trailName}" must be 3-128 letters, digits, ".", "_" or "-", starting and ending with a letter or digit`,
        ]),
    ...(/^\d{12}$/.test(args.accountId) ? [] : [`accountId "${args.accountId}" must be 12 digits`]),
    ...validateBucketNameField(args.bucketName),
    ...(args.excludedBucketNames ?? []).flatMap((b, i) =>
      validateBucketNameField(b, `excludedBucketNames[${i}]`),
    ),
    ...validateObjectLock({ mode: "COMPLIANCE", days: args.retentionDays }, "retentionDays"),
  ];
}

/**
 * Who read which PHI object, kept where nobody can erase it: a multi-region CloudTrail trail with
 * S3 data events for every bucket of the account but the log buckets, and log-file validation, encrypted with its own KMS key,
 * delivering to an audit bucket under S3 Object Lock in COMPLIANCE mode for `retentionDays`.
 * The bucket policy and key policy admit CloudTrail for this trail only (`aws:SourceArn`); the
 * trail waits for both. The bucket, its lock and the trail are stateful: deleting any of them
 * loses or stops the evidence.
 */
export class AuditTrail extends pulumi.ComponentResource {
  public readonly key: LakeKey;
  public readonly bucket: SecureBucket;
  public readonly trail: cloudtrail.Trail;
  public readonly trailArn: pulumi.Output<string>;
  public readonly bucketName: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:lake:AuditTrail", name, {}, componentOptions(opts));
    throwIfProblems("AuditTrail", name, validateAuditTrailArgs(args));
    // Stateful by default: the caller's resource options may turn it off (dev).
    const stateful = {
      parent: this,
      protect: opts?.protect ?? true,
      retainOnDelete: opts?.retainOnDelete ?? true,
    };
    const tags = args.tags !== undefined ? { tags: args.tags } : {};
    const arn = trailArn(args.region, args.accountId, args.trailName);

    this.key = new LakeKey(
      `${name}-key`,
      {
        accountId: args.accountId,
        aliasName: args.keyAliasName,
        description: `Audit trail ${args.trailName}`,
        policyStatements: cloudTrailKeyStatements({ accountId: args.accountId, trailArn: arn }),
        ...tags,
      },
      stateful,
    );
    this.bucket = new SecureBucket(
      `${name}-bucket`,
      {
        bucketName: args.bucketName,
        kmsKeyArn: this.key.keyArn,
        accessLogs: args.accessLogs,
        objectLock: { mode: "COMPLIANCE", days: args.retentionDays },
        // Versions cannot go before their lock ends; the rule only tidies up afterwards.
        noncurrentVersionExpirationDays: args.retentionDays,
        policyStatements: cloudTrailBucketStatements({
          bucketArn: `arn:aws:s3:::${args.bucketName}`,
          accountId: args.accountId,
          trailArn: arn,
        }),
        ...tags,
      },
      stateful,
    );
    this.trail = new cloudtrail.Trail(
      `${name}-trail`,
      {
        name: args.trailName,
        s3BucketName: this.bucket.bucketName,
        kmsKeyId: this.key.keyArn,
        enableLogFileValidation: true,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogging: true,
        advancedEventSelectors: dataEventSelectors([
          args.bucketName,
          ...(args.excludedBucketNames ?? []),
        ]),
        tags: { ...args.tags },
      },
      {
        ...stateful,
        // CloudTrail checks at creation that it may write to the bucket and use the key.
        dependsOn: [...this.bucket.settings, this.key],
      },
    );
    this.trailArn = this.trail.arn;
    this.bucketName = this.bucket.bucketName;
    this.kmsKeyArn = this.key.keyArn;
    this.registerOutputs({
      trailArn: this.trailArn,
      bucketName: this.bucketName,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}

import { componentOptions } from "./validation";
import * as pulumi from "@pulumi/pulumi";
import type * as s3 from "@pulumi/aws/s3";
import { createBucketChain, type AccessLogTarget } from "./bucket-chain";
import { validateLifecyclePolicy, type LifecyclePolicy, type TransitionRule } from "./lifecycle";
import { denyLogDeletionStatement } from "./audit-policies";
import { logDeliveryStatement, policyDocument, tlsOnlyStatement } from "./policies";
import { throwIfProblems, validateBucketNameField } from "./validation";

/** Arguments of {@link AccessLogBucket}. */
export interface AccessLogBucketArgs {
  /** The log bucket's global S3 name (see `lakeBucketName` with layer `logs`). */
  readonly bucketName: string;
  /** The account of the log bucket and of every source bucket (`aws:SourceAccount`). */
  readonly accountId: pulumi.Input<string>;
  /**
   * ARNs of the buckets allowed to deliver logs here (`aws:SourceArn`, `ArnLike`: wildcards
   * allowed). At least one. A bucket missing here has its logs silently dropped.
   */
  readonly sourceBucketArns: readonly pulumi.Input<string>[];
  /**
   * Days a log object is kept.
   * @default 2190 (six years, the HIPAA documentation retention period)
   */
  readonly retentionDays?: number;
  /**
   * Days a noncurrent log version is kept (logs are written once; this only cleans up).
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Transitions of log objects to colder storage, by key prefix.
   * @default []
   */
  readonly transitionRules?: readonly TransitionRule[];
  /** Tags for the bucket; `hdp:bucket-role = access-logs` is added. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The defaults of {@link AccessLogBucket}, in one place. */
export const ACCESS_LOG_BUCKET_DEFAULTS = {
  retentionDays: 2190,
  noncurrentVersionExpirationDays: 30,
  abortIncompleteMultipartUploadDays: 7,
  protect: true,
  retainOnDelete: true,
} as const;

function accessLogLifecycle(args: AccessLogBucketArgs): LifecyclePolicy {
  const d = ACCESS_LOG_BUCKET_DEFAULTS;
  return {
    noncurrentVersionExpirationDays:
      args.noncurrentVersionExpirationDays ?? d.noncurrentVersionExpirationDays,
    abortIncompleteMultipartUploadDays: d.abortIncompleteMultipartUploadDays,
    expirationDays: args.retentionDays ?? d.retentionDays,
    transitionRules: args.transitionRules ?? [],
  };
}

/** Every problem with {@link AccessLogBucketArgs} that can be seen before deploy. */
export function validateAccessLogBucketArgs(args: AccessLogBucketArgs): string[] {
  return [
    ...validateBucketNameField(args.bucketName),
    ...validateLifecyclePolicy(accessLogLifecycle(args), "lifecycle"),
    ...(args.sourceBucketArns.length === 0
      ? ["sourceBucketArns is empty: no bucket could deliver its access logs"]
      : []),
  ];
}

/**
 * The target of S3 server access logging. It differs from {@link SecureBucket} where AWS
 * requires it: default encryption is SSE-S3 (AES256) because S3 cannot deliver server access
 * logs to SSE-KMS buckets; no object lock (not allowed on log targets); no access logging of
 * its own (logging into itself would loop); and its one bucket policy, besides the TLS-only
 * deny, lets `logging.s3.amazonaws.com` put objects for the listed source buckets of the
 * account only and denies deleting log objects to everyone (the protection object lock would
 * give, which S3 does not allow on a log target; the lifecycle still expires them). Versioning, public-access blocks and `BucketOwnerEnforced` are as everywhere.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
  public readonly bucket: s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  /** Every sub-resource; the source buckets' logging depends on these. */
  public readonly settings: readonly pulumi.CustomResource[];

  constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:lake:AccessLogBucket", name, {}, componentOptions(opts));
    throwIfProblems("AccessLogBucket", name, validateAccessLogBucketArgs(args));
    const d = ACCESS_LOG_BUCKET_DEFAULTS;

    const chain = createBucketChain(
      name,
      {
        bucketName: args.bucketName,
        encryption: "AES256",
        policy: (bucketArn) =>
          pulumi
            .all([bucketArn, pulumi.output(args.accountId), pulumi.all([...args.sourceBucketArns])])
            .apply(([arn, accountId, sources]) =>
              policyDocument([
                tlsOnlyStatement(arn),
                logDeliveryStatement({ logBucketArn: arn, sourceBucketArns: sources, accountId }),
                denyLogDeletionStatement(arn),
              ]),
            ),
        lifecycle: accessLogLifecycle(args),
        tags: { ...args.tags, "hdp:bucket-role": "access-logs" },
        protect: opts?.protect ?? d.protect,
        retainOnDelete: opts?.retainOnDelete ?? d.retainOnDelete,
      },
      this,
    );
    this.bucket = chain.bucket;
    this.settings = chain.settings;
    this.bucketName = chain.bucket.bucket;
    this.bucketArn = chain.bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }

  /** This bucket as the logging target of a {@link SecureBucket}. */
  public asTarget(prefix?: string): AccessLogTarget {
    return {
      bucketName: this.bucketName,
      dependsOn: this.settings,
      ...(prefix !== undefined ? { prefix } : {}),
    };
  }
}

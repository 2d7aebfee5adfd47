import { componentOptions } from "./validation";
import * as pulumi from "@pulumi/pulumi";
import type * as s3 from "@pulumi/aws/s3";
import { createBucketChain, type AccessLogTarget, type ObjectLockRetention } from "./bucket-chain";
import { validateLifecyclePolicy, type LifecyclePolicy, type TransitionRule } from "./lifecycle";
import {
  policyDocument,
  sortBySid,
  publicStatementProblems,
  tlsOnlyStatement,
  validatePolicyStatements,
  type PolicyStatementInput,
  type PolicyStatementJson,
} from "./policies";
import {
  refuseInsecure,
  throwIfProblems,
  validateBucketNameField,
  validateKmsKeyArn,
  validateObjectLock,
} from "./validation";

/** Arguments of {@link SecureBucket}. */
export interface SecureBucketArgs {
  /**
   * The bucket's global S3 name (see `lakeBucketName`). A plain string so it is validated
   * before deploy: S3's rules and no dots (Unity Catalog).
   */
  readonly bucketName: string;
  /** ARN of the KMS key for SSE-KMS (with an S3 bucket key). Not an alias. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Where server access logs go (an {@link AccessLogBucket}'s `asTarget()`). Required. */
  readonly accessLogs: AccessLogTarget;
  /**
   * Days a version is kept after it becomes noncurrent. Delta layers should keep ≤ 7.
   * @default 30
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days before unfinished multipart uploads are aborted.
   * @default 7
   */
  readonly abortIncompleteMultipartUploadDays?: number;
  /**
   * Transitions of current objects to colder storage, by key prefix.
   * @default [] (objects stay in STANDARD)
   */
  readonly transitionRules?: readonly TransitionRule[];
  /**
   * S3 Object Lock default retention. Audit buckets only: it cannot be switched off, and it
   * blocks Delta `VACUUM`.
   * @default undefined (no object lock)
   */
  readonly objectLock?: ObjectLockRetention;
  /**
   * Extra bucket-policy statements, merged into the bucket's one policy after the TLS-only deny.
   * Sids must be unique. An `Allow` to everyone (principal `"*"` or `{ AWS: "*" }`) without a
   * condition narrowing who (e.g. `aws:SourceArn`) is refused unless `acceptInsecure` lists
   * `s3-bucket-no-public-grants`.
   * @default []
   */
  readonly policyStatements?: readonly PolicyStatementInput[];
  /**
   * Policy-pack rules whose finding this bucket knowingly accepts (`s3-bucket-no-public-grants`
   * for a public statement); without them such options are refused at construction, and the
   * pack still reports them. @default []
   */
  readonly acceptInsecure?: readonly string[];
  /** Tags for the bucket (owner, domain, data-classification, environment, cost-center). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The secure defaults of {@link SecureBucket}, in one place. */
export const SECURE_BUCKET_DEFAULTS = {
  noncurrentVersionExpirationDays: 30,
  abortIncompleteMultipartUploadDays: 7,
  protect: true,
  retainOnDelete: true,
} as const;

/** Every problem with {@link SecureBucketArgs} that can be seen before deploy. */
export function validateSecureBucketArgs(args: SecureBucketArgs): string[] {
  return [
    ...validateBucketNameField(args.bucketName),
    ...validateKmsKeyArn(args.kmsKeyArn, "kmsKeyArn"),
    ...validateLifecyclePolicy(secureBucketLifecycle(args), "lifecycle"),
    ...validateObjectLock(args.objectLock),
    ...validatePolicyStatements(args.policyStatements ?? [], "policyStatements", false),
    ...publicStatementProblems(args.policyStatements ?? []).flatMap((p) =>
      refuseInsecure(
        `policyStatements[${p.sid}]`,
        "s3-bucket-no-public-grants",
        p.message,
        args.acceptInsecure,
      ),
    ),
  ];
}

function secureBucketLifecycle(args: SecureBucketArgs): LifecyclePolicy {
  const d = SECURE_BUCKET_DEFAULTS;
  return {
    noncurrentVersionExpirationDays:
      args.noncurrentVersionExpirationDays ?? d.noncurrentVersionExpirationDays,
    abortIncompleteMultipartUploadDays:
      args.abortIncompleteMultipartUploadDays ?? d.abortIncompleteMultipartUploadDays,
    transitionRules: args.transitionRules ?? [],
  };
}

/**
 * One S3 bucket with everything a bucket of the platform needs: versioning, SSE-KMS with a
 * bucket key, all four public-access blocks, `BucketOwnerEnforced`, a TLS-only policy, server
 * access logging, a lifecycle configuration, and (for audit buckets) object lock. The
 * sub-resources are chained with `dependsOn`; MWAA and others depend on {@link settings}.
 */
export class SecureBucket extends pulumi.ComponentResource {
  public readonly bucket: s3.Bucket;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  /** Every sub-resource (policy, encryption, …): depend on these before using the bucket. */
  public readonly settings: readonly pulumi.CustomResource[];

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:lake:SecureBucket", name, {}, componentOptions(opts));
    throwIfProblems("SecureBucket", name, validateSecureBucketArgs(args));
    const extra = args.policyStatements ?? [];

    const chain = createBucketChain(
      name,
      {
        bucketName: args.bucketName,
        encryption: { kmsKeyArn: args.kmsKeyArn },
        ...(args.objectLock !== undefined ? { objectLock: args.objectLock } : {}),
        policy: (bucketArn) =>
          pulumi.all([bucketArn, pulumi.output(extra)]).apply(([arn, resolved]) =>
            policyDocument([
              tlsOnlyStatement(arn),
              // pulumi.output() resolved every Input inside the statements.
              ...sortBySid(resolved as unknown as PolicyStatementJson[]),
            ]),
          ),
        accessLogs: args.accessLogs,
        lifecycle: secureBucketLifecycle(args),
        ...(args.tags !== undefined ? { tags: args.tags } : {}),
        protect: opts?.protect ?? SECURE_BUCKET_DEFAULTS.protect,
        retainOnDelete: opts?.retainOnDelete ?? SECURE_BUCKET_DEFAULTS.retainOnDelete,
      },
      this,
    );
    this.bucket = chain.bucket;
    this.settings = chain.settings;
    this.bucketName = chain.bucket.bucket;
    this.bucketArn = chain.bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}

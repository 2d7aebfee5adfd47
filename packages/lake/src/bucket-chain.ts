/**
 * The resources of one bucket, shared by {@link SecureBucket} and {@link AccessLogBucket}.
 *
 * S3 answers 409 `OperationAborted` when sub-resources of one bucket are changed concurrently
 * (pulumi-aws#1570), so each sub-resource depends on the one before it: a chain, not a fan-out.
 * Every link carries the bucket's `protect`/`retainOnDelete`: otherwise destroying a protected
 * or retained bucket would first strip its policy, encryption and public-access block.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import { lifecycleRules, type LifecyclePolicy } from "./lifecycle";

/** Default retention of S3 Object Lock (audit buckets only). */
export interface ObjectLockRetention {
  /**
   * `GOVERNANCE` lets principals with `s3:BypassGovernanceRetention` shorten it; `COMPLIANCE`
   * cannot be shortened by anyone, root included, until it expires.
   */
  readonly mode: "GOVERNANCE" | "COMPLIANCE";
  /** Days each new object version is locked. */
  readonly days: number;
}

/** Where a bucket's server access logs go. */
export interface AccessLogTarget {
  /** Name of the log bucket (same account and region, SSE-S3, no object lock). */
  readonly bucketName: pulumi.Input<string>;
  /**
   * Key prefix of this bucket's logs in the log bucket.
   * @default `<bucket name>/`
   */
  readonly prefix?: string;
  /** Resources that must exist before logging starts, e.g. the log bucket's policy. */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** What {@link createBucketChain} builds. */
export interface BucketChainSpec {
  readonly bucketName: string;
  /** SSE-KMS with this key (and an S3 bucket key), or SSE-S3. */
  readonly encryption: { readonly kmsKeyArn: pulumi.Input<string> } | "AES256";
  readonly objectLock?: ObjectLockRetention;
  /** The one bucket policy, from the bucket's ARN. */
  readonly policy: (bucketArn: pulumi.Output<string>) => pulumi.Input<string>;
  readonly accessLogs?: AccessLogTarget;
  readonly lifecycle: LifecyclePolicy;
  readonly tags?: Readonly<Record<string, string>>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

/** The bucket and its settings, in creation order. */
export interface BucketChain {
  readonly bucket: s3.Bucket;
  readonly settings: readonly pulumi.CustomResource[];
}

/** Creates the bucket and its chained sub-resources as children of `parent`. */
export function createBucketChain(
  name: string,
  spec: BucketChainSpec,
  parent: pulumi.Resource,
): BucketChain {
  const base = { parent, protect: spec.protect, retainOnDelete: spec.retainOnDelete };
  const bucket = new s3.Bucket(
    `${name}-bucket`,
    {
      bucket: spec.bucketName,
      forceDestroy: false,
      // Object lock can only be switched on when the bucket is created.
      ...(spec.objectLock !== undefined ? { objectLockEnabled: true } : {}),
      tags: { ...spec.tags },
    },
    base,
  );
  const settings: pulumi.CustomResource[] = [];
  const after = (extra: readonly pulumi.Resource[] = []): pulumi.CustomResourceOptions => ({
    ...base,
    dependsOn: [settings[settings.length - 1] ?? bucket, ...extra],
  });
  const id = bucket.id;

  settings.push(
    new s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      after(),
    ),
  );
  settings.push(
    new s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      {
        bucket: id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      after(),
    ),
  );
  settings.push(
    new s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: id, versioningConfiguration: { status: "Enabled" } },
      after(),
    ),
  );
  settings.push(
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: id,
        rules: [
          spec.encryption === "AES256"
            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
            : {
                applyServerSideEncryptionByDefault: {
                  sseAlgorithm: "aws:kms",
                  kmsMasterKeyId: spec.encryption.kmsKeyArn,
                },
                bucketKeyEnabled: true,
              },
        ],
      },
      after(),
    ),
  );
  if (spec.objectLock !== undefined) {
    settings.push(
      new s3.BucketObjectLockConfiguration(
        `${name}-object-lock`,
        {
          bucket: id,
          objectLockEnabled: "Enabled",
          rule: { defaultRetention: { mode: spec.objectLock.mode, days: spec.objectLock.days } },
        },
        after(),
      ),
    );
  }
  settings.push(
    new s3.BucketPolicy(`${name}-policy`, { bucket: id, policy: spec.policy(bucket.arn) }, after()),
  );
  const logs = spec.accessLogs;
  if (logs !== undefined) {
    settings.push(
      new s3.BucketLogging(
        `${name}-logging`,
        {
          bucket: id,
          targetBucket: logs.bucketName,
          targetPrefix: logs.prefix ?? `${spec.bucketName}/`,
          targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        },
        after(logs.dependsOn),
      ),
    );
  }
  settings.push(
    new s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: id,
        rules: lifecycleRules(spec.lifecycle).map(({ transitions, ...r }) => ({
          ...r,
          ...(transitions !== undefined ? { transitions: [...transitions] } : {}),
        })),
      },
      after(),
    ),
  );
  return { bucket, settings };
}

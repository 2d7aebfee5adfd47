import { componentOptions } from "./validation";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogBucket } from "./access-log-bucket";
import { LakeKey } from "./lake-key";
import { planLakeBuckets, type LakeBucketsArgs, type PlannedBucket } from "./lake-plan";
import { LAKE_LAYERS, tablePrefix, type LakeLayer } from "./naming";
import { SecureBucket } from "./secure-bucket";
import { throwIfProblems } from "./validation";

/**
 * The buckets of one data domain: landing, bronze, silver and gold (Delta Lake layers), an
 * optional object-locked audit bucket, the access-log bucket they all log to, and a KMS key
 * (created here with rotation on, or passed in). Tables share the layer buckets by prefix
 * (`<source>/<table>/`, see {@link tableUri}); there is never a bucket per table.
 *
 * Every bucket, the key and their settings are `protect`ed and `retainOnDelete` by default
 * (production-safe); pass the `protect: false` and `retainOnDelete: false` resource options in
 * throwaway environments.
 */
export class LakeBuckets extends pulumi.ComponentResource {
  /** The layer buckets. */
  public readonly buckets: Readonly<Record<LakeLayer, SecureBucket>>;
  public readonly bucketNames: Readonly<Record<LakeLayer, pulumi.Output<string>>>;
  public readonly bucketArns: Readonly<Record<LakeLayer, pulumi.Output<string>>>;
  /** The object-locked audit bucket, when `audit` was given. */
  public readonly auditBucket: SecureBucket | undefined;
  public readonly accessLogBucket: AccessLogBucket;
  /** The key created here; undefined when `kmsKeyArn` was passed in. */
  public readonly key: LakeKey | undefined;
  public readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: LakeBucketsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:lake:LakeBuckets", name, {}, componentOptions(opts));
    const plan = planLakeBuckets(args);
    throwIfProblems("LakeBuckets", name, plan.problems);
    const common = args.tags !== undefined ? { tags: args.tags } : {};
    // Pulumi passes `protect` down to children, not `retainOnDelete`: both are given explicitly.
    const childOpts = {
      parent: this,
      protect: opts?.protect ?? true,
      retainOnDelete: opts?.retainOnDelete ?? true,
    };

    this.key =
      args.kmsKeyArn === undefined
        ? new LakeKey(
            `${name}-key`,
            {
              accountId: args.accountId,
              aliasName: plan.keyAlias,
              description: `Lake key of ${args.domain} (${args.environment})`,
              ...(args.key?.deletionWindowInDays !== undefined
                ? { deletionWindowInDays: args.key.deletionWindowInDays }
                : {}),
              ...common,
            },
            childOpts,
          )
        : undefined;
    this.kmsKeyArn = this.key?.keyArn ?? pulumi.output(args.kmsKeyArn as pulumi.Input<string>);

    // Source ARNs are built from the planned names, so the log bucket's policy does not wait
    // for (or cycle with) the buckets that log into it.
    this.accessLogBucket = new AccessLogBucket(
      `${name}-logs`,
      {
        bucketName: plan.logBucketName,
        accountId: args.accountId,
        sourceBucketArns: [
          ...plan.buckets.map((b) => `arn:aws:s3:::${b.bucketName}`),
          ...(args.accessLogs?.additionalSourceBucketArns ?? []),
        ],
        ...(args.accessLogs?.retentionDays !== undefined
          ? { retentionDays: args.accessLogs.retentionDays }
          : {}),
        ...common,
      },
      childOpts,
    );

    const make = (b: PlannedBucket): SecureBucket =>
      new SecureBucket(
        `${name}-${b.role}`,
        {
          bucketName: b.bucketName,
          kmsKeyArn: this.kmsKeyArn,
          accessLogs: this.accessLogBucket.asTarget(),
          noncurrentVersionExpirationDays: b.noncurrentVersionExpirationDays,
          abortIncompleteMultipartUploadDays: b.abortIncompleteMultipartUploadDays,
          transitionRules: b.transitionRules,
          policyStatements: b.policyStatements,
          ...(b.objectLock !== undefined ? { objectLock: b.objectLock } : {}),
          ...common,
        },
        childOpts,
      );
    const planned = new Map(plan.buckets.map((b) => [b.role, b]));
    const layerBucket = (layer: LakeLayer): SecureBucket =>
      make(planned.get(layer) as PlannedBucket);
    this.buckets = Object.fromEntries(LAKE_LAYERS.map((l) => [l, layerBucket(l)])) as Record<
      LakeLayer,
      SecureBucket
    >;
    const audit = planned.get("audit");
    this.auditBucket = audit !== undefined ? make(audit) : undefined;

    this.bucketNames = mapLayers((l) => this.buckets[l].bucketName);
    this.bucketArns = mapLayers((l) => this.buckets[l].bucketArn);
    this.registerOutputs({
      bucketNames: this.bucketNames,
      bucketArns: this.bucketArns,
      auditBucketName: this.auditBucket?.bucketName,
      accessLogBucketName: this.accessLogBucket.bucketName,
      kmsKeyArn: this.kmsKeyArn,
    });
  }

  /** `s3://<layer bucket>/<source>/<table>/`: where one table lives in one layer. */
  public tableUri(layer: LakeLayer, source: string, table: string): pulumi.Output<string> {
    return pulumi.interpolate`s3://${this.buckets[layer].bucketName}/${tablePrefix(source, table)}`;
  }
}

function mapLayers<T>(f: (layer: LakeLayer) => T): Readonly<Record<LakeLayer, T>> {
  return Object.fromEntries(LAKE_LAYERS.map((l) => [l, f(l)])) as Record<LakeLayer, T>;
}

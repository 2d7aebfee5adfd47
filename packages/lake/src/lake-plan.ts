/**
 * The args of {@link LakeBuckets} and the pure planning behind it: bucket names, per-layer
 * lifecycle defaults, and validation of everything at once before a resource is created.
 */
import { validateBucketName } from "@hdp/naming";
import type * as pulumi from "@pulumi/pulumi";
import type { ObjectLockRetention } from "./bucket-chain";
import { validateLifecyclePolicy, type TransitionRule } from "./lifecycle";
import {
  DELTA_LAYERS,
  LAKE_LAYERS,
  lakeBucketName,
  lakeKeyAlias,
  type LakeBucketRole,
  type LakeLayer,
} from "./naming";
import { validatePolicyStatements, type PolicyStatementInput } from "./policies";
import { validateDeletionWindow, validateKmsKeyArn, validateObjectLock } from "./validation";

/** Per-layer overrides of {@link LakeBucketsArgs}. */
export interface LakeLayerOptions {
  /**
   * Days a noncurrent version is kept. Delta layers (bronze, silver, gold) allow at most 7.
   * @default 30 for landing, 7 for bronze, silver and gold
   */
  readonly noncurrentVersionExpirationDays?: number;
  /** @default 7 */
  readonly abortIncompleteMultipartUploadDays?: number;
  /**
   * Transitions to colder storage by key prefix, e.g. raw genomics data under landing to
   * `GLACIER_IR` then `DEEP_ARCHIVE`.
   * @default []
   */
  readonly transitionRules?: readonly TransitionRule[];
  /** Extra statements for the layer bucket's one policy. @default [] */
  readonly policyStatements?: readonly PolicyStatementInput[];
}

/** The optional audit bucket: append-only evidence under S3 Object Lock. */
export interface AuditBucketOptions {
  /** Object lock default retention (required: it is the point of an audit bucket). */
  readonly objectLock: ObjectLockRetention;
  /** @default 365 */
  readonly noncurrentVersionExpirationDays?: number;
  /** @default [] */
  readonly transitionRules?: readonly TransitionRule[];
  /** @default [] */
  readonly policyStatements?: readonly PolicyStatementInput[];
}

/** Arguments of {@link LakeBuckets}. */
export interface LakeBucketsArgs {
  /** Global discriminator for bucket names (org or account slug), e.g. `hdp-acme`. */
  readonly namePrefix: string;
  /** e.g. `dev`, `stage`, `prod`. */
  readonly environment: string;
  /** The data domain, e.g. `clinical`. */
  readonly domain: string;
  /**
   * Explicit physical names per bucket role (`landing` … `gold`, `audit`, `logs`), for callers
   * that own a naming scheme (the platform uses the names `hdp validate` checked). Each is
   * validated against S3's rules.
   * @default derived with {@link lakeBucketName} from `namePrefix`, `environment` and `domain`
   */
  readonly bucketNames?: Readonly<Partial<Record<LakeBucketRole, string>>>;
  /** The AWS account of the buckets (key policy, log delivery condition). */
  readonly accountId: pulumi.Input<string>;
  /**
   * ARN of an existing KMS key for the buckets. Not an alias.
   * @default a new {@link LakeKey} aliased `alias/<prefix>/<environment>/<domain>/lake`
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Settings of the key this component creates (only without `kmsKeyArn`). */
  readonly key?: {
    /** @default 30 */
    readonly deletionWindowInDays?: number;
    /** @default `lakeKeyAlias(...)` */
    readonly aliasName?: string;
  };
  /** Per-layer overrides. @default the layer defaults */
  readonly layers?: Readonly<Partial<Record<LakeLayer, LakeLayerOptions>>>;
  /** Adds an object-locked `audit` bucket. @default undefined (no audit bucket) */
  readonly audit?: AuditBucketOptions;
  /** Settings of the access-log bucket. */
  readonly accessLogs?: {
    /** @default 2190 */
    readonly retentionDays?: number;
    /**
     * ARNs of other buckets that log into this domain's log bucket, e.g. the Airflow DAG
     * bucket (its name is known before deploy: `arn:aws:s3:::<name>`).
     * @default []
     */
    readonly additionalSourceBucketArns?: readonly pulumi.Input<string>[];
  };
  /** Tags for every bucket and the key. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Lifecycle defaults per layer: Delta layers keep a short version history (≤ 7 days). */
export const LAYER_DEFAULTS: Readonly<
  Record<LakeLayer | "audit", { readonly noncurrentVersionExpirationDays: number }>
> = {
  landing: { noncurrentVersionExpirationDays: 30 },
  bronze: { noncurrentVersionExpirationDays: 7 },
  silver: { noncurrentVersionExpirationDays: 7 },
  gold: { noncurrentVersionExpirationDays: 7 },
  audit: { noncurrentVersionExpirationDays: 365 },
};

/** The most days of noncurrent versions a Delta layer may keep. */
export const DELTA_MAX_NONCURRENT_DAYS = 7;
const ABORT_MULTIPART_DAYS = 7;

/** The resolved settings of one lake bucket. */
export interface PlannedBucket {
  readonly role: LakeLayer | "audit";
  readonly bucketName: string;
  readonly noncurrentVersionExpirationDays: number;
  readonly abortIncompleteMultipartUploadDays: number;
  readonly transitionRules: readonly TransitionRule[];
  readonly policyStatements: readonly PolicyStatementInput[];
  readonly objectLock?: ObjectLockRetention;
}

/** The whole plan: every bucket name and setting, or every problem. */
export interface LakePlan {
  readonly buckets: readonly PlannedBucket[];
  readonly logBucketName: string;
  readonly keyAlias: string;
  readonly problems: readonly string[];
}

function tryName(problems: string[], role: LakeBucketRole | "key", make: () => string): string {
  try {
    return make();
  } catch (e) {
    problems.push(`${role}: ${e instanceof Error ? e.message : String(e)}`);
    return "";
  }
}

/** Plans the buckets of one domain and collects every problem of the args at once. */
export function planLakeBuckets(args: LakeBucketsArgs): LakePlan {
  const problems: string[] = [];
  const parts = { prefix: args.namePrefix, environment: args.environment, domain: args.domain };
  const nameOf = (role: LakeBucketRole): string => {
    const explicit = args.bucketNames?.[role];
    if (explicit === undefined)
      return tryName(problems, role, () => lakeBucketName({ ...parts, layer: role }));
    problems.push(...validateBucketName(explicit).map((p) => `bucketNames.${role}: ${p}`));
    return explicit;
  };

  const buckets: PlannedBucket[] = LAKE_LAYERS.map((layer) => {
    const o = args.layers?.[layer] ?? {};
    return {
      role: layer,
      bucketName: nameOf(layer),
      noncurrentVersionExpirationDays:
        o.noncurrentVersionExpirationDays ?? LAYER_DEFAULTS[layer].noncurrentVersionExpirationDays,
      abortIncompleteMultipartUploadDays:
        o.abortIncompleteMultipartUploadDays ?? ABORT_MULTIPART_DAYS,
      transitionRules: o.transitionRules ?? [],
      policyStatements: o.policyStatements ?? [],
    };
  });
  if (args.audit !== undefined) {
    const a = args.audit;
    buckets.push({
      role: "audit",
      bucketName: nameOf("audit"),
      noncurrentVersionExpirationDays:
        a.noncurrentVersionExpirationDays ?? LAYER_DEFAULTS.audit.noncurrentVersionExpirationDays,
      abortIncompleteMultipartUploadDays: ABORT_MULTIPART_DAYS,
      transitionRules: a.transitionRules ?? [],
      policyStatements: a.policyStatements ?? [],
      objectLock: a.objectLock,
    });
    problems.push(...validateObjectLock(a.objectLock, "audit.objectLock"));
  }

  for (const b of buckets) {
    const field = b.role === "audit" ? "audit" : `layers.${b.role}`;
    problems.push(...validateLifecyclePolicy(b, field));
    problems.push(...validatePolicyStatements(b.policyStatements, `${field}.policyStatements`));
    if (
      DELTA_LAYERS.includes(b.role as LakeLayer) &&
      b.noncurrentVersionExpirationDays > DELTA_MAX_NONCURRENT_DAYS
    ) {
      problems.push(
        `${field}.noncurrentVersionExpirationDays is ${b.noncurrentVersionExpirationDays}; Delta layers keep at most ${DELTA_MAX_NONCURRENT_DAYS} days of noncurrent versions (every Delta commit rewrites files)`,
      );
    }
  }

  const keyAlias = args.key?.aliasName ?? tryName(problems, "key", () => lakeKeyAlias(parts));
  if (args.kmsKeyArn !== undefined && args.key !== undefined) {
    problems.push(
      "key: settings for a new key were given together with kmsKeyArn; pass one of them",
    );
  }
  problems.push(...validateKmsKeyArn(args.kmsKeyArn, "kmsKeyArn"));
  if (args.key?.deletionWindowInDays !== undefined) {
    problems.push(
      ...validateDeletionWindow(args.key.deletionWindowInDays, "key.deletionWindowInDays"),
    );
  }
  const retention = args.accessLogs?.retentionDays;
  if (retention !== undefined && (!Number.isInteger(retention) || retention < 1)) {
    problems.push(
      `accessLogs.retentionDays is ${retention}; it must be a whole number of days, at least 1`,
    );
  }
  return { buckets, logBucketName: nameOf("logs"), keyAlias, problems };
}

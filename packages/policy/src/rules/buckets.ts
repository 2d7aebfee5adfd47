/**
 * Buckets and their settings. In provider v7 a bucket's versioning, encryption, policy, logging,
 * … are separate resources naming the bucket in their `bucket` input; a bucket-level rule
 * ("every bucket is versioned") needs the whole stack: it indexes every bucket with the settings
 * that target it, so a bucket with no `BucketVersioning` at all is caught.
 *
 * A setting is tied to its bucket by, in order: the engine's property dependencies of `bucket`
 * (known even in a preview that creates both), the bucket's name, or its only bucket dependency.
 * A setting whose bucket cannot be told (unknown name, no dependency) makes "missing" findings of
 * its kind unknowable: those are skipped rather than guessed.
 */
import type { StackResource } from "../define";
import { isUnknown, str, stringRecord, type Value } from "../values";

/** Type tokens of buckets: `aws.s3.Bucket` and its deprecated `BucketV2` alias. */
export const BUCKET_TYPES: readonly string[] = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** Type tokens of each kind of bucket setting (current names and deprecated `V2` aliases). */
export const SETTING_TYPES = {
  versioning: [
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
  ],
  encryption: [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ],
  publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
  policy: ["aws:s3/bucketPolicy:BucketPolicy"],
  logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
  lifecycle: [
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  ],
  ownership: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
  objectLock: [
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
  ],
} as const satisfies Record<string, readonly string[]>;

export type SettingKind = keyof typeof SETTING_TYPES;
const KINDS = Object.keys(SETTING_TYPES) as SettingKind[];

/** The role tag the lake puts on its access-log buckets. */
export const BUCKET_ROLE_TAG = "hdp:bucket-role";
export const ACCESS_LOGS_ROLE = "access-logs";

/** One bucket and everything that targets it. */
export interface BucketEntry {
  readonly bucket: StackResource;
  /** The bucket's physical name, when known. */
  readonly name: string | undefined;
  /** Tagged `hdp:bucket-role = access-logs`: the S3 server access-log target (holds no PHI). */
  readonly accessLogs: boolean;
  /** Its `data-classification` tag, when known. */
  readonly classification: string | undefined;
  readonly settings: Readonly<Record<SettingKind, readonly StackResource[]>>;
}

/** The buckets of a stack, and per kind how many settings could not be tied to a bucket. */
export interface BucketIndex {
  readonly buckets: readonly BucketEntry[];
  readonly unresolved: Readonly<Record<SettingKind, number>>;
}

/** Tags of a resource: `tags` with the engine's `tagsAll` (provider default tags) underneath. */
export function tagsOf(props: Readonly<Record<string, Value>>): Record<string, string> {
  return { ...stringRecord(props.tagsAll), ...stringRecord(props.tags) };
}

function kindOf(type: string): SettingKind | undefined {
  return KINDS.find((k) => (SETTING_TYPES[k] as readonly string[]).includes(type));
}

const cache = new WeakMap<readonly StackResource[], BucketIndex>();

/** Indexes the buckets of `resources` with their settings. */
export function indexBuckets(resources: readonly StackResource[]): BucketIndex {
  const hit = cache.get(resources);
  if (hit !== undefined) return hit;
  const isBucket = (r: StackResource): boolean => BUCKET_TYPES.includes(r.type);
  const settings = new Map<StackResource, Record<SettingKind, StackResource[]>>();
  const byName = new Map<string, StackResource>();
  for (const r of resources.filter(isBucket)) {
    settings.set(r, Object.fromEntries(KINDS.map((k) => [k, []])) as never);
    const name = str(r.props.bucket);
    if (name !== undefined) byName.set(name, r);
  }
  const unresolved = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<SettingKind, number>;
  for (const r of resources) {
    const kind = kindOf(r.type);
    if (kind === undefined) continue;
    const target = bucketOf(r, byName, isBucket);
    if (target === "elsewhere") continue;
    if (target === undefined) unresolved[kind] += 1;
    else settings.get(target)?.[kind].push(r);
  }
  const buckets = [...settings.entries()].map(([bucket, s]): BucketEntry => {
    const tags = tagsOf(bucket.props);
    return {
      bucket,
      name: str(bucket.props.bucket),
      accessLogs: tags[BUCKET_ROLE_TAG] === ACCESS_LOGS_ROLE,
      classification: tags["data-classification"],
      settings: s,
    };
  });
  const index = { buckets, unresolved };
  cache.set(resources, index);
  return index;
}

function bucketOf(
  setting: StackResource,
  byName: ReadonlyMap<string, StackResource>,
  isBucket: (r: StackResource) => boolean,
): StackResource | "elsewhere" | undefined {
  const viaProperty = (setting.propertyDependencies.bucket ?? []).find(isBucket);
  if (viaProperty !== undefined) return viaProperty;
  const name = setting.props.bucket;
  if (typeof name === "string") {
    // A bucket named but not in this stack belongs to another stack's review.
    return byName.get(name) ?? "elsewhere";
  }
  const deps = setting.dependencies.filter(isBucket);
  if (deps.length === 1) return deps[0];
  return isUnknown(name) || deps.length > 1 ? undefined : "elsewhere";
}

/**
 * "Missing" findings for buckets without a setting of `kind`: skipped for every bucket when a
 * setting of that kind could not be tied to its bucket (it may be the missing one).
 */
export function withoutSetting(index: BucketIndex, kind: SettingKind): BucketEntry[] {
  if (index.unresolved[kind] > 0) return [];
  return index.buckets.filter((b) => b.settings[kind].length === 0);
}

/** How a bucket is named in messages. */
export function bucketLabel(b: BucketEntry): string {
  return b.name !== undefined ? `bucket "${b.name}"` : `bucket ${b.bucket.name}`;
}

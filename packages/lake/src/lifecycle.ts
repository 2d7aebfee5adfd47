/**
 * Pure lifecycle rules. S3 keeps exactly one lifecycle configuration per bucket (a second
 * overwrites the first), so every rule of a bucket is built here and goes into one
 * `BucketLifecycleConfiguration`. Rules are sorted by id so the configuration does not change
 * when a caller reorders its transition rules.
 */

/** Storage classes a lifecycle rule can move current objects to. */
export type TransitionStorageClass =
  "STANDARD_IA" | "INTELLIGENT_TIERING" | "ONEZONE_IA" | "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE";

/** AWS's transition waterfall: an object only ever moves to a later class. */
const WATERFALL: readonly TransitionStorageClass[] = [
  "STANDARD_IA",
  "INTELLIGENT_TIERING",
  "ONEZONE_IA",
  "GLACIER_IR",
  "GLACIER",
  "DEEP_ARCHIVE",
];

/** S3 refuses transitions to these classes earlier than 30 days after creation. */
const MIN_30_DAYS: readonly TransitionStorageClass[] = ["STANDARD_IA", "ONEZONE_IA"];

/** One step of a transition rule. */
export interface Transition {
  /** Days after creation. */
  readonly days: number;
  readonly storageClass: TransitionStorageClass;
}

/**
 * Moves current objects under a key prefix to colder storage, e.g. raw genomics data to Glacier:
 * `{ id: "genomics-raw", prefix: "genomics/", transitions: [{ days: 30, storageClass: "GLACIER_IR" },
 * { days: 180, storageClass: "DEEP_ARCHIVE" }] }`.
 */
export interface TransitionRule {
  /** Stable rule id, unique within the bucket (the rule is keyed by it, not by position). */
  readonly id: string;
  /** Key prefix, e.g. `genomics/`; `""` applies to the whole bucket. */
  readonly prefix: string;
  readonly transitions: readonly Transition[];
}

/** Everything the lifecycle configuration of one bucket says. */
export interface LifecyclePolicy {
  /** Days a version stays after it became noncurrent (overwritten or deleted). */
  readonly noncurrentVersionExpirationDays: number;
  /** Days before an unfinished multipart upload is aborted (its parts cost storage). */
  readonly abortIncompleteMultipartUploadDays: number;
  /** Days before current objects expire; undefined keeps them. */
  readonly expirationDays?: number;
  readonly transitionRules?: readonly TransitionRule[];
}

/** A lifecycle rule in the shape of `aws.s3.BucketLifecycleConfiguration` `rules`. */
export interface LifecycleRule {
  readonly id: string;
  readonly status: "Enabled";
  readonly filter: { readonly prefix: string };
  readonly noncurrentVersionExpiration?: { readonly noncurrentDays: number };
  readonly abortIncompleteMultipartUpload?: { readonly daysAfterInitiation: number };
  readonly expiration?: { readonly days?: number; readonly expiredObjectDeleteMarker?: boolean };
  readonly transitions?: readonly { readonly days: number; readonly storageClass: string }[];
}

/** Ids of the rules every bucket gets; caller rules must not reuse them. */
export const RESERVED_RULE_IDS = ["abort-multipart", "expire-current", "noncurrent-versions"];
const RULE_ID = /^[A-Za-z0-9._-]{1,200}$/;

/** Code-point order, independent of the machine's locale (plans must be byte-identical). */
function byId(a: { readonly id: string }, b: { readonly id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function positiveInteger(value: number, field: string): string[] {
  return Number.isInteger(value) && value >= 1
    ? []
    : [`${field} is ${value}; it must be a whole number of days, at least 1`];
}

/** Every problem of a lifecycle policy (empty when S3 would accept it). */
export function validateLifecyclePolicy(policy: LifecyclePolicy, field = "lifecycle"): string[] {
  const problems = [
    ...positiveInteger(
      policy.noncurrentVersionExpirationDays,
      `${field}.noncurrentVersionExpirationDays`,
    ),
    ...positiveInteger(
      policy.abortIncompleteMultipartUploadDays,
      `${field}.abortIncompleteMultipartUploadDays`,
    ),
  ];
  if (policy.expirationDays !== undefined) {
    problems.push(...positiveInteger(policy.expirationDays, `${field}.expirationDays`));
  }
  const seen = new Set<string>(RESERVED_RULE_IDS);
  for (const rule of policy.transitionRules ?? []) {
    const at = `${field}.transitionRules[${rule.id}]`;
    if (!RULE_ID.test(rule.id)) {
      problems.push(`${at}: id must be 1 to 200 letters, digits, ".", "_" or "-"`);
    }
    if (seen.has(rule.id)) problems.push(`${at}: id is used twice or is reserved`);
    seen.add(rule.id);
    if (rule.prefix.startsWith("/")) problems.push(`${at}: prefix must not start with "/"`);
    if (rule.transitions.length === 0) problems.push(`${at}: needs at least one transition`);
    rule.transitions.forEach((t, i) => {
      const step = `${at}.transitions[${i}]`;
      if (!Number.isInteger(t.days) || t.days < 0) {
        problems.push(`${step}: days is ${t.days}; it must be a whole number, at least 0`);
      }
      if (!WATERFALL.includes(t.storageClass)) {
        problems.push(`${step}: unknown storage class "${String(t.storageClass)}"`);
      }
      if (MIN_30_DAYS.includes(t.storageClass) && t.days < 30) {
        problems.push(`${step}: S3 needs at least 30 days before ${t.storageClass}`);
      }
      const prev = rule.transitions[i - 1];
      if (prev !== undefined) {
        if (t.days <= prev.days) problems.push(`${step}: days must increase from step to step`);
        if (WATERFALL.indexOf(t.storageClass) <= WATERFALL.indexOf(prev.storageClass)) {
          problems.push(
            `${step}: ${t.storageClass} after ${prev.storageClass} goes against S3's transition order`,
          );
        }
      }
    });
  }
  return problems;
}

/**
 * The rules of one bucket: noncurrent versions expire (and expired delete markers go), unfinished
 * multipart uploads abort, current objects optionally expire, then the caller's transition rules
 * sorted by id. Assumes a valid policy ({@link validateLifecyclePolicy}).
 */
export function lifecycleRules(policy: LifecyclePolicy): LifecycleRule[] {
  const all = { prefix: "" };
  const rules: LifecycleRule[] = [
    {
      id: "noncurrent-versions",
      status: "Enabled",
      filter: all,
      noncurrentVersionExpiration: { noncurrentDays: policy.noncurrentVersionExpirationDays },
      // A delete marker with no versions left behind it is pure clutter (and slows LIST).
      ...(policy.expirationDays === undefined
        ? { expiration: { expiredObjectDeleteMarker: true } }
        : {}),
    },
    {
      id: "abort-multipart",
      status: "Enabled",
      filter: all,
      abortIncompleteMultipartUpload: {
        daysAfterInitiation: policy.abortIncompleteMultipartUploadDays,
      },
    },
  ];
  if (policy.expirationDays !== undefined) {
    // With an expiration in days, S3 removes expired delete markers itself.
    rules.push({
      id: "expire-current",
      status: "Enabled",
      filter: all,
      expiration: { days: policy.expirationDays },
    });
  }
  const custom = [...(policy.transitionRules ?? [])].sort(byId);
  for (const rule of custom) {
    rules.push({
      id: rule.id,
      status: "Enabled",
      filter: { prefix: rule.prefix },
      transitions: rule.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
    });
  }
  return rules.sort(byId);
}

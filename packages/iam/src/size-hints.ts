/**
 * Worst-case lengths of values that are unknown when a program is constructed (Outputs).
 *
 * How many managed policies a role gets must be decided when the program runs, before any
 * Output resolves: resources cannot be created inside `apply()`. So documents are sized with
 * the known strings plus, for every Output, an upper bound of its length: the hint given with
 * {@link sizeHint}, or {@link DEFAULT_UNKNOWN_LENGTH}. Rendering checks the real length again
 * and fails loudly if a hint was too small.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * The length assumed for an Output without a hint: 2,048 characters, the longest ARN IAM
 * accepts. Safe but wasteful; hint Outputs whose format you know.
 */
export const DEFAULT_UNKNOWN_LENGTH = 2048;

/** Longest partition name today: `aws-us-gov` (others: aws, aws-cn, aws-iso, aws-iso-b, …). */
export const MAX_PARTITION_LENGTH = 10;
/**
 * A generous bound for region names: the longest today are 15 characters
 * (`us-isof-south-1`); 25 leaves room for new ones.
 */
export const MAX_REGION_LENGTH = 25;
/** AWS account ids are exactly 12 digits. */
export const ACCOUNT_ID_LENGTH = 12;

/** Documented worst-case lengths of common Output values. */
export const MAX_LENGTH = {
  accountId: ACCOUNT_ID_LENGTH,
  region: MAX_REGION_LENGTH,
  partition: MAX_PARTITION_LENGTH,
  /** S3 bucket names are at most 63 characters. */
  s3BucketName: 63,
  /** `arn:<partition>:s3:::<bucket>`. */
  s3BucketArn: "arn:".length + MAX_PARTITION_LENGTH + ":s3:::".length + 63,
  /**
   * `arn:<partition>:kms:<region>:<account>:key/<id>`; key ids are 36 characters (a UUID, or
   * `mrk-` and 32 hex digits for multi-Region keys).
   */
  kmsKeyArn:
    "arn:".length +
    MAX_PARTITION_LENGTH +
    ":kms:".length +
    MAX_REGION_LENGTH +
    ":".length +
    ACCOUNT_ID_LENGTH +
    ":key/".length +
    36,
  /** Role names are at most 64 characters; roles here live at path `/`. */
  iamRoleName: 64,
  /** `arn:<partition>:iam::<account>:role/<name>` (path `/`). */
  iamRoleArn:
    "arn:".length +
    MAX_PARTITION_LENGTH +
    ":iam::".length +
    ACCOUNT_ID_LENGTH +
    ":role/".length +
    64,
  /** `arn:<partition>:iam::<account>:role<path><name>`, paths up to 512 characters. */
  iamPrincipalArn:
    "arn:".length +
    MAX_PARTITION_LENGTH +
    ":iam::".length +
    ACCOUNT_ID_LENGTH +
    ":role".length +
    512 +
    64,
  /**
   * Unity Catalog storage-credential external ids are UUIDs (36 characters); 64 leaves room.
   * STS itself accepts up to 1,224 characters.
   */
  externalId: 64,
} as const;

const HINTS_KEY = Symbol.for("@hdp/iam:size-hints");

/**
 * Hints live in a WeakMap keyed by the Output object (so they never keep it alive), registered
 * on `globalThis` so that two copies of this package in one program still share them.
 */
function hints(): WeakMap<object, number> {
  const holder = globalThis as unknown as Record<symbol, WeakMap<object, number> | undefined>;
  let map = holder[HINTS_KEY];
  if (map === undefined) {
    map = new WeakMap();
    holder[HINTS_KEY] = map;
  }
  return map;
}

/**
 * Records that `value` (an Output or Promise of a string) never resolves to more than
 * `maxLength` characters, and returns `value` itself. Plain strings need no hint. When several
 * hints are recorded for one value, the largest wins (a hint may only loosen, never tighten).
 */
export function sizeHint<T extends pulumi.Input<string>>(value: T, maxLength: number): T {
  if (!Number.isInteger(maxLength) || maxLength < 0) {
    throw new Error(`@hdp/iam: sizeHint needs a non-negative integer, got ${maxLength}`);
  }
  if (typeof value === "object" && value !== null) {
    const map = hints();
    const previous = map.get(value);
    map.set(value, previous === undefined ? maxLength : Math.max(previous, maxLength));
  }
  return value;
}

/** The known length of a string, the hint of an Output, or `fallback` when it has none. */
export function maxLengthOf(
  value: pulumi.Input<string>,
  fallback: number = DEFAULT_UNKNOWN_LENGTH,
): number {
  if (typeof value === "string") return value.length;
  return hints().get(value) ?? fallback;
}

/** A part of {@link concatInputs}: a string, an Input (hinted or not), or an Input with a bound. */
export type SizedPart =
  pulumi.Input<string> | { readonly value: pulumi.Input<string>; readonly maxLength: number };

function isSized(
  part: SizedPart,
): part is { readonly value: pulumi.Input<string>; readonly maxLength: number } {
  return (
    typeof part === "object" &&
    part !== null &&
    !pulumi.Output.isInstance(part) &&
    !(part instanceof Promise) &&
    "maxLength" in part
  );
}

/**
 * Concatenates strings and Inputs. All-string parts give a plain string; otherwise an Output
 * whose size hint is the sum of the parts' bounds, e.g.
 * `concatInputs(["arn:aws:iam::", { value: accountId, maxLength: 12 }, ":root"])`.
 */
export function concatInputs(parts: readonly SizedPart[]): pulumi.Input<string> {
  const values = parts.map((p) => (isSized(p) ? p.value : p));
  if (values.every((v): v is string => typeof v === "string")) return values.join("");
  const bound = parts.reduce<number>(
    (sum, p) =>
      sum +
      (isSized(p) ? (typeof p.value === "string" ? p.value.length : p.maxLength) : maxLengthOf(p)),
    0,
  );
  return sizeHint(
    pulumi.all(values).apply((vs) => vs.join("")),
    bound,
  );
}

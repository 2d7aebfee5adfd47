/**
 * Pure checks of component args that span several fields. Each returns every problem it finds
 * (empty when valid); components throw them all at once. Values that are Outputs (unknown
 * until deploy) are skipped, not guessed.
 */
import type * as pulumi from "@pulumi/pulumi";
import { validateBucketName } from "@hdp/naming";
import type { ObjectLockRetention } from "./bucket-chain";

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** Bucket names: S3's rules, and no dots (Unity Catalog rejects such buckets). */
export function validateBucketNameField(name: string, field = "bucketName"): string[] {
  return validateBucketName(name).map((p) => `${field}: ${p}`);
}

/**
 * A KMS key given by ARN (bucket encryption and IAM policies need the ARN; an alias or a bare
 * key id would silently not match IAM conditions). Outputs are not checked.
 */
export function validateKmsKeyArn(arn: pulumi.Input<string> | undefined, field: string): string[] {
  if (typeof arn !== "string") return [];
  if (!KMS_KEY_ARN.test(arn)) {
    return [
      `${field} "${arn}" must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not an alias or key id`,
    ];
  }
  return [];
}

/** Object lock retention: 1 to 36,500 whole days. */
export function validateObjectLock(
  lock: ObjectLockRetention | undefined,
  field = "objectLock",
): string[] {
  if (lock === undefined) return [];
  const problems: string[] = [];
  if (!Number.isInteger(lock.days) || lock.days < 1 || lock.days > 36500) {
    problems.push(`${field}.days is ${lock.days}; it must be a whole number from 1 to 36500`);
  }
  if (lock.mode !== "GOVERNANCE" && lock.mode !== "COMPLIANCE") {
    problems.push(`${field}.mode "${String(lock.mode)}" must be GOVERNANCE or COMPLIANCE`);
  }
  return problems;
}

/** KMS key deletion windows: 7 to 30 days. */
export function validateDeletionWindow(days: number, field = "deletionWindowInDays"): string[] {
  return Number.isInteger(days) && days >= 7 && days <= 30
    ? []
    : [`${field} is ${days}; KMS allows a whole number from 7 to 30`];
}

/** Throws one error naming the component and listing every problem, when there are any. */
export function throwIfProblems(
  component: string,
  name: string,
  problems: readonly string[],
): void {
  if (problems.length > 0) {
    throw new Error(`${component} "${name}" has invalid args:\n  - ${problems.join("\n  - ")}`);
  }
}

/** Defence in depth (stated once in @hdp/naming): the pack's rule, refused unless accepted. */
export { refuseInsecure } from "@hdp/naming";

/**
 * The component's own options: the caller's, without `protect` and `retainOnDelete`, which the
 * component applies to its stateful children explicitly. The component itself holds no data and
 * stays unprotected (a protected component would block every refactor of it), so children that
 * hold none are not protected by Pulumi's inheritance either.
 */
export function componentOptions(
  opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.ComponentResourceOptions {
  const { protect: _protect, retainOnDelete: _retain, ...own } = opts ?? {};
  return own;
}

/**
 * Shared argument checks. Every component validates its plain arguments up front with pure
 * functions that collect every problem (each naming the argument field), then throws once, so a
 * caller sees all mistakes in one run instead of one per `pulumi preview`.
 */

/** The tags every taggable resource of the house carries; the caller supplies their values. */
export const HOUSE_TAG_KEYS = [
  "owner",
  "domain",
  "data-classification",
  "environment",
  "cost-center",
] as const;

/** Throws one error listing every problem, or returns when there are none. */
export function assertValid(what: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new Error(`${what}: invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}

/** Problems with `tags` when one of the house tags is missing or empty. */
export function validateHouseTags(
  tags: Readonly<Record<string, string>> | undefined,
  field = "tags",
): string[] {
  const missing = HOUSE_TAG_KEYS.filter((k) => (tags?.[k] ?? "").trim().length === 0);
  return missing.length === 0
    ? []
    : [`${field}: missing the house tag(s) ${missing.map((k) => `"${k}"`).join(", ")}`];
}

/** Problems when `value` is not an integer in [min, max]. */
export function validateIntRange(field: string, value: number, min: number, max: number): string[] {
  return Number.isInteger(value) && value >= min && value <= max
    ? []
    : [`${field}: ${value} must be an integer from ${min} to ${max}`];
}

/** The entries of a record sorted by key: iteration order never depends on how it was written. */
export function sortedEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A copy of `record` with its keys in sorted order (stable JSON and stable diffs). */
export function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(sortedEntries(record));
}

/** Defence in depth (stated once in @hdp/naming): the pack's rule, refused unless accepted. */
import { refuseInsecure } from "@hdp/naming";
export { refuseInsecure };

/** `databricks-job-retries`: every task retries a transient failure, a bounded number of times. */
export function validateRetries(
  maxRetries: number,
  taskKeys: readonly string[],
  acceptInsecure: readonly string[] | undefined,
): string[] {
  // Other values outside 1–10 are refused by the range check (-1, "forever", never passes).
  if (maxRetries !== 0) return [];
  return taskKeys.flatMap((k) =>
    refuseInsecure(
      "maxRetries",
      "databricks-job-retries",
      `task ${k} does not retry (maxRetries 0)`,
      acceptInsecure,
    ),
  );
}

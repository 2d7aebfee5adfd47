/**
 * Databricks Runtime selection. A policy pins the runtime either to the special value
 * `auto:latest-lts` (resolved by Databricks when a cluster starts) or to an allow-list of real
 * runtime keys such as `15.4.x-scala2.12`. Real keys never contain "lts", so a `-lts` regex would
 * reject every one of them: keys are checked against their actual shape instead.
 */

/** The special policy values that always resolve to an LTS runtime. */
export const LTS_RUNTIME_ALIASES = ["auto:latest-lts", "auto:latest-lts-ml"] as const;

/** A special LTS policy value. */
export type LtsRuntimeAlias = (typeof LTS_RUNTIME_ALIASES)[number];

/** `major.minor.x[-variant…]-scalaX.Y`, e.g. `15.4.x-scala2.12`, `15.4.x-photon-scala2.12`. */
const RUNTIME_KEY = /^\d{1,2}\.\d{1,2}\.x(-[a-z0-9]+)*-scala\d\.\d{1,2}$/;

/** True for a runtime key shaped like Databricks' (`15.4.x-scala2.12`, `16.4.x-cpu-ml-scala2.13`). */
export function isRuntimeKey(key: string): boolean {
  return RUNTIME_KEY.test(key);
}

/** True for `auto:latest-lts` and `auto:latest-lts-ml`. */
export function isLtsRuntimeAlias(value: string): value is LtsRuntimeAlias {
  return (LTS_RUNTIME_ALIASES as readonly string[]).includes(value);
}

/**
 * Problems with a runtime selection: an LTS alias, or a non-empty list of distinct runtime keys.
 * Whether a key is an LTS release is the caller's responsibility (Databricks publishes the list;
 * 15.4 and 16.4 are LTS), as the set changes every few months.
 */
export function validateRuntime(field: string, runtime: string | readonly string[]): string[] {
  if (typeof runtime === "string") {
    return isLtsRuntimeAlias(runtime)
      ? []
      : [
          `${field}: "${runtime}" is neither ${LTS_RUNTIME_ALIASES.map((a) => `"${a}"`).join(
            " nor ",
          )}; give one of those or a list of runtime keys such as "15.4.x-scala2.12"`,
        ];
  }
  const problems: string[] = [];
  if (runtime.length === 0) problems.push(`${field}: the list of runtime keys is empty`);
  for (const key of runtime) {
    if (!isRuntimeKey(key)) {
      problems.push(
        `${field}: "${key}" is not a Databricks runtime key (expected e.g. "15.4.x-scala2.12" or "15.4.x-photon-scala2.12")`,
      );
    }
  }
  const dupes = runtime.filter((k, i) => runtime.indexOf(k) !== i);
  if (dupes.length > 0) problems.push(`${field}: duplicate runtime keys ${dupes.join(", ")}`);
  return problems;
}

/**
 * Databricks LTS releases (`major.minor`) under support as of 2025. Databricks publishes the list;
 * components take `ltsRuntimes` to override it when it moves (the policy pack's default too).
 */
export const DEFAULT_LTS_RUNTIMES: readonly string[] = ["13.3", "14.3", "15.4", "16.4", "17.3"];

/** True for an LTS alias, or a runtime key of one of the `lts` releases (`15.4.x-scala2.12`). */
export function isLtsRuntime(
  runtime: string,
  lts: readonly string[] = DEFAULT_LTS_RUNTIMES,
): boolean {
  if (isLtsRuntimeAlias(runtime)) return true;
  if (!isRuntimeKey(runtime)) return false;
  const m = /^(\d+\.\d+)\.x/.exec(runtime);
  return m !== null && lts.includes(m[1] ?? "");
}

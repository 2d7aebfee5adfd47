/**
 * Reviewed relaxations (`policies.relaxations` in an environment's config): which one applies to a
 * finding, and how a relaxed finding reads. Pure and import-free, so the planner's main process
 * can use it without loading the rules (`@hdp/policy/estate-context` re-exports it).
 */
import type { PolicyRelaxation } from "./context";

/**
 * The names a relaxation may use for a finding: the resource's logical name and URN, or for a
 * finding about the stack as a whole the stack's and the environment's names.
 */
export function relaxationNames(
  target: { readonly urn?: string; readonly name?: string },
  stack: string | undefined,
  environment: string,
): (string | undefined)[] {
  return target.urn !== undefined ? [target.name, target.urn] : [stack, environment];
}

/** Today's date in UTC, `YYYY-MM-DD` (relaxations expire at the end of their `expires` day). */
export const utcToday = (): string => new Date().toISOString().slice(0, 10);

/** Whether a relaxation's last day is before `today` (`YYYY-MM-DD`). */
export const isExpired = (r: Pick<PolicyRelaxation, "expires">, today = utcToday()): boolean =>
  r.expires < today;

/**
 * The relaxation of `rule` for a finding known by any of `names` (see {@link relaxationNames});
 * an expired relaxation relaxes nothing.
 */
export function relaxationFor(
  relaxations: readonly PolicyRelaxation[],
  rule: string,
  names: readonly (string | undefined)[],
  today = utcToday(),
): PolicyRelaxation | undefined {
  return relaxations.find(
    (r) => r.rule === rule && names.includes(r.resource) && !isExpired(r, today),
  );
}

/** How a relaxed finding's message reads in every report. */
export const relaxedMessage = (reason: string, message: string): string =>
  `relaxed: ${reason} — ${message}`;

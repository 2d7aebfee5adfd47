/**
 * Config checks that depend on an environment's tier (see `tier.ts`): the minimum log retention.
 */
import type { Environment } from "./estate";
import { environmentTier, type Tier } from "./tier";

/** Reports one error at a field path of a file (the loader's reporter). */
export interface FieldReporter {
  error(file: string, path: readonly PropertyKey[], message: string): void;
}

/**
 * The fewest days logs (MWAA's CloudWatch logs, the S3 access logs: the audit trail of who read
 * what) are kept, per tier. HIPAA keeps required documentation six years (45 CFR 164.316(b)(2)):
 * 2192 days, the CloudWatch value just over six years, in prod and wherever real PHI is.
 */
export const LOG_RETENTION_MINIMUM_DAYS: Readonly<Record<Tier, number>> = {
  dev: 1,
  stage: 90,
  prod: 2192,
};
/** The minimum wherever real PHI is (outside dev, where real PHI is an error of its own). */
export const REAL_PHI_LOG_RETENTION_DAYS = 2192;

/** Reports `retention.logDays` below the minimum of the environment's tier (or real PHI). */
export function checkLogRetention(
  r: FieldReporter,
  e: Pick<Environment, "name" | "phi" | "retention" | "origin">,
): void {
  const tier = environmentTier(e.name);
  const tierMin = LOG_RETENTION_MINIMUM_DAYS[tier];
  const phiMin = e.phi === "real" && tier !== "dev" ? REAL_PHI_LOG_RETENTION_DAYS : 0;
  const min = Math.max(tierMin, phiMin);
  if (e.retention.logDays >= min) return;
  const why =
    phiMin >= tierMin
      ? `${tier === "prod" ? "production" : "an environment holding real PHI"} keeps its audit logs six years: HIPAA, 45 CFR 164.316(b)(2)`
      : `the minimum of the ${tier} tier`;
  r.error(
    e.origin.file,
    ["retention", "logDays"],
    `is ${e.retention.logDays}, below ${min} days (${why}); the access and Airflow logs are the audit trail of who read what`,
  );
}

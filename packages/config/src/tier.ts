/** Environment tiers: which rules, guards and config checks apply by environment. Pure. */

/** Development, pre-production, production: the rules that differ by environment key on it. */
export type Tier = "dev" | "stage" | "prod";

/** `dev…` is development, `prod…` production, anything else pre-production (strict by default). */
export function environmentTier(environment: string): Tier {
  if (/^dev\b/.test(environment)) return "dev";
  if (/^prod\b/.test(environment)) return "prod";
  return "stage";
}

/** Days audit records stay under COMPLIANCE-mode object lock when the environment does not say. */
export const AUDIT_RETENTION_DAYS: Readonly<Record<Tier, number>> = {
  // Six years: HIPAA's documentation retention (45 CFR §164.316(b)(2)).
  prod: 2192,
  stage: 365,
  // Dev holds no real PHI; a short lock keeps its audit bucket disposable.
  dev: 7,
};

/** The environment's audit retention: its `audit.retentionDays`, else its tier's default. */
export function auditRetentionDays(env: {
  readonly name: string;
  readonly audit: { readonly retentionDays?: number | undefined };
}): number {
  return env.audit.retentionDays ?? AUDIT_RETENTION_DAYS[environmentTier(env.name)];
}

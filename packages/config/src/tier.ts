/** Environment tiers: which rules, guards and config checks apply by environment. Pure. */

/** Development, pre-production, production: the rules that differ by environment key on it. */
export type Tier = "dev" | "stage" | "prod";

/** `dev…` is development, `prod…` production, anything else pre-production (strict by default). */
export function environmentTier(environment: string): Tier {
  if (/^dev\b/.test(environment)) return "dev";
  if (/^prod\b/.test(environment)) return "prod";
  return "stage";
}

/**
 * The policy context of an environment, from the estate's config, with the other import-free
 * helpers (tiers, relaxations). Its own module, loading only @hdp/config (not the rules and the
 * SDK behind them), so `hdp plan`'s main process can key its cache on the context and report
 * without loading the pack: `import … from "@hdp/policy/estate-context"`.
 */
import { effectiveEstate, schemaName, type Estate } from "@hdp/config";
import type { PolicyContext } from "./context";
import { isExpired } from "./relaxation";

export { isExpired, relaxationFor, relaxationNames, relaxedMessage, utcToday } from "./relaxation";

/** Options of {@link contextFromEstate}. */
export interface EstateContextOptions {
  /** The stack being evaluated (stack-wide findings are attributed to it). */
  readonly stack?: string;
  /**
   * More accounts to treat as the environment's own, e.g. the mock account of an offline plan
   * (outputs of mocked resources carry it). @default []
   */
  readonly extraAccountIds?: readonly string[];
  /** The date relaxations are judged at (`YYYY-MM-DD`). @default today (UTC) */
  readonly today?: string;
}

/**
 * The policy context of environment `environment` of the estate: its enforcement, PHI mode,
 * relaxations, account, workers ceiling, the accounts holding real PHI, the required tags, the
 * DAGs its MWAA will hold (its enabled pipelines, as @hdp/platform counts them) and the tables
 * each schema will hold (enabled tables per `<source>_<layer>`).
 */
export function contextFromEstate(
  estate: Estate,
  environment: string,
  options: EstateContextOptions = {},
): PolicyContext {
  const eff = effectiveEstate(estate, environment);
  const env = eff.environment;
  const tablesPerSchema: Record<string, number> = {};
  for (const t of eff.tables.filter((x) => x.enabled)) {
    for (const layer of t.layers.filter((l) => l !== "landing")) {
      const schema = schemaName(t.source, layer);
      tablesPerSchema[schema] = (tablesPerSchema[schema] ?? 0) + 1;
    }
  }
  return {
    environment: env.name,
    enforcement: env.enforcement,
    phi: env.phi,
    ...(options.stack !== undefined ? { stack: options.stack } : {}),
    // Expired relaxations relax nothing: left out, so the context (and any cache keyed on it)
    // changes on the day after a relaxation's last day.
    relaxations: env.policies.relaxations
      .filter((r) => !isExpired(r, options.today))
      .map((r) => ({ ...r })),
    accountIds: [env.aws.accountId, ...(options.extraAccountIds ?? [])],
    realPhiAccountIds: [
      ...new Set(estate.environments.filter((e) => e.phi === "real").map((e) => e.aws.accountId)),
    ].sort(),
    requiredTags: [...estate.platform.tags.required],
    maxWorkers: env.compute.maxWorkers,
    ...(Object.keys(env.policies.quotas).length > 0 ? { limits: { ...env.policies.quotas } } : {}),
    dagCount: eff.pipelines.filter((p) => p.enabled).length,
    tablesPerSchema: Object.fromEntries(
      Object.entries(tablesPerSchema).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
  };
}

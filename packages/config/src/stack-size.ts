/**
 * How many resources a stack holds, estimated from the config alone — next to the budget a stack
 * must stay under (`sharding.resourceBudget`). One estimate for everything that sizes stacks:
 * `hdp simulate estate` packs shards under the budget with it, `hdp plan` orders stacks and
 * decides whether a plan is small enough for the calling process with it. Measured against
 * `hdp plan` of generated estates (test/simulate-estate-size.test.ts: the estimate errs high by
 * the core's margin only).
 */
import type { Estate, Source, Table } from "./estate";
import { CORE_SHARD } from "./stacks";

/** The budget of an environment that sets none (`sharding.resourceBudget`), defined with the schema. */
export { DEFAULT_RESOURCE_BUDGET } from "./schema/environment";

/** Resources of an environment's shared part, its core (keys, lake, catalog, MWAA, audit, access; ~400-420). */
export const CORE_RESOURCES = 430;

/** Resources every shard has besides its sources: two providers, the core's reference, the DAG files. */
export const SHARD_OVERHEAD_RESOURCES = 4;

/**
 * Resources of one source in its stack, as the platform creates them: ingest role (component,
 * role, policy, attachment), schemas (component, a schema and its grants per Spark layer its
 * tables reach: bronze, silver, gold), the tables' specs (component and a workspace file per
 * table), and per pipeline the job component, the job, its permissions and the DAG object.
 *
 * @param tables the source's tables enabled in the environment
 * @param pipelines the source's pipelines (Airflow DAGs)
 * @param sparkLayers the most layers past landing any of its tables reaches (0-3)
 */
export function sourceResources(tables: number, pipelines: number, sparkLayers = 3): number {
  return 4 + 1 + 2 * sparkLayers + 1 + tables + 4 * pipelines;
}

/** Sources' estimated resources in one environment (disabled sources have none). */
function perSource(estate: Estate, env: string): Map<string, number> {
  const enabled = (x: Source | Table): boolean => x.environments[env]?.enabled ?? true;
  const counts = new Map<string, { tables: number; layers: number; pipelines: number }>();
  for (const s of estate.sources) {
    if (enabled(s)) counts.set(s.id, { tables: 0, layers: 0, pipelines: 0 });
  }
  for (const t of estate.tables) {
    const c = counts.get(t.source);
    if (c === undefined || !enabled(t)) continue;
    c.tables++;
    c.layers = Math.max(c.layers, t.layers.filter((l) => l !== "landing").length);
  }
  for (const p of estate.pipelines) {
    const c = counts.get(p.source);
    if (c !== undefined) c.pipelines++;
  }
  const out = new Map<string, number>();
  for (const [id, c] of counts) out.set(id, sourceResources(c.tables, c.pipelines, c.layers));
  return out;
}

/**
 * Estimated resources of each of `stacks` (by name; 0 for a name not in `estate`): a core holds
 * the shared part, a shard its sources plus its overhead, an unsharded stack the shared part and
 * every source enabled in its environment.
 */
export function estimateStackResources(
  estate: Estate,
  stacks: Iterable<string>,
): Map<string, number> {
  const envOf = new Map(
    estate.environments.flatMap((e) => e.stacks.map((s) => [s.name, { env: e, spec: s }] as const)),
  );
  const sizes = new Map<string, Map<string, number>>();
  const sizesIn = (env: string): Map<string, number> => {
    let m = sizes.get(env);
    if (m === undefined) sizes.set(env, (m = perSource(estate, env)));
    return m;
  };
  const sum = (size: Map<string, number>, ids: readonly string[]): number =>
    ids.reduce((n, id) => n + (size.get(id) ?? 0), 0);
  const out = new Map<string, number>();
  for (const stack of stacks) {
    const found = envOf.get(stack);
    if (found === undefined) {
      out.set(stack, 0);
      continue;
    }
    const { env, spec } = found;
    const size = sizesIn(env.name);
    out.set(
      stack,
      spec.shard === undefined
        ? CORE_RESOURCES + sum(size, spec.sources)
        : spec.shard === CORE_SHARD
          ? CORE_RESOURCES
          : SHARD_OVERHEAD_RESOURCES + sum(size, spec.sources),
    );
  }
  return out;
}

/** Environment overlays: a source's or table's `environments.<env>` merged over its base values. */
import type {
  EffectiveEstate,
  EffectivePipeline,
  EffectiveSource,
  EffectiveTable,
  Estate,
  Source,
  Table,
} from "./estate";
import type { SourceConfig, TableConfig } from "./schema";
import { perEnvironment } from "./per-environment";
import { decideSchedule } from "./schedule";

/**
 * `{ ...base, ...fields }`, built with `Object.assign` (the same keys, in the same order, the
 * same values). An object spread's copy gets a hidden class (V8 map) of its own on Node 20 —
 * 130,000 effective tables, sources and pipelines of the health-system preset each had one:
 * ~60 MB of maps per environment in every plan worker, marked by each of its garbage collections,
 * and every property read of an effective table megamorphic. `Object.assign` copies share one.
 * (Safe for config objects: their keys are the schema's, never `__proto__` or a setter's.)
 */
function extend<T extends object, U extends object>(base: T, fields: U): Omit<T, keyof U> & U {
  return Object.assign({}, base, fields);
}

/** Merge rule: a field set in the overlay replaces the base; retention merges per key. */
export function effectiveSource(source: Source, env: string): EffectiveSource {
  const o: SourceConfig["environments"][string] = source.environments[env] ?? {};
  const secretName =
    o.secretName ?? ("secretName" in source.connection ? source.connection.secretName : undefined);
  return extend(source, {
    env,
    enabled: o.enabled ?? true,
    schedule: o.schedule ?? source.schedule,
    secretName,
  });
}

/** A table is enabled only when its source is; PHI rules are checked by the loader, not here. */
export function effectiveTable(table: Table, env: string, sourceEnabled: boolean): EffectiveTable {
  const o: TableConfig["environments"][string] = table.environments[env] ?? {};
  const retention = {
    landingDays: o.retention?.landingDays ?? table.retention.landingDays,
    days: o.retention?.days ?? table.retention.days,
  };
  const enabled = sourceEnabled && (o.enabled ?? true);
  return o.schedule !== undefined || table.schedule !== undefined
    ? extend(table, { env, enabled, schedule: o.schedule ?? table.schedule, retention })
    : extend(table, { env, enabled, retention });
}

/**
 * Everything as environment `env` sees it. Throws on an unknown environment name. Computed once
 * per estate and environment (the planner asks for it once per stack).
 */
export const effectiveEstate: (estate: Estate, env: string) => EffectiveEstate =
  perEnvironment(computeEffectiveEstate);

function computeEffectiveEstate(estate: Estate, env: string): EffectiveEstate {
  const environment = estate.environments.find((e) => e.name === env);
  if (environment === undefined) {
    throw new Error(
      `unknown environment "${env}" (have: ${estate.environments.map((e) => e.name).join(", ")})`,
    );
  }
  const sources = estate.sources.map((s) => effectiveSource(s, env));
  const enabledSources = new Map(sources.map((s) => [s.id, s.enabled]));
  const tables = estate.tables.map((t) =>
    effectiveTable(t, env, enabledSources.get(t.source) ?? false),
  );
  const baseSource = new Map(estate.sources.map((s) => [s.id, s]));
  const baseTable = new Map(estate.tables.map((t) => [t.key, t]));
  const tableByKey = new Map(tables.map((t) => [t.key, t]));
  const pipelines: EffectivePipeline[] = estate.pipelines.map((p) => {
    const table = p.kind === "table" ? baseTable.get(`${p.source}/${p.tables[0]}`) : undefined;
    return extend(p, {
      env,
      schedule: decideSchedule(p, baseSource.get(p.source), table, env).schedule,
      enabled: p.tables.some((t) => tableByKey.get(`${p.source}/${t}`)?.enabled === true),
    });
  });
  return { environment, sources, tables, pipelines };
}

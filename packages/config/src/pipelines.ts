/** Pipelines (Airflow DAGs) derived from sources and tables: declared, per-table and default. */
import type { Pipeline, Table } from "./estate";
import type { LoadedSource } from "./loaded-source";
import { dagId } from "./names";

/** The id of a source's implied pipeline for tables that belong to no declared one. */
export const DEFAULT_PIPELINE = "ingest";

/** Airflow retries of a DAG's tasks when neither the pipeline nor its source sets them. */
export const DEFAULT_TASK_RETRIES = 2;
/** Timeout of one task, in minutes, when neither the pipeline nor its source sets it. */
export const DEFAULT_TASK_TIMEOUT_MINUTES = 120;

/**
 * Every pipeline of the estate, sorted by key. Assumes references were checked: unknown table
 * ids in a declared pipeline are ignored here. Dependencies include those implied by tables
 * (a table depending on a table of another pipeline makes its pipeline depend on that one).
 */
export function buildPipelines(
  sources: readonly LoadedSource[],
  tables: readonly Table[],
): Pipeline[] {
  const bySource = new Map<string, Table[]>();
  for (const t of tables) {
    const list = bySource.get(t.source) ?? [];
    list.push(t);
    bySource.set(t.source, list);
  }
  const pipelines: Pipeline[] = [];
  const pipelineOfTable = new Map<string, string>();
  for (const s of sources) {
    const src = s.config;
    const own = bySource.get(src.id) ?? [];
    const ids = new Set(own.map((t) => t.id));
    const claimed = new Set<string>();
    const retries = src.retries ?? DEFAULT_TASK_RETRIES;
    const timeoutMinutes = src.timeoutMinutes ?? DEFAULT_TASK_TIMEOUT_MINUTES;
    src.pipelines.forEach((p, i) => {
      const key = `${src.id}/${p.id}`;
      const members = p.tables.filter((t) => ids.has(t) && !claimed.has(t)).sort();
      members.forEach((t) => {
        claimed.add(t);
        pipelineOfTable.set(`${src.id}/${t}`, key);
      });
      pipelines.push({
        source: src.id,
        id: p.id,
        key,
        dagId: dagId(src.id, p.id),
        description: p.description,
        tables: members,
        schedule: p.schedule ?? src.schedule,
        dependsOn: [...p.dependsOn],
        kind: "declared",
        ownSchedule: p.schedule !== undefined,
        retries: p.retries ?? retries,
        timeoutMinutes: p.timeoutMinutes ?? timeoutMinutes,
        origin: s.pipelineOrigins[i],
      });
    });
    const rest = own.filter((t) => !claimed.has(t.id));
    for (const t of rest.filter((t) => t.schedule !== undefined)) {
      const key = `${src.id}/${t.id.replaceAll("_", "-")}`;
      pipelineOfTable.set(t.key, key);
      pipelines.push({
        source: src.id,
        id: t.id.replaceAll("_", "-"),
        key,
        dagId: dagId(src.id, t.id),
        description: `Table ${t.key} on its own schedule`,
        tables: [t.id],
        schedule: t.schedule!,
        dependsOn: [],
        kind: "table",
        ownSchedule: false,
        retries,
        timeoutMinutes,
        origin: t.origin,
      });
    }
    const defaults = rest
      .filter((t) => t.schedule === undefined)
      .map((t) => t.id)
      .sort();
    if (defaults.length > 0) {
      const key = `${src.id}/${DEFAULT_PIPELINE}`;
      defaults.forEach((t) => pipelineOfTable.set(`${src.id}/${t}`, key));
      pipelines.push({
        source: src.id,
        id: DEFAULT_PIPELINE,
        key,
        dagId: dagId(src.id, DEFAULT_PIPELINE),
        description: `Tables of ${src.id} on the source's schedule`,
        tables: defaults,
        schedule: src.schedule,
        dependsOn: [],
        kind: "default",
        ownSchedule: false,
        retries,
        timeoutMinutes,
        origin: s.origin,
      });
    }
  }
  // Dependencies implied by tables.
  const implied = new Map<string, Set<string>>();
  for (const t of tables) {
    const from = pipelineOfTable.get(t.key);
    if (from === undefined) continue;
    for (const up of t.dependsOn) {
      const to = pipelineOfTable.get(up);
      if (to !== undefined && to !== from) {
        const set = implied.get(from) ?? new Set<string>();
        set.add(to);
        implied.set(from, set);
      }
    }
  }
  return pipelines
    .map((p) => ({
      ...p,
      dependsOn: [...new Set([...p.dependsOn, ...(implied.get(p.key) ?? [])])].sort(),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

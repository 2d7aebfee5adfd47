/**
 * What a local run executes, as data: the source's DAGs in the order Airflow would run them (a
 * DAG after the DAGs whose assets schedule it; in a DAG each table after the tables it waits
 * for; bronze -> silver -> gold), and each table's spec exactly as the platform renders it for
 * the workspace, with two local substitutions: landing is the simulated folder, and the Unity
 * Catalog name `<catalog>.<schema>.<table>` becomes `spark_catalog.<schema>.<table>` (local Spark
 * has one catalog; schemas and tables keep their names).
 */
import { pathToFileURL } from "node:url";
import type { Estate } from "@hdp/config";
import { dagModels, type DagLayer, type DagModel } from "@hdp/dags";
import { renderTableSpecs, type RenderedTableSpec, type TableSpecJson } from "@hdp/platform";

/** Bumped with the plan's shape; `hdp_pipelines.local_run` refuses other versions. */
export const PLAN_VERSION = 1;

/** The catalog every local table lives in. */
export const LOCAL_CATALOG = "spark_catalog";

export interface LocalPlanTable {
  readonly table: string;
  readonly layers: readonly DagLayer[];
  /** Tables of the same DAG that must succeed first. */
  readonly after: readonly string[];
  /** Absolute path of the local spec. */
  readonly spec: string;
}

export interface LocalPlanDag {
  readonly dagId: string;
  readonly pipeline: string;
  /** DAG ids of this source whose success (asset) schedules this DAG. */
  readonly upstream: readonly string[];
  readonly tables: readonly LocalPlanTable[];
}

/** The JSON `python -m hdp_pipelines.local_run --plan` reads. */
export interface LocalPlan {
  readonly planVersion: number;
  readonly source: string;
  readonly environment: string;
  readonly warehouse: string;
  readonly summary: string;
  readonly dates: readonly string[];
  readonly dags: readonly LocalPlanDag[];
}

/** `n` consecutive days from `start` (`YYYY-MM-DD`, UTC). */
export function runDates(start: string, n: number): string[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) =>
    new Date(t0 + i * 86_400_000).toISOString().slice(0, 10),
  );
}

/** Kahn's order, stable: among the ready items the earliest in `items` first. */
function ordered<T>(items: readonly T[], id: (t: T) => string, deps: (t: T) => readonly string[]) {
  const ids = new Set(items.map(id));
  const done = new Set<string>();
  const out: T[] = [];
  let left = [...items];
  while (left.length > 0) {
    const ready = left.find((t) => deps(t).every((d) => done.has(d) || !ids.has(d)));
    // Config checks refuse cycles; should one get here, run the rest as listed.
    const next = ready ?? left[0];
    out.push(next);
    done.add(id(next));
    left = left.filter((t) => t !== next);
  }
  return out;
}

/** The source's DAGs of an environment, each with its upstream DAG ids, in run order. */
export function sourceDags(
  estate: Estate,
  env: string,
  source: string,
): { model: DagModel; upstream: string[] }[] {
  const models = dagModels(estate, env).filter((m) => m.source === source);
  const byAsset = new Map(models.map((m) => [m.asset.uri, m.dagId]));
  const withUp = models.map((model) => ({
    model,
    upstream:
      model.schedule.kind === "assets"
        ? model.schedule.assets.flatMap((a) => byAsset.get(a.uri) ?? [])
        : [],
  }));
  return ordered(
    withUp,
    (d) => d.model.dagId,
    (d) => d.upstream,
  ).map((d) => ({
    ...d,
    model: {
      ...d.model,
      tables: ordered(
        d.model.tables,
        (t) => t.id,
        (t) => t.after,
      ),
    },
  }));
}

/** The source's table specs as the platform renders them for the workspace, by table id. */
export function renderedSpecs(estate: Estate, env: string, source: string) {
  return new Map(
    renderTableSpecs(estate, env)
      .filter((s) => s.spec.source === source)
      .map((s): [string, RenderedTableSpec] => [s.spec.table, s]),
  );
}

/** A rendered spec pointed at a local landing root and the local catalog. */
export function localSpec(spec: TableSpecJson, landingRoot: string): TableSpecJson {
  const local = (name: string): string => `${LOCAL_CATALOG}.${name.split(".").slice(1).join(".")}`;
  const tables = Object.fromEntries(
    Object.entries(spec.tables).map(([layer, name]) => [layer, local(name)]),
  );
  return {
    ...spec,
    landing: {
      ...spec.landing,
      path: pathToFileURL(`${landingRoot}/${spec.source}/${spec.table}/`).href,
    },
    tables,
  };
}

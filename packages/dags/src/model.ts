/**
 * What each DAG of an environment holds, as plain data: the pipelines that run Spark work there
 * (enabled, with at least one enabled table past landing), their tables and layers, schedule,
 * upstream pipelines, retries, timeout, owner, tags and the config files behind them. Pure: the
 * estate in, data out; rendering is `renderDag`'s job.
 */
import {
  effectiveEstate,
  type EffectivePipeline,
  type EffectiveTable,
  type Estate,
} from "@hdp/config";
import { shortHash } from "@hdp/naming";

/** The Spark layers a DAG runs, in data-flow order (landing is written by the sources). */
export const DAG_LAYERS = ["bronze", "silver", "gold"] as const;
/** One Spark layer. */
export type DagLayer = (typeof DAG_LAYERS)[number];

/**
 * Most tasks of one DAG running at once, and so most runs of its Databricks job at once (the
 * job's `maxConcurrentRuns`): a DAG never starts a run that would wait in the job's queue while
 * its timeout ticks, and a domain's instance pool is sized for this many jobs at their largest.
 */
export const MAX_CONCURRENT_RUNS = 4;

/** Longest DAG tag Airflow accepts (`TAG_MAX_LEN`). */
export const AIRFLOW_TAG_MAX = 100;

/** One table of a DAG: its layers, and the tables of the same DAG it waits for. */
export interface DagTable {
  readonly id: string;
  readonly layers: readonly DagLayer[];
  /** Ids of tables of the same pipeline that must finish first (sorted). */
  readonly after: readonly string[];
}

/** The Airflow Asset a pipeline's DAG updates when every table succeeded. */
export interface DagAsset {
  /** `hdp://<env>/<source>/<pipeline>`. */
  readonly uri: string;
  /** The producing DAG's id, for readers of the Assets view. */
  readonly name: string;
}

/** The schedule of one DAG. */
export type DagSchedule =
  | { readonly kind: "cron"; readonly cron: string; readonly timezone: string }
  /** `@once`: one run, then only manual or upstream triggers. */
  | { readonly kind: "once" }
  | { readonly kind: "assets"; readonly assets: readonly DagAsset[] };

/** Everything one DAG file says. */
export interface DagModel {
  readonly dagId: string;
  /** `<source>/<pipeline>`: the key of the Databricks job id. */
  readonly pipelineKey: string;
  readonly source: string;
  readonly pipeline: string;
  readonly environment: string;
  readonly airflowVersion: string;
  readonly description: string;
  readonly schedule: DagSchedule;
  /** The pipeline's cron, also when its upstream pipelines schedule it instead. */
  readonly cron: { readonly cron: string; readonly timezone: string };
  /** Upstream pipeline keys from config that do not run in this environment (not waited for). */
  readonly ignoredUpstream: readonly string[];
  readonly asset: DagAsset;
  readonly owner: string;
  readonly retries: number;
  readonly timeoutMinutes: number;
  readonly tags: readonly string[];
  readonly tables: readonly DagTable[];
  /** Tasks that may run at once: one per table, at most {@link MAX_CONCURRENT_RUNS}. */
  readonly maxActiveTasks: number;
  /** Config files the DAG comes from, relative to the configs directory, sorted. */
  readonly configFiles: readonly string[];
}

/**
 * The 5-field cron each Airflow preset stands for (Airflow's `cron_presets`): CronTriggerTimetable
 * takes cron, and croniter knows no `@quarterly`. `@once` is no cron (see {@link DagSchedule}).
 */
const CRON_PRESETS: Readonly<Record<string, string>> = {
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
  "@quarterly": "0 0 1 */3 *",
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
};

/** The asset of a pipeline in an environment. */
export function pipelineAsset(environment: string, pipelineKey: string, dagId: string): DagAsset {
  return { uri: `hdp://${environment}/${pipelineKey}`, name: `${environment}.${dagId}` };
}

/** A DAG tag within Airflow's limit: longer ones keep a prefix and a hash of the whole. */
export function dagTag(tag: string): string {
  if (tag.length <= AIRFLOW_TAG_MAX) return tag;
  return `${tag.slice(0, AIRFLOW_TAG_MAX - 9)}~${shortHash(tag, 8)}`;
}

/**
 * The DAGs of environment `env`, sorted by DAG id: one per enabled pipeline with an enabled table
 * that reaches bronze. Throws on an unknown environment.
 */
export function dagModels(estate: Estate, env: string): DagModel[] {
  const eff = effectiveEstate(estate, env);
  const tableByKey = new Map(eff.tables.map((t) => [t.key, t]));
  const sourceById = new Map(eff.sources.map((s) => [s.id, s]));
  const running = new Map<string, { p: EffectivePipeline; tables: EffectiveTable[] }>();
  for (const p of eff.pipelines) {
    if (!p.enabled) continue;
    const tables = p.tables
      .map((id) => tableByKey.get(`${p.source}/${id}`))
      .filter((t): t is EffectiveTable => t !== undefined && t.enabled)
      .filter((t) => DAG_LAYERS.some((l) => t.layers.includes(l)));
    if (tables.length > 0) running.set(p.key, { p, tables });
  }

  const models: DagModel[] = [];
  for (const { p, tables } of running.values()) {
    const source = sourceById.get(p.source);
    if (source === undefined) throw new Error(`pipeline ${p.key}: unknown source "${p.source}"`);
    const upstream = p.dependsOn.filter((k) => running.has(k));
    const cron = {
      cron: CRON_PRESETS[p.schedule.cron] ?? p.schedule.cron,
      timezone: p.schedule.timezone,
    };
    const members = new Set(tables.map((t) => t.id));
    const domain = source.domain;
    const tags = [
      "hdp",
      `env:${env}`,
      `source:${p.source}`,
      `domain:${domain}`,
      `classification:${source.classification}`,
      `team:${source.owner.team}`,
      ...Object.entries(source.tags).map(([k, v]) => `${k}:${v}`),
    ].map(dagTag);
    models.push({
      dagId: p.dagId,
      pipelineKey: p.key,
      source: p.source,
      pipeline: p.id,
      environment: env,
      airflowVersion: eff.environment.airflow.version,
      description: p.description ?? `Pipeline ${p.key}`,
      schedule:
        upstream.length > 0
          ? {
              kind: "assets",
              assets: upstream.map((k) => {
                const up = running.get(k)?.p as EffectivePipeline;
                return pipelineAsset(env, k, up.dagId);
              }),
            }
          : p.schedule.cron === "@once"
            ? { kind: "once" }
            : { kind: "cron", ...cron },
      cron,
      ignoredUpstream: p.dependsOn.filter((k) => !running.has(k)),
      asset: pipelineAsset(env, p.key, p.dagId),
      owner: source.owner.team,
      retries: p.retries,
      timeoutMinutes: p.timeoutMinutes,
      tags: [...new Set(tags)].sort(),
      tables: tables
        .map((t) => ({
          id: t.id,
          layers: DAG_LAYERS.filter((l) => t.layers.includes(l)),
          after: [
            ...new Set(
              t.dependsOn
                .filter((k) => k.startsWith(`${p.source}/`))
                .map((k) => k.slice(p.source.length + 1))
                .filter((id) => members.has(id) && id !== t.id),
            ),
          ].sort(),
        }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      maxActiveTasks: Math.min(tables.length, MAX_CONCURRENT_RUNS),
      configFiles: [
        ...new Set([
          eff.environment.origin.file,
          source.origin.file,
          p.origin.file,
          ...tables.map((t) => t.origin.file),
        ]),
      ].sort(),
    });
  }
  return models.sort((a, b) => (a.dagId < b.dagId ? -1 : a.dagId > b.dagId ? 1 : 0));
}

/**
 * Every DAG file of an environment: `renderDags(estate, env, jobIds)` is the whole pure pipeline
 * from config to files; `dagFilePath` is the stable S3 key under `dags/` of each.
 */
import type { Estate } from "@hdp/config";
import { dagModels, type DagModel } from "./model";
import { renderDag } from "./render";
import { validateAirflowTarget } from "./target";

/** One rendered file: a path under the DAG folder and its text. */
export interface RenderedDag {
  readonly path: string;
  readonly content: string;
  readonly dagId: string;
  readonly pipelineKey: string;
}

/** The file of a DAG: `<dag_id>.py`, flat in the DAG folder (one DAG per file). */
export const dagFilePath = (dagId: string): string => `${dagId}.py`;

/**
 * Problems that would make a set of DAGs unsafe to write (empty when fine): a DAG id or file
 * used twice (one file would hide another's DAG), a DAG id Airflow refuses, an unsupported
 * Airflow version.
 */
export function validateDagModels(models: readonly DagModel[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const m of models) {
    if (!/^[A-Za-z0-9_.-]{1,250}$/.test(m.dagId)) {
      problems.push(`pipeline ${m.pipelineKey}: DAG id "${m.dagId}" is not a valid Airflow DAG id`);
    }
    const path = dagFilePath(m.dagId).toLowerCase();
    const other = seen.get(path);
    if (other !== undefined) {
      problems.push(
        `pipelines ${other} and ${m.pipelineKey} both make DAG "${m.dagId}": one file would hide the other`,
      );
    }
    seen.set(path, m.pipelineKey);
  }
  for (const v of new Set(models.map((m) => m.airflowVersion))) {
    problems.push(...validateAirflowTarget(v));
  }
  return problems;
}

/** Throws every problem of {@link validateDagModels} at once. */
export function assertDagModels(models: readonly DagModel[]): void {
  const problems = validateDagModels(models);
  if (problems.length > 0) {
    throw new Error(`cannot generate DAGs:\n  - ${problems.join("\n  - ")}`);
  }
}

/**
 * The DAG files of environment `env`, sorted by path. `jobIds` maps each pipeline key
 * (`<source>/<pipeline>`) to that environment's Databricks job id; a missing one throws.
 */
export function renderDags(
  estate: Estate,
  env: string,
  jobIds: Readonly<Record<string, string>>,
): RenderedDag[] {
  const models = dagModels(estate, env);
  assertDagModels(models);
  const missing = models.filter((m) => jobIds[m.pipelineKey] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `no Databricks job id for ${missing.map((m) => m.pipelineKey).join(", ")} in ${env}`,
    );
  }
  return models.map((m) => ({
    path: dagFilePath(m.dagId),
    content: renderDag(m, jobIds[m.pipelineKey]),
    dagId: m.dagId,
    pipelineKey: m.pipelineKey,
  }));
}

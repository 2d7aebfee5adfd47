/**
 * The contract between a DAG and the Databricks job it triggers: the job runs one task per table
 * and layer, keyed by {@link jobTaskKey}, and takes the partition date as the job parameter
 * {@link JOB_DATE_PARAMETER}. The DAG starts exactly one such task per Airflow task (`only`), so
 * Airflow, the scheduler of record, retries and times out each layer of each table on its own.
 */
import { shortHash } from "@hdp/naming";
import type { DagLayer } from "./model";

/** The job parameter holding the landing partition date (`YYYY-MM-DD`). */
export const JOB_DATE_PARAMETER = "date";

/** Longest task key Databricks accepts. */
export const MAX_TASK_KEY = 100;

/**
 * The key of a table's layer task in its pipeline's job: `<table>__<layer>`, shortened with a
 * hash of the whole when a long table id would pass Databricks' 100 characters.
 */
export function jobTaskKey(table: string, layer: DagLayer): string {
  const full = `${table}__${layer}`;
  if (full.length <= MAX_TASK_KEY) return full;
  const keep = MAX_TASK_KEY - layer.length - 2 - 9;
  return `${table.slice(0, keep)}_${shortHash(table, 8)}__${layer}`;
}

/** The Airflow template of the partition date: the run's date (asset-triggered runs have no logical date). */
export const DATE_TEMPLATE = "{{ dag_run.run_after | ds }}";

/**
 * Retries of each Databricks task inside its run: one, for failures a warm cluster survives (a
 * lost spot instance, a driver restart), 5 minutes after the failed attempt. Airflow retries the
 * whole task on top of this (the config's `retries`).
 */
export const JOB_TASK_RETRIES = 1;
/** Wait before a Databricks task's retry. */
export const JOB_TASK_RETRY_INTERVAL_MINUTES = 5;
/** Time a run may spend starting its job cluster before the first attempt. */
export const CLUSTER_START_MINUTES = 15;

/**
 * Airflow's `execution_timeout` of a task whose Databricks attempts may each run
 * `timeoutMinutes`: every attempt, the waits between them and the cluster's start, so Airflow
 * never cancels a run Databricks would still finish.
 */
export function airflowTimeoutMinutes(timeoutMinutes: number): number {
  return (
    (JOB_TASK_RETRIES + 1) * timeoutMinutes +
    JOB_TASK_RETRIES * JOB_TASK_RETRY_INTERVAL_MINUTES +
    CLUSTER_START_MINUTES
  );
}

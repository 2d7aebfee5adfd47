/**
 * Where the ingest code and the table specs live in each environment's Databricks workspace,
 * and the task a job runs for one table and layer: the deployed entry script with that table's
 * spec and the run's date (`hdp_pipelines/entry.py --layer L --spec S --date D`).
 */
import type { IngestTaskSpec } from "@hdp/spark";
import { JOB_DATE_PARAMETER, jobTaskKey, type DagLayer } from "@hdp/dags";
import { tableSpecPath } from "./table-spec";

/**
 * The workspace folder of the deployed ingest code (`hdp_pipelines/…`) and the specs
 * (`specs/<source>/<table>.json`). Not under `/Workspace/Shared`, which every user may write.
 */
export const INGEST_ROOT = "/Workspace/hdp/pipelines";

/** The script every ingest task runs. */
export const INGEST_ENTRY_POINT = `${INGEST_ROOT}/hdp_pipelines/entry.py`;

/** Workspace path of a table's spec (`<root>/specs/<source>/<table>.json`). */
export const specWorkspacePath = (source: string, table: string): string =>
  `${INGEST_ROOT}/${tableSpecPath(source, table)}`;

/**
 * Default of the job's date parameter when a run is started without one (from the Databricks
 * UI, say): the day the run started. Airflow always passes the date.
 */
export const JOB_DATE_DEFAULT = "{{job.start_time.iso_date}}";

/** One table's layer task: the entry script with its spec and the job's date parameter. */
export function ingestTask(
  source: string,
  table: string,
  layer: DagLayer,
  previous: DagLayer | undefined,
): IngestTaskSpec {
  return {
    taskKey: jobTaskKey(table, layer),
    ...(previous !== undefined ? { dependsOn: [jobTaskKey(table, previous)] } : {}),
    code: {
      pythonFile: INGEST_ENTRY_POINT,
      parameters: [
        "--layer",
        layer,
        "--spec",
        specWorkspacePath(source, table),
        "--date",
        `{{job.parameters.${JOB_DATE_PARAMETER}}}`,
      ],
    },
  };
}

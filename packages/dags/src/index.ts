// @hdp/dags: config -> static Airflow DAG files (pure functions, no I/O).
export {
  AIRFLOW_TAG_MAX,
  DAG_LAYERS,
  MAX_CONCURRENT_RUNS,
  dagModels,
  dagTag,
  pipelineAsset,
  type DagAsset,
  type DagLayer,
  type DagModel,
  type DagSchedule,
  type DagTable,
} from "./model";
export { DATABRICKS_CONN_ID, renderDag } from "./render";
export {
  assertDagModels,
  dagFilePath,
  renderDags,
  validateDagModels,
  type RenderedDag,
} from "./files";
export {
  airflowTimeoutMinutes,
  CLUSTER_START_MINUTES,
  DATE_TEMPLATE,
  JOB_DATE_PARAMETER,
  JOB_TASK_RETRIES,
  JOB_TASK_RETRY_INTERVAL_MINUTES,
  jobTaskKey,
  MAX_TASK_KEY,
} from "./job-tasks";
export {
  AIRFLOW_TARGETS,
  airflowRequirements,
  airflowTarget,
  validateAirflowTarget,
  type AirflowTarget,
} from "./target";
export { isPyIdentifier, pyComment, pyStr } from "./python";

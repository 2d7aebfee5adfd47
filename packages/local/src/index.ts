/** @hdp/local: `hdp local run`, a source's pipeline on one machine (simulated data, local Spark + Delta). */
export {
  checkLocalRunOptions,
  DEFAULTS,
  defaultOut,
  LIMITS,
  MARKER,
  outDirProblem,
  type LocalRunOptions,
} from "./options";
export {
  LOCAL_CATALOG,
  localSpec,
  PLAN_VERSION,
  renderedSpecs,
  runDates,
  sourceDags,
  type LocalPlan,
  type LocalPlanDag,
  type LocalPlanTable,
} from "./plan";
export {
  findPythonEnv,
  PYTHON_ENV_COMMAND,
  PythonEnvError,
  repositoryRoot,
  venvPython,
  type PythonEnv,
} from "./python-env";
export { localRun, LocalRunError, runPaths, writePlan, type LocalRunHooks } from "./run";
export { openHint, renderLocalRun } from "./render";
export type {
  LayerName,
  LocalRunSummary,
  SparkSummary,
  TableSummary,
  TaskSummary,
} from "./summary";

/**
 * The tasks of an ingest job as plain data: bronze → silver → gold, each depending on the layer
 * before it, each on the job's one job cluster (a task without a cluster silently runs on
 * serverless compute), each with bounded retries and a timeout.
 */
import { validateIntRange } from "./validation";

/** The layers an ingest job runs, in order. */
export const INGEST_LAYERS = ["bronze", "silver", "gold"] as const;

/** One layer of an ingest job. */
export type IngestLayer = (typeof INGEST_LAYERS)[number];

/** The code one layer's task runs: a notebook or a Python file. */
export type IngestTaskCode =
  | {
      /** Workspace path of the notebook. */
      readonly notebookPath: string;
      /** Notebook widgets. */
      readonly parameters?: Readonly<Record<string, string>>;
    }
  | {
      /** Workspace, volume or `s3://` path of the Python file. */
      readonly pythonFile: string;
      /** Command-line arguments. */
      readonly parameters?: readonly string[];
    };

/**
 * One task of a job given by key (a job with a task per table and layer): what it runs and the
 * keys of tasks listed before it that it waits for.
 */
export interface IngestTaskSpec {
  /** Letters, digits, `_` and `-`, at most 100 characters; unique in the job. */
  readonly taskKey: string;
  /** Keys of earlier tasks of the job. @default [] */
  readonly dependsOn?: readonly string[];
  readonly code: IngestTaskCode;
}

/**
 * A job's tasks: one per layer (run bronze → silver → gold), or a list of keyed tasks with their
 * own dependencies.
 */
export type IngestTasks =
  Readonly<Partial<Record<IngestLayer, IngestTaskCode>>> | readonly IngestTaskSpec[];

/** Retry and timeout settings applied to every task. */
export interface TaskRetryPolicy {
  /** Retries after a failed attempt (0–10; Databricks' -1, retry forever, is refused). */
  readonly maxRetries: number;
  /** Milliseconds between the start of a failed attempt and its retry (0–3 h). */
  readonly minRetryIntervalMillis: number;
  /** Seconds before an attempt is stopped (1–48 h; 0, no timeout, is refused). */
  readonly timeoutSeconds: number;
  /** Retry an attempt that timed out. */
  readonly retryOnTimeout: boolean;
}

/** The key of the job cluster every task runs on. */
export const INGEST_JOB_CLUSTER_KEY = "ingest";

/** A task as `databricks.Job` takes it (plain values only). */
export interface IngestTask {
  readonly taskKey: string;
  readonly dependsOns?: readonly { readonly taskKey: string }[];
  readonly jobClusterKey: string;
  readonly maxRetries: number;
  readonly minRetryIntervalMillis: number;
  readonly timeoutSeconds: number;
  readonly retryOnTimeout: boolean;
  readonly notebookTask?: {
    readonly notebookPath: string;
    readonly baseParameters?: Readonly<Record<string, string>>;
  };
  readonly sparkPythonTask?: {
    readonly pythonFile: string;
    readonly parameters?: readonly string[];
  };
}

/** Every problem with the tasks and retry policy. */
export function validateIngestTasks(tasks: IngestTasks, retry: TaskRetryPolicy): string[] {
  const problems = [
    ...validateIntRange("retry.maxRetries", retry.maxRetries, 0, 10),
    ...validateIntRange(
      "retry.minRetryIntervalMillis",
      retry.minRetryIntervalMillis,
      0,
      10_800_000,
    ),
    ...validateIntRange("taskTimeoutSeconds", retry.timeoutSeconds, 1, 172_800),
  ];
  if (isTaskList(tasks)) return [...problems, ...validateTaskList(tasks)];
  const unknown = Object.keys(tasks).filter(
    (k) => !(INGEST_LAYERS as readonly string[]).includes(k),
  );
  if (unknown.length > 0) {
    problems.push(`tasks: unknown layer(s) ${unknown.join(", ")}; use ${INGEST_LAYERS.join(", ")}`);
  }
  const present = INGEST_LAYERS.filter((l) => tasks[l] !== undefined);
  if (present.length === 0) problems.push("tasks: give at least one of bronze, silver, gold");
  for (const layer of present) {
    problems.push(...validateCode(`tasks.${layer}`, tasks[layer] as IngestTaskCode));
  }
  return problems;
}

const isTaskList = (tasks: IngestTasks): tasks is readonly IngestTaskSpec[] => Array.isArray(tasks);

/** Exactly one of a notebook and a Python file, with a path. */
function validateCode(where: string, code: IngestTaskCode): string[] {
  const c = code as IngestTaskCode & { notebookPath?: unknown; pythonFile?: unknown };
  const hasNotebook = typeof c.notebookPath === "string";
  const hasPython = typeof c.pythonFile === "string";
  if (hasNotebook === hasPython)
    return [`${where}: give exactly one of notebookPath and pythonFile`];
  if (((c.notebookPath ?? c.pythonFile) as string).trim().length === 0) {
    return [`${where}: the path is empty`];
  }
  return [];
}

/**
 * Most tasks one job holds: 1000 since the Jobs API 2.2 (Databricks, "Jobs with a large number
 * of tasks"). The provider creates and reads jobs through 2.2; a client still on 2.1 (an old SDK
 * or CLI) fails on jobs of more than 100 tasks. A DAG's run triggers one task (`only`), so the
 * Airflow provider's 2.1 `runs/get` sees one task, never the job's whole list.
 */
export const MAX_JOB_TASKS = 1000;

/** Keys valid and unique, dependencies on tasks listed earlier (so no cycle), code complete. */
function validateTaskList(tasks: readonly IngestTaskSpec[]): string[] {
  const problems: string[] = [];
  if (tasks.length === 0) problems.push("tasks: give at least one task");
  if (tasks.length > MAX_JOB_TASKS)
    problems.push(`tasks: ${tasks.length} tasks; Databricks allows ${MAX_JOB_TASKS} per job`);
  const seen = new Set<string>();
  for (const t of tasks) {
    const where = `tasks["${t.taskKey}"]`;
    if (!/^[\w-]{1,100}$/.test(t.taskKey)) {
      problems.push(`${where}: a task key is 1-100 letters, digits, "_" or "-"`);
    }
    if (seen.has(t.taskKey)) problems.push(`${where}: the key appears twice`);
    for (const d of t.dependsOn ?? []) {
      if (!seen.has(d)) problems.push(`${where}: depends on "${d}", which is not an earlier task`);
    }
    problems.push(...validateCode(where, t.code));
    seen.add(t.taskKey);
  }
  return problems;
}

/**
 * The tasks in layer order; each depends on the previous present layer, so bronze → silver →
 * gold (a missing layer is skipped, not a gap). Every task names the one job cluster.
 */
export function buildIngestTasks(tasks: IngestTasks, retry: TaskRetryPolicy): IngestTask[] {
  if (isTaskList(tasks)) {
    return tasks.map((t) => ({
      taskKey: t.taskKey,
      ...((t.dependsOn ?? []).length > 0
        ? { dependsOns: (t.dependsOn ?? []).map((taskKey) => ({ taskKey })) }
        : {}),
      ...taskSettings(retry, t.code),
    }));
  }
  const out: IngestTask[] = [];
  let previous: IngestLayer | undefined;
  for (const layer of INGEST_LAYERS) {
    const code = tasks[layer];
    if (code === undefined) continue;
    out.push({
      taskKey: layer,
      ...(previous !== undefined ? { dependsOns: [{ taskKey: previous }] } : {}),
      ...taskSettings(retry, code),
    });
    previous = layer;
  }
  return out;
}

/** What every task carries: the job cluster, the retry policy and its code. */
function taskSettings(
  retry: TaskRetryPolicy,
  code: IngestTaskCode,
): Omit<IngestTask, "taskKey" | "dependsOns"> {
  return {
    jobClusterKey: INGEST_JOB_CLUSTER_KEY,
    maxRetries: retry.maxRetries,
    minRetryIntervalMillis: retry.minRetryIntervalMillis,
    timeoutSeconds: retry.timeoutSeconds,
    retryOnTimeout: retry.retryOnTimeout,
    ...("notebookPath" in code
      ? {
          notebookTask: {
            notebookPath: code.notebookPath,
            ...(code.parameters ? { baseParameters: code.parameters } : {}),
          },
        }
      : {
          sparkPythonTask: {
            pythonFile: code.pythonFile,
            ...(code.parameters ? { parameters: code.parameters } : {}),
          },
        }),
  };
}

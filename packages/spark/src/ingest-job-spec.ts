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
  readonly taskKey: IngestLayer;
  readonly dependsOns?: readonly { readonly taskKey: IngestLayer }[];
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
export function validateIngestTasks(
  tasks: Readonly<Partial<Record<IngestLayer, IngestTaskCode>>>,
  retry: TaskRetryPolicy,
): string[] {
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
  const unknown = Object.keys(tasks).filter(
    (k) => !(INGEST_LAYERS as readonly string[]).includes(k),
  );
  if (unknown.length > 0) {
    problems.push(`tasks: unknown layer(s) ${unknown.join(", ")}; use ${INGEST_LAYERS.join(", ")}`);
  }
  const present = INGEST_LAYERS.filter((l) => tasks[l] !== undefined);
  if (present.length === 0) problems.push("tasks: give at least one of bronze, silver, gold");
  for (const layer of present) {
    const code = tasks[layer] as IngestTaskCode & { notebookPath?: unknown; pythonFile?: unknown };
    const hasNotebook = typeof code.notebookPath === "string";
    const hasPython = typeof code.pythonFile === "string";
    if (hasNotebook === hasPython) {
      problems.push(`tasks.${layer}: give exactly one of notebookPath and pythonFile`);
    } else if (((code.notebookPath ?? code.pythonFile) as string).trim().length === 0) {
      problems.push(`tasks.${layer}: the path is empty`);
    }
  }
  return problems;
}

/**
 * The tasks in layer order; each depends on the previous present layer, so bronze → silver →
 * gold (a missing layer is skipped, not a gap). Every task names the one job cluster.
 */
export function buildIngestTasks(
  tasks: Readonly<Partial<Record<IngestLayer, IngestTaskCode>>>,
  retry: TaskRetryPolicy,
): IngestTask[] {
  const out: IngestTask[] = [];
  let previous: IngestLayer | undefined;
  for (const layer of INGEST_LAYERS) {
    const code = tasks[layer];
    if (code === undefined) continue;
    out.push({
      taskKey: layer,
      ...(previous !== undefined ? { dependsOns: [{ taskKey: previous }] } : {}),
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
    });
    previous = layer;
  }
  return out;
}

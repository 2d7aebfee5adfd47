/**
 * `hdp local run`: simulate a source's data, render its specs, run its DAGs' tasks in one local
 * Spark (the Python side), and gather the summary. The caller has checked the options
 * (`checkLocalRunOptions`) and found the Python environment (`findPythonEnv`) first, so a bad
 * request writes nothing.
 */
import { spawn } from "node:child_process";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { delimiter, dirname, join } from "node:path";
import type { Estate } from "@hdp/config";
import { localTarget, simulateData } from "@hdp/simulate";
import { MARKER, type LocalRunOptions } from "./options";
import {
  localSpec,
  PLAN_VERSION,
  renderedSpecs,
  runDates,
  sourceDags,
  type LocalPlan,
} from "./plan";
import type { PythonEnv } from "./python-env";
import type { LocalRunSummary, SparkSummary } from "./summary";

/** A run that could not finish (the Python side crashed, or wrote no summary). */
export class LocalRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LocalRunError";
  }
}

/** The folders and files of a run under its output folder. */
export function runPaths(out: string) {
  return {
    out,
    landing: join(out, "landing"),
    specs: join(out, "specs"),
    warehouse: join(out, "warehouse"),
    plan: join(out, "plan.json"),
    summary: join(out, "summary.json"),
    log: join(out, "spark.log"),
  };
}

export interface LocalRunHooks {
  /** A progress line (simulating, each Spark task). */
  readonly onProgress?: (line: string) => void;
}

/** Writes the local specs and the plan; returns the plan. */
export function writePlan(estate: Estate, o: LocalRunOptions): LocalPlan {
  const paths = runPaths(o.out);
  const specs = renderedSpecs(estate, o.env, o.source);
  const written = new Set<string>();
  const dags = sourceDags(estate, o.env, o.source).map(({ model, upstream }) => ({
    dagId: model.dagId,
    pipeline: model.pipeline,
    upstream,
    tables: model.tables.map((t) => {
      const rendered = specs.get(t.id);
      if (rendered === undefined) throw new Error(`${o.source}/${t.id}: no rendered spec`);
      const file = join(paths.specs, rendered.path);
      if (!written.has(file)) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(
          file,
          `${JSON.stringify(localSpec(rendered.spec, paths.landing), null, 2)}\n`,
        );
        written.add(file);
      }
      return { table: t.id, layers: t.layers, after: t.after, spec: file };
    }),
  }));
  const plan: LocalPlan = {
    planVersion: PLAN_VERSION,
    source: o.source,
    environment: o.env,
    warehouse: paths.warehouse,
    summary: paths.summary,
    dates: runDates(o.start, o.days),
    dags,
  };
  writeFileSync(paths.plan, `${JSON.stringify(plan, null, 2)}\n`);
  return plan;
}

/** Runs `python -m hdp_pipelines.local_run`; every output line goes to the log. */
function runSpark(
  env: PythonEnv,
  planFile: string,
  log: string,
  onProgress: (line: string) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const logStream = createWriteStream(log);
    const child = spawn(env.python, ["-m", "hdp_pipelines.local_run", "--plan", planFile], {
      cwd: dirname(planFile),
      env: {
        ...process.env,
        PYTHONPATH: [env.codeRoot, process.env.PYTHONPATH].filter(Boolean).join(delimiter),
        PYTHONUNBUFFERED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let pending = "";
    child.stdout.on("data", (chunk: Buffer) => {
      logStream.write(chunk);
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("hdp-local: ")) onProgress(line.slice("hdp-local: ".length));
      }
    });
    child.stderr.on("data", (chunk: Buffer) => logStream.write(chunk));
    child.on("error", (e) => {
      logStream.end();
      reject(e);
    });
    child.on("close", (code) => logStream.end(() => resolve(code ?? 1)));
  });
}

/** The last lines of the log, for an error message. */
function logTail(log: string, lines = 15): string {
  if (!existsSync(log)) return "";
  return readFileSync(log, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

/** The whole run. Replaces an earlier run's output folder (the options check refused others). */
export async function localRun(
  estate: Estate,
  o: LocalRunOptions,
  env: PythonEnv,
  hooks: LocalRunHooks = {},
): Promise<LocalRunSummary> {
  const progress = hooks.onProgress ?? (() => undefined);
  const started = Date.now();
  const paths = runPaths(o.out);
  rmSync(o.out, { recursive: true, force: true });
  mkdirSync(o.out, { recursive: true });
  writeFileSync(
    join(o.out, MARKER),
    `${JSON.stringify({ source: o.source, environment: o.env, days: o.days, rows: o.rows, seed: o.seed, badRows: o.badRows }, null, 2)}\n`,
  );

  progress(`simulating ${o.source} (${o.env}): ${o.rows} rows per table per day, ${o.days} day(s)`);
  const data = await simulateData(
    {
      estate,
      env: o.env,
      source: o.source,
      rows: o.rows,
      days: o.days,
      seed: o.seed,
      start: o.start,
      badShare: o.badRows,
    },
    localTarget(paths.landing),
  );
  const simulateSeconds = (Date.now() - started) / 1000;
  writePlan(estate, o);

  const code = await runSpark(env, paths.plan, paths.log, progress);
  if (code === 2 || !existsSync(paths.summary)) {
    throw new LocalRunError(
      `the local Spark run failed (exit ${code}; log: ${paths.log})\n${logTail(paths.log)}`,
    );
  }
  const spark = JSON.parse(readFileSync(paths.summary, "utf8")) as SparkSummary;
  return {
    source: o.source,
    environment: o.env,
    ok: spark.ok && code === 0,
    dates: spark.dates,
    paths: {
      out: paths.out,
      landing: paths.landing,
      specs: paths.specs,
      warehouse: paths.warehouse,
      plan: paths.plan,
      log: paths.log,
    },
    simulated: {
      rows: data.rows,
      tables: data.tables.map((t) => ({
        table: t.table,
        format: t.format,
        rows: t.rows,
        files: t.files.length,
        ops: t.ops,
        badOnPurpose: t.bad["null-key"] + t.bad["wrong-type"] + t.bad.overflow,
      })),
    },
    tables: spark.tables,
    tasks: spark.tasks,
    timings: {
      ...spark.timings,
      simulateSeconds: Math.round(simulateSeconds * 1000) / 1000,
      wallSeconds: Math.round(Date.now() - started) / 1000,
    },
  };
}

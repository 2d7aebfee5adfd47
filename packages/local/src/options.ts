/**
 * The options of `hdp local run` and their checks: every problem at once, before anything is
 * written (the output folder included: an unrelated non-empty folder is never cleared).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Estate } from "@hdp/config";
import { DAG_LAYERS, dagModels } from "@hdp/dags";

/** What a local run is asked to do. */
export interface LocalRunOptions {
  readonly source: string;
  /** Environment whose config (enabled tables, overrides) the run uses. @default "dev" */
  readonly env: string;
  /** Daily landing partitions simulated and run. */
  readonly days: number;
  /** Rows per table per day. */
  readonly rows: number;
  readonly seed: number;
  /**
   * Share of the simulated rows made bad on purpose (a wrong type, a null key, an overflow), to
   * exercise quarantine; 0 to 1, as `hdp simulate data --bad-rows`. @default 0.01
   */
  readonly badRows: number;
  /** First day (`YYYY-MM-DD`). @default "2025-01-06" (as `hdp simulate data`) */
  readonly start: string;
  /** Absolute output folder: landing files, specs, the plan, the Delta tables, the log. */
  readonly out: string;
}

export const DEFAULTS = {
  env: "dev",
  days: 2,
  rows: 50,
  seed: 1,
  badRows: 0.01,
  start: "2025-01-06",
} as const;
/** Upper bounds that keep a local run local (one machine, one Spark driver). */
export const LIMITS = { days: 31, rows: 100_000 } as const;

/** The file that marks a folder as an earlier local run's (which a new run may replace). */
export const MARKER = ".hdp-local-run.json";

/** Default output folder: `<repository>/.hdp/local/<source>` (`.hdp/` is git-ignored). */
export const defaultOut = (repoRoot: string, source: string): string =>
  join(repoRoot, ".hdp", "local", source);

/** Why `dir` must not be used as the output folder, or undefined when it may. */
export function outDirProblem(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return `--out: ${dir} is a file, not a folder`;
  const entries = readdirSync(dir);
  if (entries.length === 0 || entries.includes(MARKER)) return undefined;
  return `--out: ${dir} is not empty and holds no earlier hdp local run (no ${MARKER}): choose another folder or empty it`;
}

/** Every problem with the options, as `--flag: message` lines; empty when the run may start. */
export function checkLocalRunOptions(estate: Estate, o: LocalRunOptions): string[] {
  const p: string[] = [];
  const envs = estate.environments.map((e) => e.name);
  const envOk = envs.includes(o.env);
  if (!envOk) p.push(`--env: unknown environment "${o.env}" (environments: ${envs.join(", ")})`);
  const sources = estate.sources.map((s) => s.id).sort();
  if (!sources.includes(o.source)) {
    p.push(`--source: unknown source "${o.source}" (sources: ${sources.join(", ")})`);
  } else if (envOk && !dagModels(estate, o.env).some((d) => d.source === o.source)) {
    p.push(
      `--source: ${o.source} runs no Spark work in ${o.env} (no enabled pipeline with an enabled table past landing)`,
    );
  }
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > LIMITS.days)
    p.push(`--days: must be a whole number from 1 to ${LIMITS.days} (got ${o.days})`);
  if (!Number.isInteger(o.rows) || o.rows < 1 || o.rows > LIMITS.rows)
    p.push(`--rows: must be a whole number from 1 to ${LIMITS.rows} (got ${o.rows})`);
  if (!Number.isSafeInteger(o.seed)) p.push(`--seed: must be a whole number (got ${o.seed})`);
  if (!(Number.isFinite(o.badRows) && o.badRows >= 0 && o.badRows <= 1))
    p.push(`--bad-rows: must be a share from 0 to 1, e.g. 0.05 (got ${o.badRows})`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.start) || Number.isNaN(Date.parse(`${o.start}T00:00:00Z`)))
    p.push(`--start: must be a date YYYY-MM-DD (got ${o.start})`);
  const out = outDirProblem(o.out);
  if (out !== undefined) p.push(out);
  return p;
}

/** The layers a local run executes (landing is what the simulator writes). */
export const RUN_LAYERS = DAG_LAYERS;

/**
 * `hdp simulate estate` and `hdp simulate data`: synthetic config trees and PHI-free data sets.
 * Each runs to data (a summary) and a renderer; problems in the options are usage errors,
 * reported all at once, and nothing is written.
 */
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { formatError, loadEstate } from "@hdp/config";
import { isInteractive } from "@hdp/plan";
import {
  checkDataOptions,
  checkEstateOptions,
  ESTATE_PRESETS,
  generateEstate,
  localTarget,
  parseS3Url,
  s3Target,
  simulateData,
  TargetError,
  BlockWorkerError,
  writeEstate,
  type DataFormat,
  type DataResult,
  type EstateOptions,
  type EstatePreset,
  type GeneratedEstate,
  type Target,
} from "@hdp/simulate";
import { CliError, EXIT, UsageError, type ExitCode } from "../exit-codes";
import type { Io } from "../io";

const n = (x: number): string => x.toLocaleString("en-US");
const int =
  (flag: string) =>
  (v: string): number => {
    if (!/^-?\d+$/.test(v)) throw new UsageError(`${flag} must be a whole number (got "${v}")`);
    return Number(v);
  };

export interface EstateCliOptions {
  readonly preset?: EstatePreset | undefined;
  readonly hospitals?: number | undefined;
  readonly sources?: number | undefined;
  readonly tablesPerSource?: number | undefined;
  readonly seed?: number | undefined;
  readonly out: string;
}

/** Options from flags over the preset (default: `small`). */
export function estateOptions(o: EstateCliOptions): EstateOptions {
  const base = ESTATE_PRESETS[o.preset ?? "small"];
  const opts: EstateOptions = {
    hospitals: o.hospitals ?? base.hospitals,
    sources: o.sources ?? base.sources,
    tablesPerSource: o.tablesPerSource ?? base.tablesPerSource,
    seed: o.seed ?? base.seed,
  };
  const problems = checkEstateOptions(opts);
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  return opts;
}

export function renderEstate(e: GeneratedEstate, out: string): string {
  const s = e.summary;
  const envs = Object.keys(s.estimatedResources)
    .map((env) => `${env}: ${s.stacks[env]} stack(s), ~${n(s.estimatedResources[env])} resources`)
    .join("; ");
  return `wrote ${n(e.files.size)} files to ${out}: ${s.hospitals} hospitals, ${n(s.sources)} sources, ${n(s.tables)} tables, ${n(s.pipelines)} pipelines — ${envs}\n`;
}

export function renderData(r: DataResult, out: string): string {
  const bad = r.tables.reduce(
    (a, t) => a + t.bad["null-key"] + t.bad["wrong-type"] + t.bad.overflow,
    0,
  );
  const files = r.tables.reduce((a, t) => a + t.files.length, 0);
  return `wrote ${n(r.rows)} rows (${n(bad)} bad on purpose) of ${r.tables.length} table(s) in ${n(files)} files to ${out}\n`;
}

/** A one-line progress bar on a terminal (stderr, outside CI); nothing in pipes and CI. */
export function progressBar(
  io: Io,
): ((done: number, total: number, label: string, rows: number) => void) | undefined {
  if (!(io.interactive ?? isInteractive(process.stderr, process.env))) return undefined;
  return (done, total, label, rows) => {
    if (total === 0) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    io.stderr(
      `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} tables, ${n(rows)} rows ${label.slice(0, 40).padEnd(40)}${done === total ? "\n" : ""}`,
    );
  };
}

export function registerSimulate(
  program: Command,
  io: Io,
  setExit: (code: ExitCode) => void,
): void {
  const simulate = program
    .command("simulate")
    .description("generate synthetic config estates and PHI-free data sets");

  simulate
    .command("estate")
    .description("write a valid config tree of any size (same seed, same bytes)")
    .addOption(new Option("--preset <name>", "a named size").choices(Object.keys(ESTATE_PRESETS)))
    .option("--hospitals <n>", "hospitals", int("--hospitals"))
    .option("--sources <n>", "source systems", int("--sources"))
    .option("--tables-per-source <n>", "average tables per source", int("--tables-per-source"))
    .option("--seed <n>", "random seed", int("--seed"))
    .requiredOption("--out <dir>", "a new or empty directory")
    .action((opts: EstateCliOptions) => {
      const options = estateOptions(opts);
      let estate: GeneratedEstate;
      try {
        estate = generateEstate(options);
      } catch (e) {
        // Options that are each in range but together need more DAGs than MWAA runs.
        throw new UsageError((e as Error).message);
      }
      const out = resolve(io.cwd, opts.out);
      try {
        writeEstate(estate, out);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      io.stdout(renderEstate(estate, out));
      setExit(EXIT.ok);
    });

  simulate
    .command("data")
    .description("write rows for the tables of an environment where the pipelines read them")
    .option("--configs <dir>", "the configs directory", "configs")
    .requiredOption("--env <env>", "environment (tables enabled there)")
    .option("--source <id>", "one source")
    .option("--table <id>", "one table")
    .option("--rows <n>", "rows per table per day", int("--rows"), 1000)
    .option("--days <n>", "daily partitions", int("--days"), 1)
    .option("--seed <n>", "random seed", int("--seed"), 1)
    .option("--start <date>", "first partition date (YYYY-MM-DD)", "2025-01-06")
    .option("--bad-rows <share>", "share of rows made bad for quarantine (0-1)", parseFloat, 0.01)
    .addOption(
      new Option(
        "--format <format>",
        "landing format of row tables (default: each table's configured one)",
      ).choices(["csv", "ndjson", "parquet"]),
    )
    .requiredOption("--out <dir|s3://bucket/prefix>", "a new or empty directory, or S3 prefix")
    .option(
      "--s3-endpoint <url>",
      "an S3-compatible endpoint for s3:// outputs (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS)",
    )
    .option("--overwrite", "write into a non-empty directory or prefix (same names are replaced)")
    .option(
      "--threads <n>",
      "worker threads generating rows, 0 for none; the same bytes whatever the number (default: one per core, at most 4, from 50,000 rows on)",
      int("--threads"),
    )
    .action(
      async (opts: {
        configs: string;
        env: string;
        source?: string;
        table?: string;
        rows: number;
        days: number;
        seed: number;
        start: string;
        badRows: number;
        format?: DataFormat;
        out: string;
        s3Endpoint?: string;
        overwrite?: boolean;
        threads?: number;
      }) => {
        const loaded = loadEstate(resolve(io.cwd, opts.configs));
        if (!loaded.ok) {
          for (const e of loaded.errors) io.stderr(`${formatError(e)}\n`);
          setExit(EXIT.problems);
          return;
        }
        const s3 = opts.out.startsWith("s3://");
        const out = s3 ? opts.out : resolve(io.cwd, opts.out);
        const options = {
          estate: loaded.estate,
          env: opts.env,
          source: opts.source,
          table: opts.table,
          rows: opts.rows,
          days: opts.days,
          seed: opts.seed,
          start: opts.start,
          badShare: opts.badRows,
          format: opts.format,
          threads: opts.threads,
          onProgress: progressBar(io),
        };
        const problems = checkDataOptions(options);
        if (s3 && parseS3Url(opts.out) === undefined)
          problems.push(`--out: "${opts.out}" is not an S3 URL of the form s3://bucket/prefix`);
        if (!s3 && opts.s3Endpoint !== undefined)
          problems.push("--s3-endpoint applies only to an s3:// --out");
        if (opts.s3Endpoint !== undefined && !/^https?:\/\/[^/]/.test(opts.s3Endpoint))
          problems.push(`--s3-endpoint must be an http(s):// URL (got "${opts.s3Endpoint}")`);
        if (problems.length > 0) throw new UsageError(problems.join("\n"));
        try {
          const target: Target = s3
            ? s3Target(opts.out, { endpoint: opts.s3Endpoint })
            : localTarget(out);
          // Checked before anything is generated; also where missing credentials or a missing bucket show.
          if (opts.overwrite !== true && !(await target.isEmpty()))
            throw new UsageError(
              `${out} is not empty: simulate data writes into a new or empty ${s3 ? "prefix" : "directory"} (--overwrite to write into it)`,
            );
          const result = await simulateData(options, target);
          io.stdout(renderData(result, out));
        } catch (e) {
          if (e instanceof TargetError) throw new CliError(e.message, EXIT.problems);
          if (e instanceof BlockWorkerError) {
            throw new CliError(
              `simulate data failed: ${e.message}; the files it had not finished were removed (${out} holds only whole files, not every table)`,
              EXIT.problems,
            );
          }
          throw e;
        }
        setExit(EXIT.ok);
      },
    );
}

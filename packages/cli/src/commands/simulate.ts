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
  simulateData,
  writeEstate,
  type DataFormat,
  type DataResult,
  type EstateOptions,
  type EstatePreset,
  type GeneratedEstate,
} from "@hdp/simulate";
import { EXIT, UsageError, type ExitCode } from "../exit-codes";
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

/** A one-line progress bar on a terminal; nothing otherwise. */
function progressBar(io: Io): ((done: number, total: number, label: string) => void) | undefined {
  if (!(io.interactive ?? isInteractive(process.stderr, process.env))) return undefined;
  return (done, total, label) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    io.stderr(
      `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${label.slice(0, 40).padEnd(40)}${done === total ? "\n" : ""}`,
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
    .requiredOption("--out <dir>", "output directory")
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
      }) => {
        const loaded = loadEstate(resolve(io.cwd, opts.configs));
        if (!loaded.ok) {
          for (const e of loaded.errors) io.stderr(`${formatError(e)}\n`);
          setExit(EXIT.problems);
          return;
        }
        if (opts.out.startsWith("s3://"))
          throw new UsageError("s3:// targets are not supported yet");
        const out = resolve(io.cwd, opts.out);
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
          onProgress: progressBar(io),
        };
        const problems = checkDataOptions(options);
        if (problems.length > 0) throw new UsageError(problems.join("\n"));
        const result = await simulateData(options, localTarget(out));
        io.stdout(renderData(result, out));
        setExit(EXIT.ok);
      },
    );
}

/**
 * `hdp local run`: a source's pipeline on this machine — simulated PHI-free data, the specs the
 * platform deploys, the DAGs' tasks in one local Spark with Delta Lake (packages/local). Bad
 * options are reported all at once (exit 2) before anything is written; a missing Python
 * environment is one line saying how to create it (exit 1); a task that fails exits 1.
 */
import { dirname, resolve } from "node:path";
import { Option, type Command } from "commander";
import { formatError, loadEstate } from "@hdp/config";
import {
  checkLocalRunOptions,
  DEFAULTS,
  defaultOut,
  findPythonEnv,
  localRun,
  LocalRunError,
  PythonEnvError,
  renderLocalRun,
  type LocalRunOptions,
} from "@hdp/local";
import { CliError, EXIT, UsageError } from "../exit-codes";
import type { CommandContext } from "../context";
import { configsOption } from "../options";
import { configsDir } from "../paths";

interface Flags {
  source?: string;
  env: string;
  days: string;
  rows: string;
  seed: string;
  badRows: string;
  configs?: string;
  out?: string;
  format: "text" | "json";
}

/** A share from 0 to 1 from a flag (`0.05`, `.05`, `1`), or a problem line. */
function share(flag: string, v: string, problems: string[]): number {
  if (/^(\d+(\.\d*)?|\.\d+)$/.test(v.trim())) return Number(v);
  problems.push(`${flag}: must be a share from 0 to 1, e.g. 0.05 (got "${v}")`);
  return Number.NaN;
}

/** A whole number from a flag, or a problem line. */
function whole(flag: string, v: string, problems: string[]): number {
  if (/^-?\d+$/.test(v)) return Number(v);
  problems.push(`${flag}: must be a whole number (got "${v}")`);
  return Number.NaN;
}

export function registerLocal(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const local = program
    .command("local")
    .description("run the platform's pipelines on this machine, on simulated data");

  local
    .command("run")
    .description(
      "simulate a source's data and run its DAGs (landing -> bronze -> silver -> gold) in local Spark with Delta Lake",
    )
    .option("--source <id>", "the source to run (required)")
    .option("--env <env>", "environment whose config applies", DEFAULTS.env)
    .option("--days <n>", "daily landing partitions to simulate and run", String(DEFAULTS.days))
    .option("--rows <n>", "rows per table per day", String(DEFAULTS.rows))
    .option("--seed <n>", "random seed of the simulated data", String(DEFAULTS.seed))
    .option(
      "--bad-rows <share>",
      "share of simulated rows made bad on purpose (wrong type, null key, overflow) to exercise quarantine, 0-1",
      String(DEFAULTS.badRows),
    )
    .addOption(configsOption())
    .option("--out <dir>", "output folder (default: .hdp/local/<source> beside configs/)")
    .addOption(
      new Option("--format <format>", "summary format").choices(["text", "json"]).default("text"),
    )
    .action(async (flags: Flags) => {
      const configs = configsDir(flags.configs, io.cwd);
      const loaded = loadEstate(configs);
      if (!loaded.ok) {
        for (const e of loaded.errors) io.stderr(`${formatError(e)}\n`);
        ctx.setExit(EXIT.problems);
        return;
      }
      const problems: string[] = [];
      if (flags.source === undefined) problems.push("--source: required (the source to run)");
      const source = flags.source ?? "";
      const options: LocalRunOptions = {
        source,
        env: flags.env,
        days: whole("--days", flags.days, problems),
        rows: whole("--rows", flags.rows, problems),
        seed: whole("--seed", flags.seed, problems),
        badRows: share("--bad-rows", flags.badRows, problems),
        start: DEFAULTS.start,
        out:
          flags.out !== undefined
            ? resolve(io.cwd, flags.out)
            : defaultOut(dirname(configs), source || "_"),
      };
      const checked = checkLocalRunOptions(loaded.estate, options).filter(
        // A flag that is not a number is reported once, by `whole`.
        (p) => !problems.some((q) => q.split(":")[0] === p.split(":")[0]),
      );
      if (flags.source === undefined) {
        const i = checked.findIndex((p) => p.startsWith("--source:"));
        if (i >= 0) checked.splice(i, 1);
      }
      problems.push(...checked);
      if (problems.length > 0) throw new UsageError(problems.join("\n"));

      let env;
      try {
        env = findPythonEnv();
      } catch (e) {
        if (e instanceof PythonEnvError) throw new CliError(e.message, EXIT.problems);
        throw e;
      }
      const progress = (line: string): void => io.stderr(`${ctx.err.dim(line)}\n`);
      try {
        const summary = await localRun(loaded.estate, options, env, { onProgress: progress });
        io.stdout(
          flags.format === "json"
            ? `${JSON.stringify(summary, null, 2)}\n`
            : renderLocalRun(summary),
        );
        ctx.setExit(summary.ok ? EXIT.ok : EXIT.problems);
      } catch (e) {
        if (e instanceof LocalRunError) throw new CliError(e.message, EXIT.problems);
        throw e;
      }
    });
}

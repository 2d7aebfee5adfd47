/**
 * `hdp plan`: the offline plan of one or more stacks (the program under Pulumi's mock runtime),
 * optionally diffed against another git revision. Data from @hdp/plan; here only the command
 * line, the text renderer and the exit code.
 */
import { isAbsolute, resolve } from "node:path";
import type { Writable } from "node:stream";
import Table from "cli-table3";
import { InvalidArgumentError, type Command } from "commander";
import type { ConfigError } from "@hdp/config";
import {
  GitError,
  guardText,
  isInteractive,
  plan,
  PlanConfigError,
  policyText,
  PlanUsageError,
  progressDisplay,
  renderMarkdown,
  type PlanResult,
  type StackDiff,
} from "@hdp/plan";
import { EXIT, UsageError, type ExitCode } from "../exit-codes";
import { jsonPieces } from "../json-pieces";
import { writeOutput } from "../output";
import { configsDir, displayPath } from "../paths";
import { configErrorLine } from "../report";
import { colors, type Colors } from "../terminal";
import type { CommandContext } from "../context";
import { configsOption } from "../options";

/** What `hdp plan` needs of its surroundings (a subset of the CLI's Io). */
export interface PlanIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** stdout as a stream (`--json -` is written to it with backpressure); see the CLI's Io. */
  readonly stdoutStream?: Writable;
  /** Draw a live progress line; default: stderr is a terminal and CI is not set. */
  readonly interactive?: boolean;
}

export interface PlanCommandOptions {
  /** The configs directory as given (relative to the cwd); absent: found from the cwd. */
  readonly configs?: string;
  readonly stack?: readonly string[];
  readonly env?: readonly string[];
  readonly json?: string;
  readonly markdown?: string;
  /** Write the policy findings (deterministic JSON) here, for CI tooling. */
  readonly policyJson?: string;
  readonly base?: string;
  readonly changedSince?: string;
  readonly jobs?: number;
  readonly cache: boolean;
  readonly cacheDir?: string;
  /**
   * A module exporting `buildStack` other than the workspace's @hdp/platform: a path (relative
   * to the cwd) or a package name resolved from the cwd, then from hdp's own dependencies.
   */
  readonly program?: string;
}

/** The outcome of `hdp plan`: a plan, or config errors (exit 1, nothing planned). */
export type PlanCommandResult =
  | { readonly kind: "planned"; readonly result: PlanResult; readonly configs: string }
  | {
      readonly kind: "config-errors";
      readonly revision: string;
      /** The configs directory of that revision (the errors' files are relative to it). */
      readonly configs: string;
      readonly errors: readonly ConfigError[];
    };

/** `--program`: a path, or a package name (`@hdp/platform`) resolved like an import. */
export function resolveProgram(program: string, cwd: string): string {
  if (program.startsWith(".") || isAbsolute(program)) return resolve(cwd, program);
  try {
    return require.resolve(program, { paths: [cwd, __dirname] });
  } catch {
    throw new UsageError(
      `--program ${program}: no such module from ${displayPath(cwd, process.cwd())} or hdp's own dependencies`,
    );
  }
}

/** The program when no checkout holds packages/platform: hdp's own @hdp/platform. */
function installedPlatform(): string | undefined {
  try {
    return require.resolve("@hdp/platform");
  } catch {
    return undefined;
  }
}

/** Runs the plan; usage errors (unknown stack, bad revision) throw {@link UsageError}. */
export async function runPlan(o: PlanCommandOptions, io: PlanIo): Promise<PlanCommandResult> {
  const toStdout = stdoutOptions(o);
  if (toStdout.length > 1) {
    throw new UsageError(`${toStdout.join(" and ")} both write to stdout (-): give - to one`);
  }
  if ((o.stack ?? []).length > 0 && (o.env ?? []).length > 0) {
    throw new UsageError(
      "--stack and --env both select stacks: give one (--env plans every stack of an environment)",
    );
  }
  const configs = configsDir(o.configs, io.cwd);
  const program = o.program !== undefined ? resolveProgram(o.program, io.cwd) : undefined;
  const display = progressDisplay(
    io.stderr,
    io.interactive ?? isInteractive(process.stderr, process.env),
  );
  try {
    const result = await plan({
      configs,
      stacks: o.stack,
      envs: o.env,
      jobs: o.jobs,
      cacheDir: o.cache
        ? o.cacheDir !== undefined
          ? resolve(io.cwd, o.cacheDir)
          : undefined
        : false,
      base: o.base,
      changedSince: o.changedSince,
      program,
      installedProgram: installedPlatform(),
      onEvent: display.onEvent,
      onOutput: io.stderr,
    });
    display.end();
    const shown = displayPath(configs, io.cwd);
    const stdout = io.stdoutStream ?? io.stdout;
    if (o.json !== undefined) {
      // Stack by stack: the preset's inventory (2.46 GB measured) is beyond V8's longest string.
      await writeOutput("--json", o.json, result.inventoryPieces(), io.cwd, stdout);
    }
    if (o.markdown !== undefined) {
      await writeOutput("--markdown", o.markdown, renderMarkdown(result, shown), io.cwd, stdout);
    }
    if (o.policyJson !== undefined) {
      await writeOutput("--policy-json", o.policyJson, renderPolicyJson(result), io.cwd, stdout);
    }
    return { kind: "planned", result, configs };
  } catch (e) {
    display.end();
    if (e instanceof PlanConfigError) {
      return {
        kind: "config-errors",
        revision: e.revision,
        configs,
        errors: e.errors,
      };
    }
    if (e instanceof PlanUsageError || e instanceof GitError) throw new UsageError(e.message);
    throw e;
  }
}

/** The output options given `-` (stdout); the report then goes to stderr. */
export function stdoutOptions(o: PlanCommandOptions): string[] {
  return (
    [
      ["--json", o.json],
      ["--markdown", o.markdown],
      ["--policy-json", o.policyJson],
    ] as const
  ).flatMap(([option, file]) => (file === "-" ? [option] : []));
}

/**
 * The policy findings as JSON for CI tooling: every finding (stack, rule, level, resource,
 * message, config location), how many block, and the relaxations in force.
 */
export function renderPolicyJson(r: PlanResult): Iterable<string> {
  // A finding per piece: the bytes of JSON.stringify(r.policy, null, 2), never one string.
  return jsonPieces(r.policy);
}

/**
 * 1 for config errors, problems (budget exceeded, program errors, destructive changes) or
 * mandatory policy violations; else 0 (README: 0 fine, 1 problems found, 2 bad usage).
 */
export function planExitCode(r: PlanCommandResult): ExitCode {
  if (r.kind === "config-errors") return EXIT.problems;
  return r.result.problems.length > 0 || r.result.policy.blocking > 0 ? EXIT.problems : EXIT.ok;
}

const n = (x: number): string => x.toLocaleString("en-US");

function table(head: string[]): Table.Table {
  return new Table({
    head,
    style: { head: [], border: [], compact: true },
    colAligns: head.map((_, i) => (i === 0 ? "left" : "right")),
  });
}

/** Changes listed per stack in text output (all of them are in --json / --markdown). */
const LIST_CAP = 40;

function changeLines(d: StackDiff): string[] {
  // Replacements and deletions first: they are what a reviewer must not miss under the cap.
  const lines = [
    ...d.replaced.map((x) =>
      x.cause === "inputs"
        ? `  +- ${x.type}  ${x.to.name}  (replace: ${x.forcedBy.slice(0, 4).join(", ")}${x.forcedBy.length > 4 ? ", …" : ""} cannot change in place)${x.to.stateful ? "  [stateful]" : ""}`
        : `  +- ${x.type}  ${x.from.name} -> ${x.to.name}  (same ${x.identity.slice(x.type.length + 1)})`,
    ),
    ...d.deleted.map((r) => `  - ${r.type}  ${r.name}${r.stateful ? "  [stateful]" : ""}`),
    ...d.created.map((r) => `  + ${r.type}  ${r.name}`),
    ...d.updated.map(
      (r) =>
        `  ~ ${r.type}  ${r.name}  (${r.paths.slice(0, 4).join(", ")}${r.paths.length > 4 ? ", …" : ""})`,
    ),
  ];
  if (lines.length > LIST_CAP) {
    return [
      ...lines.slice(0, LIST_CAP),
      `  …and ${n(lines.length - LIST_CAP)} more (see --markdown or --json)`,
    ];
  }
  return lines;
}

/** Config errors of a revision (stderr), files relative to `cwd`. */
export function renderPlanConfigErrors(
  r: Extract<PlanCommandResult, { kind: "config-errors" }>,
  cwd: string,
  c: Colors = colors(false),
): string {
  const lines = r.errors.map((e) => configErrorLine(e, r.configs, cwd, c));
  return `${lines.join("\n")}\n${c.red(`${n(lines.length)} config error(s) in ${r.revision}: nothing planned`)}\n`;
}

/** Policy lines with the level of each finding coloured (mandatory red, advisory yellow). */
function colourFindings(lines: readonly string[], c: Colors): string[] {
  return lines.map((l) =>
    l.replace(
      /^( {4})(mandatory|advisory)(?= )/,
      (_, pad: string, level: string) =>
        pad + (level === "mandatory" ? c.red(c.bold(level)) : c.yellow(level)),
    ),
  );
}

/**
 * The report on stdout: a table per stack (by type; by change when diffed), the policy findings,
 * then problems. Config files are named relative to `cwd`.
 */
export function renderPlanText(
  r: PlanCommandResult,
  cwd: string = process.cwd(),
  c: Colors = colors(false),
): string {
  if (r.kind === "config-errors") return renderPlanConfigErrors(r, cwd, c);
  const configs = displayPath(r.configs, cwd);
  const res = r.result;
  const out: string[] = [];
  const diffs = new Map((res.diff?.stacks ?? []).map((d) => [d.stack, d]));
  for (const s of res.head.stacks) {
    if (!s.ok) {
      out.push(`${s.stack}: the program failed (see problems below)`, "");
      continue;
    }
    const d = diffs.get(s.stack);
    out.push(
      `${s.stack}: ${n(s.summary.resourceCount)} resources (budget ${n(s.summary.resourceBudget)})`,
    );
    if (d === undefined) {
      const t = table(["type", "resources"]);
      for (const [type, c] of Object.entries(s.summary.byType)) t.push([type, n(c)]);
      t.push(["total", n(s.summary.resourceCount)]);
      out.push(t.toString(), "");
    } else {
      out.push(...diffTable(d), ...changeLines(d), "");
    }
  }
  if (res.diff !== undefined) {
    for (const d of res.diff.stacks.filter(
      (x) => !res.head.stacks.some((s) => s.stack === x.stack),
    )) {
      out.push(`${d.stack}: not in the working tree`, ...diffTable(d), ...changeLines(d), "");
    }
    const t = res.diff.totals;
    out.push(
      `${res.base?.label ?? "base"} -> ${res.head.label}: ${n(t.create)} to create, ${n(t.update)} to update, ${n(t.delete)} to delete, ${n(t.replace)} replaced, ${n(t.same)} unchanged`,
    );
  }
  if (res.unchanged.length > 0) out.push(`unchanged, not planned: ${res.unchanged.join(", ")}`);
  out.push("", ...colourFindings(policyText(res.policy, configs), c));
  const guard = res.guard === undefined ? [] : guardText(res.guard);
  if (guard.length > 0) out.push("", ...guard);
  if (res.problems.length > 0) {
    out.push(
      c.red(`${n(res.problems.length)} problem(s):`),
      ...res.problems.map((p) => `  ${p.message}`),
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function diffTable(d: StackDiff): string[] {
  const t = table(["type", "create", "update", "delete", "replace", "unchanged"]);
  for (const [type, c] of Object.entries(d.byType)) {
    t.push([type, n(c.create), n(c.update), n(c.delete), n(c.replace), n(c.same)]);
  }
  return [t.toString()];
}

/**
 * One line on stderr: how the plan ran (not part of the report: it varies between runs) —
 * where the stacks were planned (worker processes, this process, or both) and the peak memory
 * of each place: per worker (the largest worker's), or this process's whole peak.
 */
export function renderPlanStats(r: PlanCommandResult): string {
  if (r.kind !== "planned") return "";
  const s = r.result.stats;
  const mb = (bytes: number): string => `${n(Math.round(bytes / 2 ** 20))} MB`;
  const here =
    s.stacksInProcess > 0 && s.inProcessPeakRss !== undefined
      ? `in this process (peak ${mb(s.inProcessPeakRss)})`
      : undefined;
  const workers =
    s.workerPeakRss.length > 0 ? `peak ${mb(Math.max(...s.workerPeakRss))} per worker` : undefined;
  const where =
    here !== undefined && workers !== undefined
      ? `, ${n(s.stacksInProcess)} ${here}, the rest on ${n(s.workerPeakRss.length)} worker(s), ${workers}`
      : here !== undefined
        ? `, ${here}`
        : workers !== undefined
          ? `, ${workers}`
          : "";
  return `planned ${n(s.stacksPlanned)} stack(s), ${n(s.stacksCached)} from cache, in ${(s.durationMs / 1000).toFixed(1)} s${where}\n`;
}

export const jobsArg = (v: string): number => {
  const x = Number(v);
  if (!Number.isInteger(x) || x < 0)
    throw new InvalidArgumentError("must be a whole number (0 plans in-process)");
  return x;
};

/** Adds the `plan` command to the CLI. */
export function registerPlan(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  program
    .command("plan")
    .description("plan stacks offline under Pulumi's mock runtime; diff against a git revision")
    .addOption(configsOption())
    .option(
      "--stack <names...>",
      "stacks to plan, an environment's name for all of its stacks (default: every stack); not with --env",
    )
    .option("--env <envs...>", "plan every stack of these environments; not with --stack")
    .option(
      "--json <file>",
      "write the full inventory (deterministic JSON); - writes it to stdout (the report goes to stderr)",
    )
    .option(
      "--policy-json <file>",
      "write the policy findings (JSON, for CI tooling); - writes them to stdout",
    )
    .option(
      "--markdown <file>",
      "write a pull-request comment of the plan or diff; - writes it to stdout",
    )
    .option("--base <ref>", "also plan this git revision and show the diff from it")
    .option(
      "--changed-since <ref>",
      "plan only the stacks whose inputs changed since this revision",
    )
    .option(
      "--jobs <n>",
      "worker processes (default: one per core, or none for a small plan; 0: in this process)",
      jobsArg,
    )
    .option("--no-cache", "do not read or write the plan cache (.hdp/cache)")
    .option(
      "--cache-dir <dir>",
      "plan cache directory (default: <configs' repo>/.hdp/cache/plan, else the user's cache directory)",
    )
    .option(
      "--program <module>",
      "path or package exporting buildStack (default: this installation's @hdp/platform, wherever the configs are)",
    )
    .action(async (opts: PlanCommandOptions) => {
      const r = await runPlan(opts, io);
      if (r.kind === "config-errors") io.stderr(renderPlanConfigErrors(r, io.cwd, ctx.err));
      else {
        // With `--json -` (or --markdown / --policy-json) stdout holds that output alone: the
        // report goes to stderr.
        if (stdoutOptions(opts).length > 0) io.stderr(renderPlanText(r, io.cwd, ctx.err));
        else io.stdout(renderPlanText(r, io.cwd, ctx.out));
        io.stderr(renderPlanStats(r));
      }
      ctx.setExit(planExitCode(r));
    });
}

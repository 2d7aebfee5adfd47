/**
 * `hdp plan`: the offline plan of one or more stacks (the program under Pulumi's mock runtime),
 * optionally diffed against another git revision. Data from @hdp/plan; here only the command
 * line, the text renderer and the exit code.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import Table from "cli-table3";
import { InvalidArgumentError, type Command } from "commander";
import { formatError } from "@hdp/config";
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

/** What `hdp plan` needs of its surroundings (a subset of the CLI's Io). */
export interface PlanIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Draw a live progress line; default: stderr is a terminal and CI is not set. */
  readonly interactive?: boolean;
}

export interface PlanCommandOptions {
  readonly configs: string;
  readonly stack?: readonly string[];
  readonly env?: readonly string[];
  readonly json?: string;
  readonly markdown?: string;
  readonly base?: string;
  readonly changedSince?: string;
  readonly jobs?: number;
  readonly cache: boolean;
  readonly cacheDir?: string;
  /** A module exporting `buildStack` other than @hdp/platform's (tests). */
  readonly program?: string;
}

/** The outcome of `hdp plan`: a plan, or config errors (exit 2, nothing planned). */
export type PlanCommandResult =
  | { readonly kind: "planned"; readonly result: PlanResult }
  | {
      readonly kind: "config-errors";
      readonly revision: string;
      readonly lines: readonly string[];
    };

/** Runs the plan; usage errors (unknown stack, bad revision) throw {@link UsageError}. */
export async function runPlan(o: PlanCommandOptions, io: PlanIo): Promise<PlanCommandResult> {
  const display = progressDisplay(
    io.stderr,
    io.interactive ?? isInteractive(process.stderr, process.env),
  );
  try {
    const result = await plan({
      configs: resolve(io.cwd, o.configs),
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
      program: o.program !== undefined ? resolve(io.cwd, o.program) : undefined,
      onEvent: display.onEvent,
      onOutput: io.stderr,
    });
    display.end();
    if (o.json !== undefined) writeFileSync(resolve(io.cwd, o.json), result.inventoryJson());
    if (o.markdown !== undefined)
      writeFileSync(resolve(io.cwd, o.markdown), renderMarkdown(result, o.configs));
    return { kind: "planned", result };
  } catch (e) {
    display.end();
    if (e instanceof PlanConfigError) {
      return { kind: "config-errors", revision: e.revision, lines: e.errors.map(formatError) };
    }
    if (e instanceof PlanUsageError || e instanceof GitError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * 2 for config errors; 1 for problems (budget exceeded, program errors, destructive changes) or
 * mandatory policy violations; else 0.
 */
export function planExitCode(r: PlanCommandResult): ExitCode {
  if (r.kind === "config-errors") return EXIT.usage;
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

/**
 * The report on stdout: a table per stack (by type; by change when diffed), the policy findings,
 * then problems. `configs` names config files as the user gave the directory.
 */
export function renderPlanText(r: PlanCommandResult, configs = "configs"): string {
  if (r.kind === "config-errors") {
    return `${r.lines.join("\n")}\n${n(r.lines.length)} config error(s) in ${r.revision}: nothing planned\n`;
  }
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
  out.push("", ...policyText(res.policy, configs));
  const guard = res.guard === undefined ? [] : guardText(res.guard);
  if (guard.length > 0) out.push("", ...guard);
  if (res.problems.length > 0) {
    out.push(`${n(res.problems.length)} problem(s):`, ...res.problems.map((p) => `  ${p.message}`));
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

/** One line on stderr: how the plan ran (not part of the report: it varies between runs). */
export function renderPlanStats(r: PlanCommandResult): string {
  if (r.kind !== "planned") return "";
  const s = r.result.stats;
  const peak =
    s.workerPeakRss.length > 0
      ? `, peak ${Math.round(Math.max(...s.workerPeakRss) / 2 ** 20)} MB per worker`
      : "";
  return `planned ${n(s.stacksPlanned)} stack(s), ${n(s.stacksCached)} from cache, in ${(s.durationMs / 1000).toFixed(1)} s${peak}\n`;
}

export const jobsArg = (v: string): number => {
  const x = Number(v);
  if (!Number.isInteger(x) || x < 0)
    throw new InvalidArgumentError("must be a whole number (0 plans in-process)");
  return x;
};

/** Adds the `plan` command to the CLI; `setExit` receives the exit code. */
export function registerPlan(
  program: Command,
  io: PlanIo,
  setExit: (code: ExitCode) => void,
): void {
  program
    .command("plan")
    .description("plan stacks offline under Pulumi's mock runtime; diff against a git revision")
    .option("--configs <dir>", "the configs directory", "configs")
    .option("--stack <names...>", "stacks to plan (default: every stack, or those of --env)")
    .option("--env <envs...>", "plan every stack of these environments")
    .option("--json <file>", "write the full inventory (deterministic JSON)")
    .option("--markdown <file>", "write a pull-request comment of the plan or diff")
    .option("--base <ref>", "also plan this git revision and show the diff from it")
    .option(
      "--changed-since <ref>",
      "plan only the stacks whose inputs changed since this revision",
    )
    .option("--jobs <n>", "worker processes (default: one per core; 0: in this process)", jobsArg)
    .option("--no-cache", "do not read or write the plan cache (.hdp/cache)")
    .option(
      "--cache-dir <dir>",
      "plan cache directory (default: <configs' repo>/.hdp/cache/plan, else the user's cache directory)",
    )
    .option(
      "--program <module>",
      "module exporting buildStack (default: this installation's @hdp/platform, wherever the configs are)",
    )
    .action(async (opts: PlanCommandOptions) => {
      const r = await runPlan(opts, io);
      if (r.kind === "config-errors") io.stderr(renderPlanText(r));
      else {
        io.stdout(renderPlanText(r, opts.configs));
        io.stderr(renderPlanStats(r));
      }
      setExit(planExitCode(r));
    });
}

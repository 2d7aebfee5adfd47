/**
 * `hdp explain <source>[/<table>] | <resource name or URN>`: what a config entry creates, or
 * which config entry and lines decide a resource. Plans the stacks it needs offline (through
 * @hdp/plan, with its cache), then reads the inventories; here only the command line and the exit
 * code, the data in ../explain/model.ts.
 */
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { didYouMean, formatError, loadEstate, locateField, type Estate } from "@hdp/config";
import {
  GitError,
  isInteractive,
  plan,
  PlanConfigError,
  PlanUsageError,
  progressDisplay,
  type StackInventory,
} from "@hdp/plan";
import type * as Platform from "@hdp/platform";
import { EXIT, UsageError, type ExitCode } from "../exit-codes";
import type { Io } from "../io";
import { jobsArg } from "./plan";
import {
  explainEntry,
  explainResource,
  type Explanation,
  type PlatformKnowledge,
} from "../explain/model";
import { renderExplainJson, renderExplainText } from "../explain/render";

export interface ExplainCommandOptions {
  readonly configs: string;
  readonly env?: readonly string[];
  readonly format: "text" | "json";
  readonly jobs?: number;
  readonly cache: boolean;
  readonly cacheDir?: string;
}

/** What was asked: an entry of the config, or a resource by logical name or URN. */
export type ExplainTarget =
  | { readonly kind: "entry"; readonly source: string; readonly table: string | undefined }
  | { readonly kind: "resource"; readonly query: string; readonly stack: string | undefined };

/** Reads the target; an unknown source's table is a usage error with a suggestion. */
export function parseTarget(text: string, estate: Estate): ExplainTarget {
  if (text.startsWith("urn:pulumi:")) {
    return { kind: "resource", query: text, stack: /^urn:pulumi:([^:]+)::/.exec(text)?.[1] };
  }
  const [source, table, ...rest] = text.split("/");
  const src = estate.sources.find((s) => s.id === source);
  if (src === undefined || rest.length > 0) {
    if (table !== undefined) {
      const hint = didYouMean(
        source,
        estate.sources.map((s) => s.id),
      );
      throw new UsageError(`no source "${source}"${hint}`);
    }
    return { kind: "resource", query: text, stack: undefined };
  }
  if (table !== undefined && !estate.tables.some((t) => t.key === `${source}/${table}`)) {
    const hint = didYouMean(
      table,
      estate.tables.filter((t) => t.source === source).map((t) => t.id),
    );
    throw new UsageError(`source ${source} has no table "${table}"${hint}`);
  }
  return { kind: "entry", source, table };
}

/** The platform's knowledge, loaded on use (it loads the components and the Pulumi SDK). */
function platformKnowledge(): PlatformKnowledge {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only explain needs it
  const p = require("@hdp/platform") as typeof Platform;
  return { resourceOrigins: p.resourceOrigins, pipelineLogicalName: p.pipelineLogicalName };
}

export type ExplainCommandResult =
  | { readonly kind: "explained"; readonly explanation: Explanation }
  | { readonly kind: "config-errors"; readonly lines: readonly string[] };

export async function runExplain(
  target: string,
  o: ExplainCommandOptions,
  io: Io,
): Promise<ExplainCommandResult> {
  const configs = resolve(io.cwd, o.configs);
  const loaded = loadEstate(configs);
  if (!loaded.ok) return { kind: "config-errors", lines: loaded.errors.map(formatError) };
  const estate = loaded.estate;
  const names = estate.environments.map((e) => e.name);
  for (const env of o.env ?? []) {
    if (!names.includes(env)) {
      throw new UsageError(`unknown environment "${env}"${didYouMean(env, names)}`);
    }
  }
  const envs = o.env !== undefined && o.env.length > 0 ? [...o.env] : names;
  const t = parseTarget(target, estate);
  const display = progressDisplay(
    io.stderr,
    io.interactive ?? isInteractive(process.stderr, process.env),
  );
  let stacks: StackInventory[];
  try {
    const result = await plan({
      configs,
      ...(t.kind === "resource" && t.stack !== undefined ? { stacks: [t.stack] } : { envs }),
      jobs: o.jobs,
      cacheDir: o.cache
        ? o.cacheDir !== undefined
          ? resolve(io.cwd, o.cacheDir)
          : undefined
        : false,
      onEvent: display.onEvent,
      onOutput: io.stderr,
    });
    display.end();
    stacks = result.head.stacks.flatMap((s) =>
      s.ok ? [JSON.parse(s.json()) as StackInventory] : [],
    );
    for (const s of result.head.stacks) {
      if (!s.ok)
        io.stderr(`hdp explain: stack ${s.stack} failed to plan:\n${s.messages.join("\n")}\n`);
    }
  } catch (e) {
    display.end();
    if (e instanceof PlanConfigError) {
      return { kind: "config-errors", lines: e.errors.map(formatError) };
    }
    if (e instanceof PlanUsageError || e instanceof GitError) throw new UsageError(e.message);
    throw e;
  }
  const input = {
    estate,
    stacks,
    platform: platformKnowledge(),
    locate: (file: string, field: Parameters<typeof locateField>[2]) =>
      locateField(configs, file, field),
  };
  const explanation =
    t.kind === "entry"
      ? explainEntry(
          input,
          t.source,
          t.table,
          envs.filter((e) => stacks.some((s) => s.environment === e)),
        )
      : explainResource(input, t.query);
  return { kind: "explained", explanation };
}

/** 0 explained; 1 a resource asked for by name that no planned stack has, or config errors. */
export function explainExitCode(r: ExplainCommandResult): ExitCode {
  if (r.kind === "config-errors") return EXIT.problems;
  const e = r.explanation;
  return e.kind === "resource" && e.matches.length === 0 ? EXIT.problems : EXIT.ok;
}

export function registerExplain(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command("explain")
    .description(
      "what a source or table creates (where it lands, who writes it, which job loads it, when), or which config lines decide a resource",
    )
    .argument("<target>", "<source>, <source>/<table>, a logical resource name or a URN")
    .option("--configs <dir>", "the configs directory", "configs")
    .option("--env <envs...>", "only these environments (default: every environment)")
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "json"]).default("text"),
    )
    .option("--jobs <n>", "worker processes for planning (default: one per core)", jobsArg)
    .option("--no-cache", "do not read or write the plan cache (.hdp/cache)")
    .option("--cache-dir <dir>", "plan cache directory (default: <repo>/.hdp/cache/plan)")
    .action(async (target: string, opts: ExplainCommandOptions) => {
      const r = await runExplain(target, opts, io);
      if (r.kind === "config-errors") io.stderr(`${r.lines.join("\n")}\n`);
      else {
        io.stdout(
          opts.format === "json"
            ? renderExplainJson(r.explanation)
            : renderExplainText(r.explanation),
        );
      }
      setExit(explainExitCode(r));
    });
}

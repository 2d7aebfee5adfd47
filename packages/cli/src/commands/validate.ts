/** `hdp validate`: load and check the config tree; data, renderer and exit code kept apart. */
import type * as Config from "@hdp/config";
import type { ConfigError, Estate } from "@hdp/config";
import { resolve } from "node:path";
import { EXIT, UsageError, type ExitCode } from "../exit-codes";
import { displayPath } from "../paths";
import { configErrorLine } from "../report";
import { colors, type Colors } from "../terminal";
import { WarmCache } from "../warm-cache";

export interface ValidateOptions {
  readonly configs: string;
  /** Summarise only this environment. */
  readonly env?: string | undefined;
  /**
   * The cache root (see warm-cache.ts): an unchanged tree is answered from it, a changed one
   * validated afresh and stored. Undefined: no cache.
   */
  readonly cacheDir?: string | undefined;
}

/** Counts of what one environment deploys (enabled entries only). */
export interface EnvironmentSummary {
  readonly env: string;
  readonly stacks: number;
  readonly sources: number;
  readonly tables: number;
  readonly columns: number;
  readonly pipelines: number;
}

export interface ValidateResult {
  readonly ok: boolean;
  readonly configs: string;
  readonly errors: readonly ConfigError[];
  readonly skippedFiles: readonly string[];
  readonly totals: {
    hospitals: number;
    domains: number;
    sources: number;
    tables: number;
    columns: number;
    pipelines: number;
  };
  readonly environments: readonly EnvironmentSummary[];
}

/** What a validation of the whole tree yields: the result for every environment. */
interface Validation extends Omit<ValidateResult, "environments"> {
  /** Every environment's name, valid tree or not. */
  readonly names: readonly string[];
  /** Every environment's summary (none when the tree has errors). */
  readonly environments: readonly EnvironmentSummary[];
}

export function runValidate(options: ValidateOptions): ValidateResult {
  const root = resolve(options.configs);
  const cache =
    options.cacheDir === undefined
      ? undefined
      : new WarmCache(WarmCache.dirFor(options.cacheDir, root), root);
  let v = cache?.read<Validation>("validate");
  if (v === undefined) {
    const fresh = validateTree(root, cache);
    v = fresh.validation;
    cache?.write("validate", v, fresh.loaded);
  }
  if (options.env !== undefined && v.ok && !v.names.includes(options.env)) {
    throw new UsageError(
      `unknown environment "${options.env}" (environments: ${v.names.join(", ")})`,
    );
  }
  return {
    ok: v.ok,
    configs: v.configs,
    errors: v.errors,
    skippedFiles: v.skippedFiles,
    totals: v.totals,
    environments: v.environments.filter((e) => options.env === undefined || e.env === options.env),
  };
}

/**
 * @hdp/config, loaded when a tree is validated afresh: a warm run answers from the cache without
 * the schemas and the YAML parsers (a fifth of its time).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see above
const config = (): typeof Config => require("@hdp/config") as typeof Config;

/** The tree validated afresh, and the load it came from (its digest: which tree it is). */
function validateTree(
  root: string,
  cache: WarmCache | undefined,
): { validation: Validation; loaded: { readonly digest?: string } } {
  const loaded = config().loadEstate(root, cache?.loadOptions() ?? {});
  const estate = loaded.estate;
  const names = estate.environments.map((e) => e.name);
  const validation: Validation = {
    ok: loaded.ok,
    configs: estate.root,
    errors: loaded.errors,
    skippedFiles: loaded.skippedFiles,
    totals: {
      hospitals: estate.platform.hospitals.length,
      domains: estate.platform.domains.length,
      sources: estate.sources.length,
      tables: estate.tables.length,
      columns: estate.tables.reduce((n, t) => n + t.columns.length, 0),
      pipelines: estate.pipelines.length,
    },
    names,
    environments: loaded.ok ? names.map((env) => summarise(estate, env)) : [],
  };
  return { validation, loaded };
}

function summarise(estate: Estate, env: string): EnvironmentSummary {
  const e = config().effectiveEstate(estate, env);
  const tables = e.tables.filter((t) => t.enabled);
  return {
    env,
    stacks: e.environment.stacks.length,
    sources: e.sources.filter((s) => s.enabled).length,
    tables: tables.length,
    columns: tables.reduce((n, t) => n + t.columns.length, 0),
    pipelines: e.pipelines.filter((p) => p.enabled).length,
  };
}

export const validateExitCode = (r: ValidateResult): ExitCode => (r.ok ? EXIT.ok : EXIT.problems);

const n = (x: number): string => x.toLocaleString("en-US");

/**
 * Text: when valid, the totals and a line per environment; otherwise every error as
 * `file:line:col  field  message` with files relative to `cwd`, then a count.
 */
export function renderValidateText(
  r: ValidateResult,
  cwd: string,
  c: Colors = colors(false),
): string {
  if (!r.ok) {
    const lines = r.errors.map((e) => configErrorLine(e, r.configs, cwd, c));
    const files = new Set(r.errors.map((e) => e.file)).size;
    lines.push(
      c.red(
        `${n(r.errors.length)} error${r.errors.length === 1 ? "" : "s"} in ${n(files)} file(s) under ${displayPath(r.configs, cwd)}`,
      ),
    );
    return `${lines.join("\n")}\n`;
  }
  const t = r.totals;
  const width = Math.max(0, ...r.environments.map((e) => e.env.length)) + 1;
  const envs = r.environments.map(
    (e) =>
      `  ${`${e.env}:`.padEnd(width)} ${n(e.sources)} sources, ${n(e.tables)} tables, ${n(e.columns)} columns, ${n(e.pipelines)} DAGs in ${e.stacks} stack${e.stacks === 1 ? "" : "s"}`,
  );
  return [
    `${c.green("valid:")} ${n(t.hospitals)} hospitals, ${n(t.domains)} domains, ${n(t.sources)} sources, ${n(t.tables)} tables, ${n(t.columns)} columns, ${n(t.pipelines)} pipelines`,
    ...envs,
    "",
  ].join("\n");
}

/** JSON: the whole result, for tools and CI annotations. */
export const renderValidateJson = (r: ValidateResult): string => `${JSON.stringify(r, null, 2)}\n`;

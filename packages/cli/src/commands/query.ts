/** `hdp query`: SQL over the config tree; with --write, UPDATE and DELETE change the YAML files. */
import { statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import Table from "cli-table3";
import { Option, type Command } from "commander";
import { formatError, loadEstate, type ConfigError } from "@hdp/config";
import {
  EstateDatabase,
  formatQueryError,
  QueryError,
  schemaOf,
  writeBack,
  type QueryResult,
  type SqlValue,
  type TableSchema,
  type WriteBackResult,
} from "@hdp/query";
import type { CommandContext } from "../context";
import { CliError, EXIT, type ExitCode } from "../exit-codes";
import { configsOption } from "../options";
import { configsDir, displayPath } from "../paths";
import { configErrorLine } from "../report";
import { colors, type Colors } from "../terminal";
import { indexCacheOptions, indexCacheRoot } from "../options";
import { WarmCache } from "../warm-cache";

export const QUERY_FORMATS = ["table", "json", "csv", "paths"] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

export interface QueryOptions {
  readonly sql?: string | undefined;
  readonly configs: string;
  readonly env?: string | undefined;
  readonly format: QueryFormat;
  readonly schema?: boolean | undefined;
  /** Apply UPDATE/DELETE to the YAML files. */
  readonly write?: boolean | undefined;
  /** Plan and validate the write, print the diff, write nothing (implies write mode). */
  readonly dryRun?: boolean | undefined;
  /** Where file names in the diff are relative to (default: the process's directory). */
  readonly cwd?: string | undefined;
  /**
   * The cache root (see warm-cache.ts): read-only queries over an unchanged tree run on the
   * saved database. Undefined: no cache. Writes never use it.
   */
  readonly cacheDir?: string | undefined;
}

/** What the cache keeps of a query's estate besides the database's bytes. */
interface QuerySnapshot {
  readonly envs: readonly string[];
  readonly filled: readonly string[];
  readonly bytes: number;
  readonly skipped: Skipped;
}

/** Files left out of the estate because of their errors. */
export interface Skipped {
  /** The configs directory the errors' files are relative to. */
  readonly root?: string;
  readonly files: readonly string[];
  readonly errors: readonly ConfigError[];
}

export type QueryOutcome =
  | { readonly kind: "schema"; readonly tables: readonly TableSchema[] }
  | {
      readonly kind: "rows";
      readonly root: string;
      readonly result: QueryResult;
      readonly skipped: Skipped;
    }
  | { readonly kind: "write"; readonly result: WriteBackResult; readonly dryRun: boolean }
  | { readonly kind: "error"; readonly error: QueryError; readonly skipped: Skipped };

const NONE: Skipped = { files: [], errors: [] };
const usage = (message: string) => new QueryError(message, { kind: "usage" });

export async function runQuery(o: QueryOptions): Promise<QueryOutcome> {
  if (o.schema === true) {
    if (o.sql !== undefined)
      return { kind: "error", error: usage("--schema takes no SQL"), skipped: NONE };
    return { kind: "schema", tables: schemaOf() };
  }
  if (o.sql === undefined || o.sql.trim() === "") {
    return {
      kind: "error",
      error: usage("a SQL statement is needed (or --schema)"),
      skipped: NONE,
    };
  }
  if (statSync(o.configs, { throwIfNoEntry: false })?.isDirectory() !== true) {
    // An answer over no files would read as "nothing matches".
    throw new CliError(
      `configs directory ${displayPath(o.configs, o.cwd ?? process.cwd())} does not exist`,
      EXIT.problems,
    );
  }
  const env = o.env === undefined ? {} : { env: o.env };
  if (o.write === true || o.dryRun === true) {
    const loaded = loadEstate(o.configs);
    const skipped = skippedOf(loaded);
    try {
      const diffRoot = relative(o.cwd ?? process.cwd(), loaded.estate.root)
        .split("\\")
        .join("/");
      const result = await writeBack(loaded, o.sql, {
        ...env,
        dryRun: o.dryRun === true,
        diffRoot,
      });
      return { kind: "write", result, dryRun: o.dryRun === true };
    } catch (e) {
      if (e instanceof QueryError) return { kind: "error", error: e, skipped };
      throw e;
    }
  }
  const root = resolve(o.configs);
  const cache =
    o.cacheDir === undefined ? undefined : new WarmCache(WarmCache.dirFor(o.cacheDir, root), root);
  const needed = EstateDatabase.tablesNamedBy(o.sql);
  const saved = cache?.read<QuerySnapshot>("query");
  let skipped: Skipped = saved?.skipped ?? NONE;
  let fresh: { db: EstateDatabase; envs: readonly string[] } | undefined;
  try {
    let db = await openSaved(cache, saved, needed, env);
    if (db === undefined) {
      const loaded = loadEstate(root, cache?.loadOptions() ?? {});
      skipped = skippedOf(loaded);
      db = await EstateDatabase.open(loaded.estate, { ...env, snapshots: cache !== undefined });
      fresh = { db, envs: loaded.estate.environments.map((e) => e.name) };
      // Keep what earlier queries of this tree needed, so a query of another table stays warm.
      const before = cache?.readAnyTree<QuerySnapshot>("query")?.filled ?? [];
      if (cache !== undefined) db.fill(before);
    }
    let result: QueryResult;
    try {
      result = db.query(o.sql);
    } finally {
      if (fresh !== undefined && cache !== undefined) save(cache, fresh, skipped);
      db.close();
    }
    if (o.format === "paths") {
      const names = result.columns.map((c) => c.toLowerCase());
      if (!names.includes("file") || !names.includes("line")) {
        throw usage(
          `--format paths needs the query to return "file" and "line" columns (got: ${result.columns.join(", ") || "none"}); ` +
            "every table has them, e.g. SELECT file, line FROM tables WHERE …",
        );
      }
    }
    return { kind: "rows", root, result, skipped };
  } catch (e) {
    if (e instanceof QueryError) return { kind: "error", error: e, skipped };
    throw e;
  }
}

const skippedOf = (loaded: ReturnType<typeof loadEstate>): Skipped => ({
  root: loaded.estate.root,
  files: loaded.skippedFiles,
  errors: loaded.errors,
});

/** The saved database of this very tree, when it holds every table `needed`. */
async function openSaved(
  cache: WarmCache | undefined,
  saved: QuerySnapshot | undefined,
  needed: readonly string[],
  env: { env?: string },
): Promise<EstateDatabase | undefined> {
  if (cache === undefined || saved === undefined) return undefined;
  if (!needed.every((t) => saved.filled.includes(t))) return undefined;
  const bytes = cache.readBytes("query", saved.bytes);
  if (bytes === undefined) return undefined;
  try {
    return await EstateDatabase.openSnapshot(bytes, saved.envs, saved.filled, env);
  } catch (e) {
    if (e instanceof QueryError) throw e; // an unknown --env, as without the cache
    return undefined; // not a database after all: build it afresh
  }
}

function save(
  cache: WarmCache,
  fresh: { db: EstateDatabase; envs: readonly string[] },
  skipped: Skipped,
): void {
  const { bytes, filled } = fresh.db.snapshot();
  const value: QuerySnapshot = { envs: fresh.envs, filled, bytes: bytes.length, skipped };
  cache.write("query", value, bytes);
}

export function queryExitCode(r: QueryOutcome): ExitCode {
  switch (r.kind) {
    case "schema":
      return EXIT.ok;
    case "error":
      return EXIT.usage;
    case "rows":
      return r.skipped.files.length > 0 ? EXIT.problems : EXIT.ok;
    case "write":
      return r.result.status === "invalid" ? EXIT.problems : EXIT.ok;
  }
}

export interface Rendered {
  readonly stdout: string;
  readonly stderr: string;
}

/** Renders an outcome; `cwd` makes `--format paths` and error locations openable from where hdp ran. */
export function renderQuery(
  r: QueryOutcome,
  format: QueryFormat,
  cwd: string,
  c: Colors = colors(false),
): Rendered {
  switch (r.kind) {
    case "schema":
      return { stdout: format === "json" ? json(r.tables) : renderSchema(r.tables), stderr: "" };
    case "error":
      return {
        stdout: "",
        stderr: skippedNote(r.skipped, cwd, c) + c.red(`hdp query: ${formatQueryError(r.error)}`),
      };
    case "rows":
      return {
        stdout: renderRows(r.result, format, r.root, cwd),
        stderr: skippedNote(r.skipped, cwd, c),
      };
    case "write":
      return format === "json"
        ? { stdout: json(r.result), stderr: "" }
        : renderWrite(r.result, r.dryRun);
  }
}

function skippedNote(s: Skipped, cwd: string, c: Colors): string {
  if (s.files.length === 0) return "";
  const line = (e: ConfigError): string =>
    s.root === undefined ? formatError(e) : configErrorLine(e, s.root, cwd, c);
  const errors = s.errors.map((e) => `  ${line(e)}`).join("\n");
  return `hdp query: ${s.files.length} file(s) with errors were left out; the answer covers the rest:\n${errors}\n`;
}

/** No colours (output is often piped), no rule between rows. */
const PLAIN = { head: [], border: [], compact: true };

const show = (v: SqlValue): string => (v === null ? "NULL" : String(v));

export function renderRows(r: QueryResult, format: QueryFormat, root: string, cwd: string): string {
  switch (format) {
    case "table": {
      const t = new Table({ head: [...r.columns], style: PLAIN });
      for (const row of r.rows) t.push(row.map(show));
      return `${t.toString()}\n(${r.rows.length} row${r.rows.length === 1 ? "" : "s"})\n`;
    }
    case "json": {
      const seen = new Map<string, number>();
      const keys = r.columns.map((c) => {
        const n = (seen.get(c) ?? 0) + 1;
        seen.set(c, n);
        return n === 1 ? c : `${c}:${n}`;
      });
      return json(r.rows.map((row) => Object.fromEntries(keys.map((k, i) => [k, row[i]]))));
    }
    case "csv":
      return [r.columns, ...r.rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
    case "paths": {
      const names = r.columns.map((c) => c.toLowerCase());
      const f = names.indexOf("file");
      const l = names.indexOf("line");
      const seen = new Set<string>();
      for (const row of r.rows) {
        if (row[f] === null) continue;
        const path = relative(cwd, join(root, String(row[f])))
          .split("\\")
          .join("/");
        seen.add(`${path}:${show(row[l])}`);
      }
      return [...seen].map((p) => `${p}\n`).join("");
    }
  }
}

/** RFC 4180: quote fields holding commas, quotes, line breaks or edge spaces; NULL is empty. */
function csvField(v: SqlValue): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function renderSchema(tables: readonly TableSchema[]): string {
  return tables
    .map((t) => {
      const table = new Table({
        head: ["column", "type", "writes to (YAML)", "description"],
        style: PLAIN,
      });
      for (const c of t.columns) table.push([c.name, c.type, c.yamlPath ?? "-", c.description]);
      const notes = [`key: ${t.key.join(", ")}`, ...(t.delete ? [t.delete] : [])].join("; ");
      return `${t.name} — ${t.description} (${notes})\n${table.toString()}\n`;
    })
    .join("\n");
}

function renderWrite(r: WriteBackResult, dryRun: boolean): Rendered {
  const notes = r.changes
    .filter((c) => c.reformatted)
    .map((c) => `hdp query: note: ${c.file}: lines next to the edit were re-rendered\n`)
    .join("");
  switch (r.status) {
    case "unchanged":
      return { stdout: "", stderr: "hdp query: no change: the statements changed no value\n" };
    case "dry-run":
      return { stdout: r.diff, stderr: notes };
    case "written": {
      const deleted = r.changes.filter((c) => c.after === null).length;
      const summary = `hdp query: wrote ${r.changes.length - deleted} file(s), deleted ${deleted} (${r.rows} row(s) changed)\n`;
      return { stdout: r.diff, stderr: notes + summary };
    }
    case "invalid": {
      const lines = [...r.problems, ...r.errors.map(formatError)].map((l) => `  ${l}\n`).join("");
      const head =
        r.diff === ""
          ? "hdp query: nothing written:\n"
          : `hdp query: nothing ${dryRun ? "would be " : ""}written: the change would leave the estate invalid (the diff above shows it):\n`;
      return { stdout: r.diff, stderr: head + lines };
    }
  }
}

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

const EXAMPLES = `
Examples:
  hdp query "SELECT key, classification FROM tables WHERE load_mode = 'cdc'"
  hdp query --format paths "SELECT file, line FROM columns WHERE classification = 'phi' AND name LIKE '%ssn%'"
  hdp query --env dev "SELECT key FROM effective_tables WHERE NOT enabled"
  hdp query --write "UPDATE tables SET retention_days = 2555 WHERE source = 'epic-clarity'"
  hdp query --schema
`;

/** Adds `hdp query` to the program. */
export function registerQuery(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const command = program
    .command("query")
    .description("SQL (SQLite) over the config tree; read-only unless --write")
    .argument("[sql]", "one SQL statement (several, separated by ';', with --write)")
    .addOption(configsOption())
    .option("--env <env>", "unqualified effective_tables/_sources/_pipelines show this env only")
    .addOption(
      new Option("--format <format>", "output format").choices(QUERY_FORMATS).default("table"),
    )
    .option("--schema", "list the tables and columns, with descriptions and what is writable")
    .option("--write", "apply UPDATE/DELETE to the YAML files: validated first, prints a diff")
    .option("--dry-run", "as --write, but only print the diff")
    .addHelpText("after", EXAMPLES);
  for (const o of indexCacheOptions()) command.addOption(o);
  command.action(
    async (
      sql: string | undefined,
      opts: Omit<QueryOptions, "sql" | "configs" | "cacheDir"> & {
        configs?: string;
        cache?: boolean;
        cacheDir?: string;
      },
    ) => {
      const configs = configsDir(opts.configs, io.cwd);
      const { cache: _, cacheDir: given, ...rest } = opts;
      const cacheDir = indexCacheRoot({ ...opts, cacheDir: given }, configs, io.cwd);
      const outcome = await runQuery({ ...rest, sql, configs, cwd: io.cwd, cacheDir });
      const out = renderQuery(outcome, opts.format, io.cwd, ctx.err);
      if (out.stdout !== "") io.stdout(out.stdout);
      if (out.stderr !== "") io.stderr(out.stderr);
      ctx.setExit(queryExitCode(outcome));
    },
  );
}

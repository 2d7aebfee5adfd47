/** `hdp query`: SQL over the config tree; with --write, UPDATE and DELETE change the YAML files. */
import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type CliTable from "cli-table3";
import { Option, type Command } from "commander";
import type * as Config from "@hdp/config";
import type { ConfigError, LoadResult } from "@hdp/config";
import {
  DIGEST,
  EstateDatabase,
  formatQueryError,
  QueryError,
  schemaOf,
  writeBack,
  type QueryResult,
  type SavedDatabase,
  type SqlValue,
  type TableDigests,
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
import { plainTable } from "../plain-table";
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
  /** Names this save: the row digests saved with it ({@link RowDigests}) carry the same. */
  readonly id?: string;
}

/**
 * The digests of the saved database's rows, per filled table (their bytes beside, one table
 * after another): what lets the next query after an edit replace only the rows that changed.
 */
interface RowDigests {
  readonly id: string;
  /** Per table: its name, rows, and bytes of digests. */
  readonly tables: readonly (readonly [string, number, number])[];
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

/**
 * @hdp/config, loaded only when the estate is loaded (or an error of it shown): a warm query
 * answers from the saved database without the schemas and the YAML parsers.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see above
const config = (): typeof Config => require("@hdp/config") as typeof Config;

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
    const loaded = config().loadEstate(o.configs);
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
  const answer =
    (await answerFromSaved(cache, needed, (db) => db.query(o.sql!), env)) ??
    (await answerAfresh(root, cache, (db) => db.query(o.sql!), env));
  if (answer.kind === "error") return answer;
  const { result, skipped } = answer;
  try {
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

type Answer =
  | { readonly kind: "rows"; readonly result: QueryResult; readonly skipped: Skipped }
  | { readonly kind: "error"; readonly error: QueryError; readonly skipped: Skipped };

/**
 * The answer from the saved database, or undefined when there is none for this very tree and
 * code (or it lacks a table the query names). The database is opened and the query run while
 * the tree is still being indexed (its files stat-ed on a worker thread): the answer is
 * returned only once the finished index shows the saved database is this tree's, and thrown
 * away otherwise — a guess never reaches the output.
 */
async function answerFromSaved(
  cache: WarmCache | undefined,
  needed: readonly string[],
  ask: (db: EstateDatabase) => QueryResult,
  env: { env?: string },
): Promise<Answer | undefined> {
  const saved = cache?.peek<QuerySnapshot>("query");
  if (saved === undefined) return undefined;
  const { value } = saved;
  if (!Array.isArray(value.filled) || !needed.every((t) => value.filled.includes(t)))
    return undefined;
  const bytes = saved.bytes(value.bytes);
  if (bytes === undefined) return undefined;
  let answer: Answer | undefined;
  try {
    const db = await EstateDatabase.openSnapshot(bytes, value.envs, value.filled, env);
    try {
      answer = { kind: "rows", result: ask(db), skipped: value.skipped };
    } finally {
      db.close();
    }
  } catch (e) {
    // A QueryError (the SQL, an unknown --env) is the answer; anything else (bytes that are no
    // database after all) means building it afresh, where a bug would show again.
    if (e instanceof QueryError) answer = { kind: "error", error: e, skipped: value.skipped };
  }
  // Another tree's (or code's) answer is never shown.
  return saved.current() ? answer : undefined;
}

/** Loads the estate, fills SQLite, answers, and saves the database for the next query. */
async function answerAfresh(
  root: string,
  cache: WarmCache | undefined,
  ask: (db: EstateDatabase) => QueryResult,
  env: { env?: string },
): Promise<Answer> {
  const loaded = config().loadEstate(root, cache?.loadOptions() ?? {});
  const skipped = skippedOf(loaded);
  try {
    // The database saved for an earlier tree, brought up to date (only the rows that changed
    // are replaced); else filled afresh with the tables earlier queries named, so a query of
    // another table stays warm.
    const earlier = cache === undefined ? undefined : savedDatabase(cache);
    let db: EstateDatabase | undefined;
    if (earlier !== undefined) {
      try {
        db = await EstateDatabase.openUpdated(loaded.estate, earlier, env);
      } catch (e) {
        if (e instanceof QueryError) throw e;
        db = undefined; // not a database after all: afresh
      }
    }
    if (db === undefined) {
      db = await EstateDatabase.open(loaded.estate, { ...env, snapshots: cache !== undefined });
      if (cache !== undefined) db.fill(cache.readAnyTree<QuerySnapshot>("query")?.filled ?? []);
    }
    const fresh = { db, envs: loaded.estate.environments.map((e) => e.name) };
    try {
      return { kind: "rows", result: ask(db), skipped };
    } finally {
      if (cache !== undefined) save(cache, fresh, skipped, loaded);
      db.close();
    }
  } catch (e) {
    if (e instanceof QueryError) return { kind: "error", error: e, skipped };
    throw e;
  }
}

const skippedOf = (loaded: LoadResult): Skipped => ({
  root: loaded.estate.root,
  files: loaded.skippedFiles,
  errors: loaded.errors,
});

function save(
  cache: WarmCache,
  fresh: { db: EstateDatabase; envs: readonly string[] },
  skipped: Skipped,
  loaded: { readonly digest?: string },
): void {
  const { bytes, filled, digests } = fresh.db.snapshot();
  const id = randomUUID();
  const value: QuerySnapshot = { envs: fresh.envs, filled, bytes: bytes.length, skipped, id };
  if (!cache.write("query", value, loaded, bytes)) return;
  const tables = [...digests].map(([name, d]) => [name, d.rows, d.chunks.length] as const);
  cache.write(
    "rowdigests",
    { id, tables } satisfies RowDigests,
    loaded,
    Buffer.concat([...digests.values()].map((d) => d.chunks)),
  );
}

/** The database saved for the tree last queried (any tree), with its rows' digests, if whole. */
function savedDatabase(cache: WarmCache): SavedDatabase | undefined {
  const query = cache.peek<QuerySnapshot>("query");
  const rows = cache.peek<RowDigests>("rowdigests");
  if (query === undefined || rows === undefined) return undefined;
  const id: unknown = rows.value.id;
  const listed: unknown = rows.value.tables;
  if (typeof id !== "string" || query.value.id !== id || !Array.isArray(listed)) return undefined;
  // Read from disk: every entry checked before it is used.
  const tables: [string, number, number][] = [];
  for (const e of listed as unknown[]) {
    if (!Array.isArray(e)) return undefined;
    const [name, count, length] = e as unknown[];
    if (typeof name !== "string" || !Number.isInteger(count) || !Number.isInteger(length))
      return undefined;
    if ((length as number) % DIGEST !== 0) return undefined;
    tables.push([name, count as number, length as number]);
  }
  const bytes = query.bytes(query.value.bytes);
  const all = rows.bytes(tables.reduce((n, [, , length]) => n + length, 0));
  if (bytes === undefined || all === undefined) return undefined;
  const digests = new Map<string, TableDigests>();
  let at = 0;
  for (const [name, count, length] of tables) {
    digests.set(name, { rows: count, chunks: all.subarray(at, at + length) });
    at += length;
  }
  return { bytes, digests };
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
    s.root === undefined ? config().formatError(e) : configErrorLine(e, s.root, cwd, c);
  const errors = s.errors.map((e) => `  ${line(e)}`).join("\n");
  return `hdp query: ${s.files.length} file(s) with errors were left out; the answer covers the rest:\n${errors}\n`;
}

/** cli-table3, loaded for what {@link plainTable} leaves to it (and the schema). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see above
const Table = (): typeof CliTable => require("cli-table3") as typeof CliTable;

/** No colours (output is often piped), no rule between rows. */
const PLAIN = { head: [], border: [], compact: true };

const show = (v: SqlValue): string => (v === null ? "NULL" : String(v));

export function renderRows(r: QueryResult, format: QueryFormat, root: string, cwd: string): string {
  switch (format) {
    case "table": {
      const cells = r.rows.map((row) => row.map(show));
      let drawn = plainTable(r.columns, cells);
      if (drawn === undefined) {
        const t = new (Table())({ head: [...r.columns], style: PLAIN });
        for (const row of cells) t.push(row);
        drawn = t.toString();
      }
      return `${drawn}\n(${r.rows.length} row${r.rows.length === 1 ? "" : "s"})\n`;
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
      const table = new (Table())({
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
      const lines = [...r.problems, ...r.errors.map((e) => config().formatError(e))]
        .map((l) => `  ${l}\n`)
        .join("");
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

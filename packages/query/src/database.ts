/**
 * The estate as an in-memory SQLite database (sql.js: SQLite compiled to WebAssembly). Tables
 * are created empty and filled on first use, so a query pays only for the tables it names.
 * Read-only unless `apply` is called: statements are checked by kind, and the connection runs
 * with `PRAGMA query_only` so the engine itself refuses writes.
 */
import { hash } from "node:crypto";
import type { Estate } from "@hdp/config";
import initSqlJs from "sql.js";
import {
  createIndexSql,
  createTableSql,
  dropIndexSql,
  ident,
  SCHEMA,
  TABLES,
  tableNamed,
} from "./catalog";
import { EstateView, type RowObject, type SqlTable, type SqlValue } from "./define";
import { QueryError } from "./errors";
import { hintFor, READ_KINDS, readOnly, unsupportedStatement, WRITE_KINDS } from "./guard";
import { locateError, referencedNames, statementKind, tokenize } from "./sql-text";
import { attachSnapshot, fileLiteral } from "./snapshot";

let engine: Promise<initSqlJs.SqlJsStatic> | undefined;
/** sql.js compiles its WebAssembly once per process (~40 ms). */
const loadEngine = (): Promise<initSqlJs.SqlJsStatic> => (engine ??= initSqlJs());

export interface OpenOptions {
  /**
   * Makes the unqualified `effective_tables`, `effective_sources` and `effective_pipelines`
   * show only this environment (temporary views over `estate.effective_*`, which keep every
   * environment).
   */
  readonly env?: string;
  /**
   * Keeps the rows in a file that {@link EstateDatabase.snapshot} can save (for a cache), rather
   * than in an in-memory database.
   */
  readonly snapshots?: boolean;
}

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly SqlValue[])[];
}

/** One row changed by `apply`: its values before, and after (null when deleted). */
export interface RowChange {
  readonly table: SqlTable;
  readonly before: RowObject;
  readonly after: RowObject | null;
}

/**
 * A database saved by {@link EstateDatabase.snapshot}, to be brought up to date with another
 * estate ({@link EstateDatabase.openUpdated}): its bytes, and the row digests of each filled table.
 */
export interface SavedDatabase {
  readonly bytes: Uint8Array;
  readonly digests: ReadonlyMap<string, TableDigests>;
}

/**
 * A table's rows in digests: one per {@link CHUNK} rows in rowid order (the first
 * {@link DIGEST} bytes of the SHA-256 of the rows' values as JSON lines), and how many rows.
 */
export interface TableDigests {
  readonly rows: number;
  readonly chunks: Uint8Array;
}

/** Bytes of a digest. */
export const DIGEST = 16;
/** Rows per digest: one hash per row would cost a third of a fill. */
const CHUNK = 64;

/** Digests of rows taken one by one, a chunk at a time. */
class Digests {
  private buf = Buffer.alloc(DIGEST * 1024);
  private chunks = 0;
  private pending: string[] = [];
  rows = 0;
  add(values: readonly SqlValue[]): void {
    this.rows++;
    this.pending.push(JSON.stringify(values));
    if (this.pending.length === CHUNK) this.flush();
  }
  private flush(): void {
    if ((this.chunks + 1) * DIGEST > this.buf.length) {
      const bigger = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(bigger);
      this.buf = bigger;
    }
    // JSON has no raw line breaks: the lines cannot run into each other.
    hash("sha256", this.pending.join("\n"), "buffer").copy(
      this.buf,
      this.chunks++ * DIGEST,
      0,
      DIGEST,
    );
    this.pending = [];
  }
  done(): TableDigests {
    if (this.pending.length > 0) this.flush();
    return { rows: this.rows, chunks: this.buf.subarray(0, this.chunks * DIGEST) };
  }
}

const EFFECTIVE = ["effective_tables", "effective_sources", "effective_pipelines"];
/** Rows per INSERT statement while filling a table. */
const BATCH = 32;

export class EstateDatabase {
  /** Tables filled so far. Rows derive from the estate deterministically: rowid = index + 1. */
  private readonly loaded = new Set<string>();
  /** The digests of each filled table's rows, in rowid order (databases that may be saved). */
  private readonly digests = new Map<string, TableDigests>();
  /** Rows {@link openUpdated} inserted (deleted ones are not counted). */
  rowsWritten = 0;

  private constructor(
    private readonly db: initSqlJs.Database,
    /** The estate the rows derive from; undefined for a snapshot. */
    readonly view: EstateView | undefined,
    readonly env: string | undefined,
    /** The connection whose main file is attached as `estate` (snapshots), if any. */
    private readonly holder?: initSqlJs.Database,
  ) {}

  /** Opens the estate. Throws a usage {@link QueryError} for an unknown `env`. */
  static async open(estate: Estate, options: OpenOptions = {}): Promise<EstateDatabase> {
    const view = new EstateView(estate);
    const env = options.env;
    if (env !== undefined && !view.envs.includes(env)) {
      throw new QueryError(`unknown environment "${env}" (environments: ${view.envs.join(", ")})`, {
        kind: "usage",
      });
    }
    const SQL = await loadEngine();
    const db = new SQL.Database();
    // A true in-memory database (sql.js's main database is a file in Emscripten's MEMFS), or,
    // to save snapshots, the file of a second connection that can export its bytes.
    const holder = options.snapshots === true ? new SQL.Database() : undefined;
    db.exec(
      `ATTACH DATABASE ${holder === undefined ? "':memory:'" : fileLiteral(holder)} AS ${SCHEMA}; PRAGMA temp_store = MEMORY;`,
    );
    db.exec(TABLES.map(createTableSql).join("\n"));
    return new EstateDatabase(finishOpen(db, env), view, env, holder);
  }

  /**
   * Opens a snapshot written by {@link EstateDatabase.snapshot}: the same tables, rows, rowids
   * and indexes as the database it was taken of, without the estate. `filled` are the tables
   * the snapshot holds rows of (the others are empty: a query naming one throws); `envs` the
   * estate's environment names (to check `env`). Read-only: `apply` refuses. Throws when the
   * bytes are not a snapshot (the caller then builds the database afresh).
   */
  static async openSnapshot(
    bytes: Uint8Array,
    envs: readonly string[],
    filled: readonly string[],
    options: Omit<OpenOptions, "snapshots"> = {},
  ): Promise<EstateDatabase> {
    const env = options.env;
    if (env !== undefined && !envs.includes(env)) {
      throw new QueryError(`unknown environment "${env}" (environments: ${envs.join(", ")})`, {
        kind: "usage",
      });
    }
    const { holder, db } = attachSnapshot(await loadEngine(), bytes);
    const opened = new EstateDatabase(finishOpen(db, env), undefined, env, holder);
    for (const name of filled) if (tableNamed(name) !== undefined) opened.loaded.add(name);
    return opened;
  }

  /** The tables a statement (or several) names: what a query would fill. */
  static tablesNamedBy(sql: string): string[] {
    const names = referencedNames(sql);
    if (names.has("sqlite_master") || names.has("sqlite_schema")) return TABLES.map((t) => t.name);
    return [...names].filter((n) => tableNamed(n)).map((n) => tableNamed(n)!.name);
  }

  /**
   * The database as the bytes of an SQLite file, and the tables filled in it, for
   * {@link EstateDatabase.openSnapshot}. Only for a database opened with `snapshots`.
   */
  snapshot(): { bytes: Uint8Array; filled: string[]; digests: Map<string, TableDigests> } {
    if (this.holder === undefined || this.view === undefined) {
      throw new Error(
        "snapshot() needs a database opened from the estate with { snapshots: true }",
      );
    }
    return {
      bytes: this.holder.export(),
      filled: [...this.loaded],
      digests: new Map(this.digests),
    };
  }

  /**
   * The database `saved` was a snapshot of, brought up to date with `estate`: for each table it
   * holds rows of, the rows are derived again and only the stretch between the first and the
   * last row that differs (by digest) is replaced, the rows after it renumbered when their
   * count changed. The result has the rows, rowids and indexes a fresh fill of `estate` would
   * have, so every query answers alike, rows of un-ordered queries in the same order. Throws
   * (the caller then opens the estate afresh) when the bytes are no snapshot.
   */
  static async openUpdated(
    estate: Estate,
    saved: SavedDatabase,
    options: Omit<OpenOptions, "snapshots"> = {},
  ): Promise<EstateDatabase> {
    const view = new EstateView(estate);
    const env = options.env;
    if (env !== undefined && !view.envs.includes(env)) {
      throw new QueryError(`unknown environment "${env}" (environments: ${view.envs.join(", ")})`, {
        kind: "usage",
      });
    }
    const { holder, db } = attachSnapshot(await loadEngine(), saved.bytes);
    const opened = new EstateDatabase(finishOpen(db, env), view, env, holder);
    try {
      opened.db.exec("PRAGMA query_only = OFF");
      try {
        for (const t of TABLES) {
          const old = saved.digests.get(t.name);
          opened.db.exec("BEGIN");
          if (old === undefined) {
            // Not filled in the snapshot: empty, without indexes, as in a fresh database — but
            // a table whose digests went missing is emptied, never trusted.
            opened.db.exec(`DELETE FROM ${SCHEMA}.${ident(t.name)};${dropIndexSql(t)}`);
          } else {
            opened.updateRows(t, old);
            opened.loaded.add(t.name);
          }
          opened.db.exec("COMMIT");
        }
      } finally {
        opened.db.exec("PRAGMA query_only = ON");
      }
    } catch (e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  /** Names of the tables filled so far. */
  get materialized(): readonly string[] {
    return [...this.loaded];
  }

  /** Fills every table (queries fill what they name on their own). */
  loadAll(): void {
    this.materialize(TABLES.map((t) => t.name));
  }

  /** Fills the tables named (unknown names are ignored). */
  fill(names: readonly string[]): void {
    this.materialize(
      names.filter((n) => tableNamed(n) !== undefined).map((n) => tableNamed(n)!.name),
    );
  }

  /** Runs one read-only statement. Throws a {@link QueryError} for anything else. */
  query(sql: string): QueryResult {
    const stmts = this.prepare(sql);
    try {
      if (stmts.length !== 1) {
        throw new QueryError(
          stmts.length === 0
            ? "no SQL statement"
            : `one statement at a time (got ${stmts.length}); only --write runs several`,
          { kind: "usage" },
        );
      }
      const stmt = stmts[0];
      const kind = statementKind(stmt.getSQL());
      if (!READ_KINDS.has(kind))
        throw WRITE_KINDS.has(kind) ? readOnly(kind) : unsupportedStatement(kind);
      const columns = stmt.getColumnNames();
      const rows: SqlValue[][] = [];
      this.db.exec("PRAGMA query_only = ON"); // whatever preparing did, the engine refuses writes
      try {
        while (stmt.step()) rows.push(stmt.get().map(plain));
      } catch (e) {
        if (/readonly database/.test(message(e))) throw readOnly(kind);
        throw this.sqlError(sql, e);
      }
      return { columns, rows };
    } finally {
      for (const s of stmts) s.free();
    }
  }

  /**
   * Runs UPDATE and DELETE statements (several, separated by ";") and returns every row they
   * changed, with its values before and after. The YAML is not touched: see `writeBack`.
   */
  apply(sql: string): RowChange[] {
    if (this.view === undefined) {
      throw new QueryError("a snapshot is read-only: open the estate itself to apply changes", {
        kind: "usage",
      });
    }
    const internal = tokenize(sql).find((t) => /^(rowid|oid|_rowid_)$/i.test(t.value));
    if (internal !== undefined) {
      throw new QueryError("rowid is internal to hdp query: select rows by their key columns", {
        kind: "unsupported",
        sql,
        span: internal,
      });
    }
    const stmts = this.prepare(sql);
    const touched = new Map<string, { updated: Set<number>; deleted: Set<number> }>();
    let inserted: string | undefined;
    try {
      if (stmts.length === 0) throw new QueryError("no SQL statement", { kind: "usage" });
      for (const s of stmts) {
        const kind = statementKind(s.getSQL());
        if (!WRITE_KINDS.has(kind)) throw unsupportedStatement(kind);
      }
      this.db.exec("PRAGMA query_only = OFF");
      this.db.updateHook((op, _db, table, rowid) => {
        const t = touched.get(table) ?? { updated: new Set<number>(), deleted: new Set<number>() };
        touched.set(table, t);
        if (op === "delete") t.deleted.add(rowid);
        else if (op === "update") t.updated.add(rowid);
        else inserted = table; // never throw inside the engine's callback
      });
      for (const s of stmts) {
        try {
          while (s.step());
        } catch (e) {
          throw this.sqlError(sql, e);
        }
      }
    } finally {
      this.db.updateHook(null);
      this.db.exec("PRAGMA query_only = ON");
      for (const s of stmts) s.free();
    }
    if (inserted !== undefined) throw unsupportedStatement("INSERT");
    return [...touched].flatMap(([name, t]) => this.changesOf(tableNamed(name)!, t));
  }

  close(): void {
    this.db.close();
    this.holder?.close();
  }

  private changesOf(
    table: SqlTable,
    t: { updated: Set<number>; deleted: Set<number> },
  ): RowChange[] {
    const old = table.rows(this.view!); // the rows as inserted, derived again (never a snapshot)
    const names = table.columns.map((c) => c.name);
    const asObject = (values: readonly SqlValue[]): RowObject =>
      Object.fromEntries(names.map((n, i) => [n, values[i]]));
    const changes: RowChange[] = [];
    const updated = [...t.updated].filter((r) => !t.deleted.has(r)).sort((a, b) => a - b);
    for (let i = 0; i < updated.length; i += 500) {
      const ids = updated.slice(i, i + 500);
      const stmt = this.db.prepare(
        `SELECT rowid, ${names.map(ident).join(", ")} FROM ${SCHEMA}.${ident(table.name)} WHERE rowid IN (${ids.join(",")})`,
      );
      try {
        while (stmt.step()) {
          const [rowid, ...values] = stmt.get().map(plain);
          changes.push({
            table,
            before: asObject(old[Number(rowid) - 1]),
            after: asObject(values),
          });
        }
      } finally {
        stmt.free();
      }
    }
    for (const rowid of [...t.deleted].sort((a, b) => a - b))
      changes.push({ table, before: asObject(old[rowid - 1]), after: null });
    return changes;
  }

  /** Fills the tables `sql` names, then prepares every statement in it. */
  private prepare(sql: string): initSqlJs.Statement[] {
    // SQLite applies a flag PRAGMA (query_only among them) while preparing it, before any
    // step: refuse it before the engine sees the text.
    const pragma = tokenize(sql).find((t) => t.kind === "word" && /^pragma$/i.test(t.value));
    if (pragma !== undefined) {
      const e = unsupportedStatement("PRAGMA");
      throw new QueryError(e.message, { kind: "unsupported", sql, span: pragma, hint: e.hint! });
    }
    const names = referencedNames(sql);
    const all = names.has("sqlite_master") || names.has("sqlite_schema");
    this.materialize(all ? TABLES.map((t) => t.name) : [...names].filter((n) => tableNamed(n)));
    // The iterator frees each statement when it moves on: keep the texts, prepare them again.
    const texts: string[] = [];
    const stmts: initSqlJs.Statement[] = [];
    try {
      for (const s of this.db.iterateStatements(sql)) texts.push(s.getSQL());
      for (const text of texts) stmts.push(this.db.prepare(text));
    } catch (e) {
      for (const s of stmts) s.free();
      throw this.sqlError(sql, e);
    }
    return stmts;
  }

  private materialize(names: Iterable<string>): void {
    const todo = [...names].map((n) => tableNamed(n)!).filter((t) => !this.loaded.has(t.name));
    if (todo.length === 0) return;
    if (this.view === undefined) {
      throw new Error(`the snapshot holds no rows of ${todo.map((t) => t.name).join(", ")}`);
    }
    this.db.exec("PRAGMA query_only = OFF");
    try {
      for (const t of todo) {
        this.db.exec("BEGIN");
        const digests = this.holder === undefined ? undefined : new Digests();
        this.insertRows(t, 0, Infinity, digests);
        this.db.exec(createIndexSql(t));
        this.db.exec("COMMIT");
        this.loaded.add(t.name);
        if (digests !== undefined) this.digests.set(t.name, digests.done());
      }
    } finally {
      this.db.exec("PRAGMA query_only = ON");
    }
  }

  /**
   * Brings the rows of `t` (filled, with `old` the digests of its rows) to those of this
   * estate. The chunks of rows before the first that differs stay; with as many rows as before,
   * so do the chunks after the last that differs, and the rows between are replaced; with more
   * or fewer, every row after the first differing chunk is (rowids are positions: they move).
   */
  private updateRows(t: SqlTable, old: TableDigests): void {
    const fresh = new Digests();
    t.eachRow(this.view!, (values) => fresh.add(values));
    const now = fresh.done();
    this.digests.set(t.name, now);
    const a = Buffer.from(old.chunks.buffer, old.chunks.byteOffset, old.chunks.byteLength);
    const b = Buffer.from(now.chunks.buffer, now.chunks.byteOffset, now.chunks.byteLength);
    const oldChunks = a.length / DIGEST;
    const newChunks = b.length / DIGEST;
    const same = (i: number, j: number): boolean =>
      b.compare(a, j * DIGEST, (j + 1) * DIGEST, i * DIGEST, (i + 1) * DIGEST) === 0;
    let headChunks = 0;
    while (headChunks < oldChunks && headChunks < newChunks && same(headChunks, headChunks))
      headChunks++;
    const nOld = old.rows;
    const nNew = now.rows;
    const head = Math.min(headChunks * CHUNK, nOld, nNew);
    let tail = 0;
    if (nOld === nNew) {
      let tailChunks = 0;
      while (
        tailChunks < newChunks - headChunks &&
        same(newChunks - 1 - tailChunks, oldChunks - 1 - tailChunks)
      )
        tailChunks++;
      tail = tailChunks === 0 ? 0 : nNew - (newChunks - tailChunks) * CHUNK;
    }
    if (head === nOld && head === nNew) return;
    const table = `${SCHEMA}.${ident(t.name)}`;
    if ((nNew - tail - head) * 4 > nNew) {
      // Most rows: refilled as a fresh fill does it (indexes built after the rows, which is
      // cheaper than keeping them up to date row by row).
      this.rowsWritten += nNew;
      this.db.exec(`DELETE FROM ${table};${dropIndexSql(t)}`);
      this.insertRows(t, 0, nNew);
      this.db.exec(createIndexSql(t));
      return;
    }
    this.rowsWritten += nNew - tail - head;
    this.db.exec(`DELETE FROM ${table} WHERE rowid > ${head} AND rowid <= ${nOld - tail}`);
    this.insertRows(t, head, nNew - tail);
  }

  /**
   * Inserts the rows of `t` whose index is in [from, until) (rowid = index + 1), BATCH rows per
   * statement (a third faster than one by one); the digest of every row into `digests`.
   */
  private insertRows(t: SqlTable, from: number, until: number, digests?: Digests): void {
    const width = t.columns.length + 1; // rowid first
    const tuple = `(${new Array(width).fill("?").join(", ")})`;
    const into = `INSERT INTO ${SCHEMA}.${ident(t.name)} (rowid, ${t.columns.map((c) => ident(c.name)).join(", ")}) VALUES `;
    const batch = this.db.prepare(into + new Array(BATCH).fill(tuple).join(", "));
    const single = this.db.prepare(into + tuple);
    const params: SqlValue[] = new Array<SqlValue>(width * BATCH).fill(null);
    let index = 0;
    let k = 0;
    try {
      t.eachRow(this.view!, (values) => {
        const rowid = ++index;
        digests?.add(values);
        if (rowid <= from || rowid > until) return;
        params[k++] = rowid;
        for (let i = 0; i < values.length; i++) params[k++] = values[i];
        if (k === params.length) {
          batch.bind(params);
          batch.step();
          k = 0;
        }
      });
      for (let at = 0; at < k; at += width) {
        single.bind(params.slice(at, at + width));
        single.step();
      }
    } finally {
      batch.free();
      single.free();
    }
  }

  /** The engine's message, where it points in the SQL, and a hint. */
  private sqlError(sql: string, e: unknown): QueryError {
    if (e instanceof QueryError) return e;
    const msg = message(e);
    const span = locateError(sql, msg, (prefix) => this.probe(prefix));
    return new QueryError(msg, { kind: "sql", sql, ...(span ? { span } : {}), ...hintFor(msg) });
  }

  /** The engine's message for a prefix of a statement, or undefined when it prepares. */
  private probe(prefix: string): string | undefined {
    try {
      for (const s of this.db.iterateStatements(prefix)) s.free();
      return undefined;
    } catch (e) {
      return message(e);
    }
  }
}

/** The env views, then read-only: what every open ends with. */
function finishOpen(db: initSqlJs.Database, env: string | undefined): initSqlJs.Database {
  if (env !== undefined) db.exec(EFFECTIVE.map((t) => envView(tableNamed(t)!, env)).join("\n"));
  db.exec("PRAGMA query_only = ON");
  return db;
}

/** A temporary view that shadows `estate.<t>` with the rows of one environment, writable. */
function envView(t: SqlTable, env: string): string {
  const name = ident(t.name);
  const lit = `'${env.replaceAll("'", "''")}'`;
  const where = t.key.map((k) => `${ident(k)} = OLD.${ident(k)}`).join(" AND ");
  const set = t.columns.map((c) => `${ident(c.name)} = NEW.${ident(c.name)}`).join(", ");
  return [
    `CREATE TEMP VIEW ${name} AS SELECT * FROM ${SCHEMA}.${name} WHERE env = ${lit};`,
    `CREATE TEMP TRIGGER ${ident(`${t.name}_update`)} INSTEAD OF UPDATE ON ${name} BEGIN UPDATE ${SCHEMA}.${name} SET ${set} WHERE ${where}; END;`,
    `CREATE TEMP TRIGGER ${ident(`${t.name}_delete`)} INSTEAD OF DELETE ON ${name} BEGIN DELETE FROM ${SCHEMA}.${name} WHERE ${where}; END;`,
  ].join("\n");
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Blobs never come from the estate; one built in SQL (x'00') is shown as hex. */
const plain = (v: initSqlJs.SqlValue): SqlValue =>
  v instanceof Uint8Array ? `x'${Buffer.from(v).toString("hex")}'` : v;

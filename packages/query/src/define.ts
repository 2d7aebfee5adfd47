/**
 * How a SQL table is declared: its columns (name, type, description, how to read the value from
 * an Estate entry, and where a written value goes in the YAML), its natural key, and where its
 * rows live in the config files. One declaration drives the DDL, `--schema`, the rows and the
 * write-back, so they cannot disagree.
 */
import type { EffectiveEstate, EffectiveSource, Estate, Origin } from "@hdp/config";
import type * as Config from "@hdp/config";

/**
 * @hdp/config's overlays, loaded when rows are first computed: a query on a saved database
 * (`hdp query`'s warm cache) never computes one, nor loads the schemas and YAML parsers.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see above
const config = (): typeof Config => require("@hdp/config") as typeof Config;

/** A value as SQLite holds it (blobs never occur in the estate tables). */
export type SqlValue = string | number | null;

/**
 * How a column is stored. `boolean` is 0/1; `json` is JSON text (query it with `json_extract`,
 * `json_each`, `->>`).
 */
export type ColumnType = "text" | "integer" | "boolean" | "json";

/**
 * A step into a YAML document: a map key, or the item of a list whose `key` field is `value`
 * (without `key`: the scalar item equal to `value`).
 */
export type YamlSegment = string | { readonly key?: string; readonly value: string };
export type YamlPath = readonly YamlSegment[];

/** Where a written value goes, relative to the row's entry. */
export interface WriteSpec {
  /** Map keys under the entry, e.g. `["load", "keys"]`. */
  readonly path: readonly string[];
  /** What writing NULL deletes (default: `path`); a schedule without its cron is deleted whole. */
  readonly nullPath?: readonly string[];
  /**
   * An environment's `enabled` override: writing 0 sets `enabled: false`, writing 1 removes
   * the override (entries are enabled unless an overlay says otherwise).
   */
  readonly enabledOverride?: boolean;
}

/** Where a row's entry lives: a file and the path of the entry in it. */
export interface Locator {
  readonly file: string;
  readonly path: YamlPath;
}

/** A row as an object, keyed by column name (used to locate entries for write-back). */
export type RowObject = Readonly<Record<string, SqlValue>>;

export interface ColumnDef<E> {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
  /** The value of this column for an entry; `undefined` becomes NULL. */
  readonly get: (e: E, view: EstateView) => unknown;
  /** Set when the column is writable with `hdp query --write`. */
  readonly write?: WriteSpec;
}

/** The estate plus memoised views the row builders share. */
export class EstateView {
  private readonly effectiveByEnv = new Map<string, EffectiveEstate>();
  private pipelineByTable: Map<string, string> | undefined;
  private domainBySource: Map<string, string> | undefined;

  constructor(readonly estate: Estate) {}

  /** Environment names, sorted. */
  get envs(): readonly string[] {
    return this.estate.environments.map((e) => e.name);
  }

  /** Sources as `env` sees them, without computing every table's overlay as well. */
  effectiveSources(env: string): readonly EffectiveSource[] {
    return (
      this.effectiveByEnv.get(env)?.sources ??
      this.estate.sources.map((s) => config().effectiveSource(s, env))
    );
  }

  effective(env: string): EffectiveEstate {
    let e = this.effectiveByEnv.get(env);
    if (e === undefined) {
      e = config().effectiveEstate(this.estate, env);
      this.effectiveByEnv.set(env, e);
    }
    return e;
  }

  /** The key of the pipeline (DAG) a table runs in. */
  pipelineOf(tableKey: string): string | undefined {
    if (this.pipelineByTable === undefined) {
      this.pipelineByTable = new Map();
      for (const p of this.estate.pipelines)
        for (const t of p.tables) this.pipelineByTable.set(`${p.source}/${t}`, p.key);
    }
    return this.pipelineByTable.get(tableKey);
  }

  domainOf(source: string): string | undefined {
    this.domainBySource ??= new Map(this.estate.sources.map((s) => [s.id, s.domain]));
    return this.domainBySource.get(source);
  }
}

export interface TableDef<E> {
  readonly name: string;
  readonly description: string;
  /** Columns, without `file`, `line` and `column` (every table ends with those). */
  readonly columns: readonly ColumnDef<E>[];
  /** Columns that identify a row across reloads of the estate. */
  readonly key: readonly string[];
  /** Extra indexes (the natural key is always indexed). */
  readonly indexes?: readonly (readonly string[])[];
  readonly entities: (view: EstateView) => Iterable<E>;
  readonly origin: (e: E) => Origin;
  /** Where a row's entry lives; a string explains why it cannot be written. */
  readonly locate?: (row: RowObject) => Locator | string;
  /** What `DELETE` does: remove the entry's whole file, or the entry from its list. */
  readonly delete?: "file" | "entry";
}

/** A column as the engine and `--schema` see it. */
export interface ColumnInfo {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
  readonly writable: boolean;
  readonly write?: WriteSpec;
}

/** A declared table with its entry type erased: what the database and write-back use. */
export interface SqlTable {
  readonly name: string;
  readonly description: string;
  readonly columns: readonly ColumnInfo[];
  readonly key: readonly string[];
  readonly indexes: readonly (readonly string[])[];
  readonly delete?: "file" | "entry";
  /**
   * Calls `fn` with every row of the estate, values in column order. The array is reused from
   * row to row (a million rows would otherwise be a million arrays for the GC).
   */
  eachRow(view: EstateView, fn: (values: readonly SqlValue[]) => void): void;
  /** Every row of the estate, values in column order. */
  rows(view: EstateView): SqlValue[][];
  locate(row: RowObject): Locator | string;
}

export const ORIGIN_COLUMNS: readonly ColumnInfo[] = [
  {
    name: "file",
    type: "text",
    description: "Config file the entry comes from, relative to the configs directory",
    writable: false,
  },
  { name: "line", type: "integer", description: "Line of the entry in `file`", writable: false },
  {
    name: "column",
    type: "integer",
    description: "Column of the entry in `file`",
    writable: false,
  },
];

/** Converts a JavaScript value to what the column stores. */
export function toSql(type: ColumnType, v: unknown): SqlValue {
  if (v === undefined || v === null) return null;
  switch (type) {
    case "boolean":
      return v === true ? 1 : 0;
    case "json":
      return JSON.stringify(v);
    case "integer":
      return typeof v === "number" ? v : Number(v);
    case "text":
      return typeof v === "string" ? v : JSON.stringify(v);
  }
}

/** Erases the entry type of a declaration. */
export function defineTable<E>(def: TableDef<E>): SqlTable {
  const columns: ColumnInfo[] = [
    ...def.columns.map((c): ColumnInfo => ({
      name: c.name,
      type: c.type,
      description: c.description,
      writable: c.write !== undefined,
      ...(c.write !== undefined ? { write: c.write } : {}),
    })),
    ...ORIGIN_COLUMNS,
  ];
  return {
    name: def.name,
    description: def.description,
    columns,
    key: def.key,
    indexes: def.indexes ?? [],
    ...(def.delete !== undefined ? { delete: def.delete } : {}),
    eachRow(view, fn) {
      const cols = def.columns;
      const n = cols.length;
      const values: SqlValue[] = new Array<SqlValue>(n + 3).fill(null);
      for (const e of def.entities(view)) {
        for (let i = 0; i < n; i++) values[i] = toSql(cols[i].type, cols[i].get(e, view));
        const o = def.origin(e);
        values[n] = o.file;
        values[n + 1] = o.line;
        values[n + 2] = o.column;
        fn(values);
      }
    },
    rows(view) {
      const rows: SqlValue[][] = [];
      this.eachRow(view, (values) => rows.push([...values]));
      return rows;
    },
    locate(row) {
      return def.locate === undefined
        ? `${def.name} rows are derived and cannot be written`
        : def.locate(row);
    },
  };
}

/**
 * A column whose value sits at the same dotted `path` in the Estate entry and in its YAML, so
 * it is read from the one and written to the other. `write: false` makes it read-only.
 */
export function field<E>(
  name: string,
  type: ColumnType,
  path: string,
  description: string,
  write: boolean | Omit<WriteSpec, "path"> = true,
): ColumnDef<E> {
  const keys = path.split(".");
  type Obj = Record<string, unknown> | undefined;
  const [a, b, c] = keys;
  // One closure per depth: this runs for every cell of millions of rows.
  const get =
    keys.length === 1
      ? (e: E): unknown => (e as Obj)?.[a]
      : keys.length === 2
        ? (e: E): unknown => ((e as Obj)?.[a] as Obj)?.[b]
        : (e: E): unknown => (((e as Obj)?.[a] as Obj)?.[b] as Obj)?.[c];
  if (keys.length > 3) throw new Error(`field path too deep: ${path}`);
  if (write === false) return { name, type, description, get };
  return { name, type, description, get, write: { path: keys, ...(write === true ? {} : write) } };
}

/** A read-only column computed from the entry. */
export const derived = <E>(
  name: string,
  type: ColumnType,
  description: string,
  get: (e: E, view: EstateView) => unknown,
): ColumnDef<E> => ({ name, type, description, get });

/** The entries of every environment in turn (without concatenating them). */
export function* perEnv<T>(view: EstateView, pick: (env: string) => readonly T[]): Generator<T> {
  for (const env of view.envs) yield* pick(env);
}

/** `row.file` as a string (every row has one). */
export const fileOf = (row: RowObject): string => String(row.file);

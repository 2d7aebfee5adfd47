/**
 * Column slices: a plan worker holds the estate without its tables' columns, and each job brings
 * the columns its stack's config slice holds (`revisions/slices.ts`, which keys the plan cache):
 * a shard's own sources' tables, none for an environment's core, every table for an unsharded
 * stack. The columns are ~57% of an estate's heap (930,000 of them at the health-system
 * preset's size, ~160 MB per worker); a shard's tables are ~1/70 of them.
 *
 * In the worker, every table's `columns` is a slot (an array proxy) that reads the current
 * job's columns. A program that reads the columns of a table outside its stack's slice fails
 * loudly instead of planning something else: the read throws {@link ColumnsOutsideSlice}, and
 * the job fails even if the program caught it (its plan cache key would not see those columns
 * change). A core stack's slice is its whole environment: the pool runs it again with every
 * table's columns when it read any (the platform program's cores read none).
 */
import type { Column, Estate, Table } from "@hdp/config";

/** The columns a job brings, by table key. */
export type JobColumns = Readonly<Record<string, readonly Column[]>>;

/** The estate as a worker gets it: every table's `columns` left out (`null`). */
export function withoutColumns(estate: Estate): unknown {
  return { ...estate, tables: estate.tables.map((t) => ({ ...t, columns: null })) };
}

/** Tables by source, once per estate. */
const tablesBySource = new WeakMap<Estate, ReadonlyMap<string, readonly Table[]>>();

function bySource(estate: Estate): ReadonlyMap<string, readonly Table[]> {
  let by = tablesBySource.get(estate);
  if (by === undefined) {
    const m = new Map<string, Table[]>();
    for (const t of estate.tables) {
      const list = m.get(t.source);
      if (list === undefined) m.set(t.source, [t]);
      else list.push(t);
    }
    by = m;
    tablesBySource.set(estate, by);
  }
  return by;
}

/** The columns of every table of `sources` (a stack's own sources), or of every table. */
export function columnsOf(estate: Estate, sources: readonly string[] | "all"): JobColumns {
  const out: Record<string, readonly Column[]> = {};
  if (sources === "all") {
    for (const t of estate.tables) out[t.key] = t.columns;
    return out;
  }
  const by = bySource(estate);
  for (const s of sources) for (const t of by.get(s) ?? []) out[t.key] = t.columns;
  return out;
}

/**
 * Each source's part of {@link columnsJson} (`"<table key>":[…],…`), once per estate and source,
 * and how many stacks list the source (a part goes once they all had it: ~190 MB of text at the
 * health-system preset's size otherwise stays in the calling process).
 */
const sourceJson = new WeakMap<
  Estate,
  { readonly parts: Map<string, string>; readonly uses: Map<string, number> }
>();

/**
 * {@link columnsOf} as JSON text, which `JSON.parse` turns back into equal columns: a column is
 * plain JSON data (strings, a boolean, an origin of numbers; the schema allows nothing else). A
 * job carries this text to a worker: each source's part is rendered once per estate (a source's
 * tables are in one shard of each environment), and text crosses the IPC channel as one copy —
 * where the columns as objects were serialized again for every job (2 MB, tens of thousands of
 * objects per shard) and deserialized more slowly than JSON is parsed.
 */
export function columnsJson(estate: Estate, sources: readonly string[] | "all"): string {
  if (sources === "all") return JSON.stringify(columnsOf(estate, "all"));
  let held = sourceJson.get(estate);
  if (held === undefined) {
    const uses = new Map<string, number>();
    for (const e of estate.environments) {
      for (const st of e.stacks)
        for (const s of new Set(st.sources)) uses.set(s, (uses.get(s) ?? 0) + 1);
    }
    held = { parts: new Map(), uses };
    sourceJson.set(estate, held);
  }
  const { parts, uses } = held;
  const by = bySource(estate);
  const pieces: string[] = [];
  for (const s of new Set(sources)) {
    let part = parts.get(s);
    if (part === undefined) {
      part = (by.get(s) ?? [])
        .map((t) => `${JSON.stringify(t.key)}:${JSON.stringify(t.columns)}`)
        .join(",");
      parts.set(s, part);
    }
    // The last stack listing the source had its part: it goes (asked again, it is rendered again).
    const left = (uses.get(s) ?? 0) - 1;
    uses.set(s, left);
    if (left <= 0) parts.delete(s);
    if (part !== "") pieces.push(part);
  }
  return `{${pieces.join(",")}}`;
}

/** A read of a table's columns outside the current job's slice. */
export class ColumnsOutsideSlice extends Error {
  constructor(
    readonly stackName: string,
    readonly table: string,
  ) {
    super(
      `stack "${stackName}" read the columns of table "${table}", outside its config slice (a shard's slice holds its own sources' tables): ` +
        `its plan cache key would not see them change; read them in the environment's core stack, or plan the table in this shard`,
    );
    this.name = "ColumnsOutsideSlice";
  }
}

/** The traps of a slot: `this` is the slot's handler, which knows its table. */
class Slot implements ProxyHandler<Column[]> {
  constructor(
    private readonly owner: ColumnSlots,
    private readonly table: string,
  ) {}
  get(_: Column[], p: string | symbol): unknown {
    return Reflect.get(this.owner.columns(this.table), p);
  }
  has(_: Column[], p: string | symbol): boolean {
    return Reflect.has(this.owner.columns(this.table), p);
  }
  ownKeys(): (string | symbol)[] {
    return Reflect.ownKeys(this.owner.columns(this.table));
  }
  getOwnPropertyDescriptor(_: Column[], p: string | symbol): PropertyDescriptor | undefined {
    return Reflect.getOwnPropertyDescriptor(this.owner.columns(this.table), p);
  }
  set(): boolean {
    throw new TypeError(`the columns of table "${this.table}" are read-only`);
  }
  defineProperty(): boolean {
    throw new TypeError(`the columns of table "${this.table}" are read-only`);
  }
  deleteProperty(): boolean {
    throw new TypeError(`the columns of table "${this.table}" are read-only`);
  }
}

/** A worker's column slots for one estate, and the current job's columns. */
export class ColumnSlots {
  private served: JobColumns = {};
  private stack = "";
  private outside: ColumnsOutsideSlice | undefined;

  /** Puts a slot in place of every table's `columns` (left out by {@link withoutColumns}). */
  constructor(estate: Estate) {
    for (const t of estate.tables as unknown as { key: string; columns: unknown }[]) {
      t.columns = new Proxy<Column[]>([], new Slot(this, t.key));
    }
  }

  /** From now on the slots read `columns`, for the job of `stack` (the last job's are let go). */
  serve(stack: string, columns: JobColumns): void {
    this.stack = stack;
    this.served = columns;
    this.outside = undefined;
  }

  /** The first read outside the slice since {@link serve}, if any. */
  get outsideRead(): ColumnsOutsideSlice | undefined {
    return this.outside;
  }

  /** The columns of `table` for the current job; throws outside its slice. */
  columns(table: string): readonly Column[] {
    const c = Object.hasOwn(this.served, table) ? this.served[table] : undefined;
    if (c !== undefined) return c;
    const e = new ColumnsOutsideSlice(this.stack, table);
    this.outside ??= e;
    throw e;
  }
}

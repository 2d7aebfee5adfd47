/**
 * The rows of one table over `days` daily partitions, generated one at a time (never a table in
 * memory). Load modes shape the feed: `full` is a daily snapshot of the same keys, `incremental`
 * new rows each day, `cdc` inserts on day one and then inserts, updates and — where the table
 * declares how its feed marks them (`load.deletes`) — deletes of existing keys, the marker
 * column holding the first delete value. A share of rows is made bad on purpose (null key, wrong type,
 * overflow) for the pipelines' quarantine.
 */
import type { Column, Table } from "@hdp/config";
import { Random } from "../random";
import {
  columnGenerator,
  entityOf,
  timestampIn,
  type ColumnGen,
  type Pools,
  type RowContext,
  type Value,
} from "./values";

export type BadKind = "null-key" | "wrong-type" | "overflow";
export type Op = "I" | "U" | "D";

export interface GeneratedRow {
  readonly day: string;
  readonly op: Op;
  readonly values: Value[];
  readonly bad: BadKind | undefined;
}

export interface RowOptions {
  readonly rows: number;
  readonly days: number;
  /** First partition date, `YYYY-MM-DD`. */
  readonly start: string;
  readonly seed: number | string;
  /** Share of rows made bad (0-1). */
  readonly badShare: number;
  readonly hospitals: readonly string[];
  readonly pools: Pools;
}

/** `YYYY-MM-DD` of `start` plus `d` days. */
export function dayOf(start: string, d: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
}

/** The key columns of a table: CDC keys, else its first column. */
export function keyColumns(t: Table): string[] {
  return t.load.mode === "cdc" ? [...t.load.keys] : [t.columns[0].name];
}

const NUMERIC_OR_TEMPORAL =
  /^(int|bigint|smallint|tinyint|float|double|date|timestamp|timestamp_ntz|decimal\(.*\))$/;

export function* tableRows(source: string, t: Table, o: RowOptions): Generator<GeneratedRow> {
  const gens: ColumnGen[] = t.columns.map((c, i) => columnGenerator(c, i === 0));
  const own = entityOf(t.columns[0].name);
  const col = (name: string): number => t.columns.findIndex((c) => c.name === name);
  const keyIdx = keyColumns(t)
    .map(col)
    .filter((i) => i >= 0);
  const ledger = col("debit") >= 0 && col("credit") >= 0;
  const deleted = new Set<number>();
  const marker = t.load.mode === "cdc" ? t.load.deletes : undefined;
  const markerIdx = marker !== undefined ? col(marker.column) : -1;
  let nextKey = o.rows;
  const related = relations(col);
  const debit = col("debit");
  const credit = col("credit");
  const journal = col("journal_id");
  const seq = t.load.mode === "cdc" ? col(t.load.sequenceBy ?? "") : -1;
  for (let d = 0; d < o.days; d++) {
    const day = dayOf(o.start, d);
    const rng = new Random(`${String(o.seed)}/${source}/${t.id}/${day}`);
    const ctx: Mutable<RowContext> = {
      rng,
      pools: o.pools,
      day,
      k: 0,
      i: 0,
      poolSize: o.rows,
      hospitals: o.hospitals,
      chosen: new Map(),
      own,
    };
    const count = ledger ? o.rows + (o.rows % 2) : o.rows;
    let pairAmount = "0.00";
    let pairBad: BadKind | undefined;
    for (let i = 0; i < count; i++) {
      let op: Op = "I";
      let k: number;
      if (t.load.mode === "full") k = i;
      else if (t.load.mode === "incremental") k = d * o.rows + i;
      else if (d === 0) k = i;
      else {
        const r = rng.next();
        if (r < 0.3 || deleted.size >= nextKey - 1) k = nextKey++;
        else {
          do k = rng.int(0, nextKey - 1);
          while (deleted.has(k));
          op = r < 0.9 || marker === undefined ? "U" : "D";
          if (op === "D") deleted.add(k);
        }
      }
      // One context per day, its row fields set per row (a fresh object per row costs GC time).
      ctx.k = k;
      ctx.i = i;
      ctx.chosen.clear();
      const values: Value[] = new Array<Value>(gens.length);
      for (let g = 0; g < gens.length; g++) values[g] = gens[g](ctx);
      // Key columns after the first belong to the key too: the same for every change of it.
      for (const j of keyIdx) {
        if (j > 0) values[j] = gens[j]({ ...ctx, rng: new Random(`${t.key}/${k}/${j}`) });
      }
      relate(related, values, rng);
      if (markerIdx >= 0) {
        // Rows that are not deletes hold the change type, unless it would read as a delete.
        const kind = op === "D" ? marker!.values[0] : op;
        values[markerIdx] = op !== "D" && marker!.values.includes(kind) ? null : kind;
      }
      let bad: BadKind | undefined;
      if (ledger) {
        // Journals are pairs of lines that balance; a bad journal spoils both of its lines.
        if (i % 2 === 0) {
          pairAmount = `${rng.int(1, 250_000)}.${String(rng.int(0, 99)).padStart(2, "0")}`;
          pairBad = op !== "D" && rng.chance(o.badShare) ? "wrong-type" : undefined;
        }
        values[debit] = i % 2 === 0 ? pairAmount : "0.00";
        values[credit] = i % 2 === 0 ? "0.00" : pairAmount;
        if (journal >= 0)
          values[journal] = `J-${day}-${String(Math.floor(i / 2)).padStart(7, "0")}`;
        bad = pairBad;
        if (bad !== undefined) values[debit + (i % 2)] = "n/a";
      } else if (op !== "D" && rng.chance(o.badShare)) {
        bad = spoil(t.columns, values, keyIdx, rng);
      }
      if (seq >= 0 && bad === undefined)
        values[seq] = timestampIn(ctx, Math.min(23, d === 0 ? 0 : 1));
      yield { day, op, values, bad };
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Columns whose values depend on each other within a row (-1: not in the table). */
interface Relations {
  readonly admit: number;
  readonly discharge: number;
  readonly gross: number;
  readonly net: number;
  readonly hours: number;
}

const relations = (col: (n: string) => number): Relations => ({
  admit: col("admit_time"),
  discharge: col("discharge_time"),
  gross: col("gross_pay"),
  net: col("net_pay"),
  hours: col("hours_paid") >= 0 ? col("hours_paid") : col("hours_worked"),
});

/** Values that depend on each other within a row. */
function relate(r: Relations, v: Value[], rng: Random): void {
  if (r.admit >= 0 && r.discharge >= 0 && typeof v[r.admit] === "string") {
    const hours = rng.int(2, 240);
    v[r.discharge] = `${new Date(Date.parse(v[r.admit] as string) + hours * 3_600_000)
      .toISOString()
      .slice(0, 19)}Z`;
  }
  if (r.gross >= 0 && r.net >= 0 && typeof v[r.gross] === "string") {
    const g = Number(v[r.gross]);
    v[r.net] = (g * 0.72).toFixed(2);
  }
  if (r.hours >= 0 && v[r.hours] !== null) v[r.hours] = (rng.int(16, 96) / 2).toFixed(2);
}

/** Makes one row bad in a way the table allows; returns how. */
function spoil(
  columns: readonly Column[],
  v: Value[],
  keyIdx: readonly number[],
  rng: Random,
): BadKind {
  const typed = columns
    .map((c, i) => [c, i] as const)
    .filter(([c]) => NUMERIC_OR_TEMPORAL.test(c.type));
  const overflowable = typed.filter(([c]) => /^(decimal|int$|smallint|tinyint)/.test(c.type));
  const kinds: BadKind[] = ["null-key"];
  if (typed.length > 0) kinds.push("wrong-type");
  if (overflowable.length > 0) kinds.push("overflow");
  const kind = rng.pick(kinds);
  if (kind === "null-key") {
    v[keyIdx.length > 0 ? rng.pick(keyIdx) : 0] = null;
  } else if (kind === "wrong-type") {
    const [, i] = rng.pick(typed);
    v[i] = "n/a";
  } else {
    const [c, i] = rng.pick(overflowable);
    const dec = /^decimal\((\d+),(\d+)\)$/.exec(c.type);
    if (dec !== null)
      v[i] = `${"9".repeat(Number(dec[1]) - Number(dec[2]) + 1)}${Number(dec[2]) > 0 ? ".5" : ""}`;
    else v[i] = c.type === "int" ? 2 ** 31 : c.type === "smallint" ? 2 ** 15 : 2 ** 7;
  }
  return kind;
}

/**
 * The rows of one table over `days` daily partitions, generated block by block (at most 10,000
 * rows, never a table in memory): `KeyPlanner` draws, in order, which key each row carries and
 * how it changes; `BlockGenerator` draws a block's values from the block's own random stream, so
 * blocks can be generated on any thread in any order and give the same rows. Load modes shape the feed: `full` is a daily snapshot of the same keys, `incremental`
 * new rows each day, `cdc` inserts on day one and then inserts, updates and — where the table
 * declares how its feed marks them (`load.deletes`) — deletes of existing keys, the marker
 * column holding the first delete value. A share of rows is made bad on purpose (null key, wrong type,
 * overflow) for the pipelines' quarantine.
 */
import type { Column, Table } from "@hdp/config";
import { Random } from "../random";
import { cdcCodes } from "./cdc-ops";
import { civilDate } from "./health";
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

/** Rows per block: the unit of generation (its own random stream) and of a parquet row group. */
export const BLOCK_ROWS = 10_000;

/** A run of rows of one day, within one part file. */
export interface Block {
  readonly part: number;
  /** First row (index within the day) and one past the last. */
  readonly start: number;
  readonly end: number;
}

/** Rows of a table per day: GL journals are pairs of lines, so an even count. */
export const rowsPerDay = (t: Table, rows: number): number =>
  isLedger(t) ? rows + (rows % 2) : rows;

const isLedger = (t: Table): boolean =>
  t.columns.some((c) => c.name === "debit") && t.columns.some((c) => c.name === "credit");

/** A day's rows as parts of `partRows`, each cut into blocks of at most BLOCK_ROWS. */
export function dayBlocks(count: number, partRows: number): Block[] {
  const blocks: Block[] = [];
  for (let part = 0, first = 0; first < count; part++, first += partRows) {
    const last = Math.min(count, first + partRows);
    for (let start = first; start < last; start += BLOCK_ROWS)
      blocks.push({ part, start, end: Math.min(last, start + BLOCK_ROWS) });
  }
  return blocks;
}

/** Change types in a plan: 0 insert, 1 update, 2 delete. */
const OPS: readonly Op[] = ["I", "U", "D"];

/**
 * Which key each row carries and how it changes, for one block: drawn in order over the whole
 * feed by `KeyPlanner` (CDC updates and deletes depend on every earlier row), so blocks can be
 * generated anywhere, in any order. GL journals carry their pair's amount and whether it is bad.
 */
export interface BlockPlan {
  readonly keys: Int32Array;
  readonly ops: Uint8Array;
  /** Ledger tables: each line's journal amount, and 1 where the journal is spoiled. */
  readonly amounts?: string[];
  readonly spoiled?: Uint8Array;
}

/** Draws the plans of a table's blocks; call `plan` for every block, days and blocks in order. */
export class KeyPlanner {
  private readonly deleted = new Set<number>();
  private nextKey: number;
  private rng: Random | undefined;
  private day = -1;
  private pairAmount = "0.00";
  private pairBad = 0;
  private readonly ledger: boolean;
  private readonly deletes: boolean;

  constructor(
    private readonly source: string,
    private readonly t: Table,
    private readonly o: Pick<RowOptions, "rows" | "start" | "seed" | "badShare">,
  ) {
    this.nextKey = o.rows;
    this.ledger = isLedger(t);
    this.deletes = t.load.mode === "cdc" && t.load.deletes !== undefined;
  }

  plan(d: number, start: number, end: number): BlockPlan {
    if (d !== this.day) {
      this.day = d;
      this.rng = new Random(
        `${String(this.o.seed)}/${this.source}/${this.t.id}/${dayOf(this.o.start, d)}/plan`,
      );
    }
    const rng = this.rng!;
    const n = end - start;
    const keys = new Int32Array(n);
    const ops = new Uint8Array(n);
    const amounts = this.ledger ? new Array<string>(n) : undefined;
    const spoiled = this.ledger ? new Uint8Array(n) : undefined;
    const mode = this.t.load.mode;
    for (let j = 0; j < n; j++) {
      const i = start + j;
      let op = 0;
      let k: number;
      if (mode === "full") k = i;
      else if (mode === "incremental") k = d * this.o.rows + i;
      else if (d === 0) k = i;
      else {
        const r = rng.next();
        if (r < 0.3 || this.deleted.size >= this.nextKey - 1) k = this.nextKey++;
        else {
          do k = rng.int(0, this.nextKey - 1);
          while (this.deleted.has(k));
          op = r < 0.9 || !this.deletes ? 1 : 2;
          if (op === 2) this.deleted.add(k);
        }
      }
      keys[j] = k;
      ops[j] = op;
      if (amounts !== undefined && spoiled !== undefined) {
        // Journals are pairs of lines that balance; a bad journal spoils both of its lines.
        if (i % 2 === 0) {
          this.pairAmount = `${rng.int(1, 250_000)}.${String(rng.int(0, 99)).padStart(2, "0")}`;
          this.pairBad = op !== 2 && rng.chance(this.o.badShare) ? 1 : 0;
        }
        amounts[j] = this.pairAmount;
        spoiled[j] = this.pairBad;
      }
    }
    return { keys, ops, amounts, spoiled };
  }
}

/** Receives each generated row; `values` is reused for the next row (copy to keep it). */
export type RowSink = (values: Value[], op: Op, bad: BadKind | undefined) => void;

/**
 * Generates the values of a table's blocks. Each block draws from its own random stream,
 * seeded by (seed, source, table, day, first row), so a block's rows are the same whichever
 * thread generates it and whenever.
 */
export class BlockGenerator {
  private readonly gens: ColumnGen[];
  private readonly own: string;
  private readonly keyIdx: number[];
  private readonly related: Relations;
  private readonly markerIdx: number;
  private readonly codes: ReturnType<typeof cdcCodes> | undefined;
  private readonly debit: number;
  private readonly credit: number;
  private readonly journal: number;
  private readonly seq: number;
  private readonly ledger: boolean;
  private readonly values: Value[];

  /**
   * @param landsAsText which columns the landing file keeps as text: only those can carry a
   *   wrong-typed value (a typed Parquet column cannot hold "n/a"). @default every column
   *   (csv, ndjson: all text)
   */
  constructor(
    private readonly source: string,
    private readonly t: Table,
    private readonly o: RowOptions,
    private readonly landsAsText: (c: Column) => boolean = () => true,
  ) {
    this.gens = t.columns.map((c, i) => columnGenerator(c, i === 0));
    this.own = entityOf(t.columns[0].name);
    const col = (name: string): number => t.columns.findIndex((c) => c.name === name);
    this.keyIdx = keyColumns(t)
      .map(col)
      .filter((i) => i >= 0);
    this.related = relations(col);
    const marker = t.load.mode === "cdc" ? t.load.deletes : undefined;
    this.markerIdx = marker !== undefined ? col(marker.column) : -1;
    this.codes = marker !== undefined && this.markerIdx >= 0 ? cdcCodes(marker.values) : undefined;
    this.debit = col("debit");
    this.credit = col("credit");
    this.journal = col("journal_id");
    this.ledger = isLedger(t);
    this.seq = t.load.mode === "cdc" ? col(t.load.sequenceBy ?? "") : -1;
    this.values = new Array<Value>(this.gens.length).fill(null);
  }

  generate(d: number, start: number, plan: BlockPlan, sink: RowSink): void {
    const { t, o, gens, keyIdx, values } = this;
    const day = dayOf(o.start, d);
    const rng = new Random(`${String(o.seed)}/${this.source}/${t.id}/${day}/${start}`);
    const ctx: Mutable<RowContext> = {
      rng,
      pools: o.pools,
      day,
      k: 0,
      i: 0,
      poolSize: o.rows,
      hospitals: o.hospitals,
      chosen: new Map(),
      own: this.own,
    };
    const n = plan.keys.length;
    for (let j = 0; j < n; j++) {
      const i = start + j;
      const k = plan.keys[j];
      const op = OPS[plan.ops[j]];
      ctx.k = k;
      ctx.i = i;
      ctx.chosen.clear();
      for (let g = 0; g < gens.length; g++) values[g] = gens[g](ctx);
      // Key columns after the first belong to the key too: the same for every change of it.
      for (const c of keyIdx) {
        if (c > 0) values[c] = gens[c]({ ...ctx, rng: new Random(`${t.key}/${k}/${c}`) });
      }
      relate(this.related, values, rng);
      if (this.codes !== undefined) {
        // The change type in the feed's own codes (SQL Server CDC: 2 insert, 4 update, 1 delete).
        values[this.markerIdx] =
          op === "D" ? this.codes.delete : op === "U" ? this.codes.update : this.codes.insert;
      }
      let bad: BadKind | undefined;
      if (this.ledger) {
        const amount = plan.amounts![j];
        values[this.debit] = i % 2 === 0 ? amount : "0.00";
        values[this.credit] = i % 2 === 0 ? "0.00" : amount;
        if (this.journal >= 0)
          values[this.journal] = `J-${day}-${String(Math.floor(i / 2)).padStart(7, "0")}`;
        if (plan.spoiled![j] === 1) {
          bad = "wrong-type";
          values[i % 2 === 0 ? this.debit : this.credit] = "n/a";
        }
      } else if (op !== "D" && rng.chance(o.badShare)) {
        bad = spoil(t.columns, values, keyIdx, rng, this.landsAsText);
      }
      if (this.seq >= 0 && bad === undefined)
        values[this.seq] = timestampIn(ctx, Math.min(23, d === 0 ? 0 : 1));
      sink(values, op, bad);
    }
  }
}

/**
 * The rows of one table, day by day and block by block, one at a time (for the raw formats'
 * writers, which take rows; the row formats go through blocks, see `simulate-data.ts`).
 */
export function* tableRows(
  source: string,
  t: Table,
  o: RowOptions,
  partRows: number,
): Generator<GeneratedRow> {
  const planner = new KeyPlanner(source, t, o);
  const generator = new BlockGenerator(source, t, o);
  const count = rowsPerDay(t, o.rows);
  for (let d = 0; d < o.days; d++) {
    const day = dayOf(o.start, d);
    for (const b of dayBlocks(count, partRows)) {
      const rows: GeneratedRow[] = [];
      generator.generate(d, b.start, planner.plan(d, b.start, b.end), (values, op, bad) =>
        rows.push({ day, op, values: values.slice(), bad }),
      );
      yield* rows;
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
    v[r.discharge] = laterBy(v[r.admit] as string, rng.int(2, 240));
  }
  if (r.gross >= 0 && r.net >= 0 && typeof v[r.gross] === "string") {
    const g = Number(v[r.gross]);
    v[r.net] = (g * 0.72).toFixed(2);
  }
  if (r.hours >= 0 && v[r.hours] !== null) v[r.hours] = (rng.int(16, 96) / 2).toFixed(2);
}

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, "0"));
const epochDays = new Map<string, number>();

/**
 * `YYYY-MM-DDTHH:MM:SSZ` plus `hours`, in the same shape: arithmetic on the fields (Date.parse
 * and toISOString per row cost more than the rest of the row); other text through Date.
 */
export function laterBy(time: string, hours: number): string {
  if (
    time.length !== 20 ||
    time[10] !== "T" ||
    time[13] !== ":" ||
    time[16] !== ":" ||
    time[19] !== "Z"
  )
    return `${new Date(Date.parse(time) + hours * 3_600_000).toISOString().slice(0, 19)}Z`;
  const date = time.slice(0, 10);
  let days = epochDays.get(date);
  if (days === undefined) {
    days = Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
    epochDays.set(date, days);
  }
  const h = (time.charCodeAt(11) - 48) * 10 + time.charCodeAt(12) - 48 + hours;
  return `${civilDate(days + Math.floor(h / 24))}T${PAD2[h % 24]}${time.slice(13)}`;
}

/** Makes one row bad in a way the table allows; returns how. */
function spoil(
  columns: readonly Column[],
  v: Value[],
  keyIdx: readonly number[],
  rng: Random,
  landsAsText: (c: Column) => boolean,
): BadKind {
  const typed = columns
    .map((c, i) => [c, i] as const)
    .filter(([c]) => NUMERIC_OR_TEMPORAL.test(c.type));
  const overflowable = typed.filter(([c]) => /^(decimal|int$|smallint|tinyint)/.test(c.type));
  // A wrong-typed value only where the landing file holds text: a typed column cannot.
  const mistypable = typed.filter(([c]) => landsAsText(c));
  const kinds: BadKind[] = ["null-key"];
  if (mistypable.length > 0) kinds.push("wrong-type");
  if (overflowable.length > 0) kinds.push("overflow");
  const kind = rng.pick(kinds);
  if (kind === "null-key") {
    v[keyIdx.length > 0 ? rng.pick(keyIdx) : 0] = null;
  } else if (kind === "wrong-type") {
    const [, i] = rng.pick(mistypable);
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

/**
 * `hdp simulate data`: rows for every enabled table of an environment (or one source/table),
 * written where the pipelines read them: `<source>/<table>/dt=YYYY-MM-DD/part-NNNNN.<ext>`.
 * Sources delivering HL7, VCF or FASTQ get raw files in that format instead, and tables reading
 * other files of those drops (run folders, BCL Convert and DRAGEN metrics, PharmCAT calls) those.
 */
import {
  effectiveEstate,
  landingFormatOf,
  type Estate,
  type Source,
  type Table,
} from "@hdp/config";
import { availableParallelism } from "node:os";
import { blockPool, type BlockPool } from "./block-pool";
import type { BlockResult } from "./blocks";
import { seededFaker } from "./faker";
import { makePools } from "./values";
import { RAW_FORMATS, rawWriter, type RawFormat } from "./raw";
import {
  dayBlocks,
  dayOf,
  KeyPlanner,
  keyColumns,
  rowsPerDay,
  tableRows,
  type BadKind,
  type RowOptions,
} from "./rows";
import type { Target } from "./sinks";
import {
  EXTENSIONS,
  loadParquet,
  partWriter,
  type DataFormat,
  type PartWriter,
  type RowWriter,
} from "./writers";
import { seedOf } from "../random";

export interface DataOptions {
  readonly estate: Estate;
  readonly env: string;
  readonly source?: string | undefined;
  readonly table?: string | undefined;
  /** Rows per table per day. */
  readonly rows: number;
  readonly days: number;
  readonly seed: number | string;
  /** Landing format of every table; default: each table's own (config's landing format). */
  readonly format?: DataFormat | undefined;
  /** First partition date (default 2025-01-06). */
  readonly start?: string;
  /** Share of bad rows (default 0.01). */
  readonly badShare?: number;
  /** Rows per part file (default 100,000). */
  readonly partRows?: number;
  /**
   * Worker threads generating and encoding blocks of rows; 0: this thread only. The output is
   * the same bytes whatever the number. Default: one per core (at most 4) from 50,000 rows on.
   */
  readonly threads?: number;
  /**
   * Progress (for a bar on a terminal): tables done of the total, the table being written, and
   * rows written so far; after each table and every 50,000 rows within one.
   */
  readonly onProgress?: (done: number, total: number, label: string, rows: number) => void;
}

export interface TableStats {
  readonly source: string;
  readonly table: string;
  readonly format: string;
  readonly files: readonly string[];
  readonly rows: number;
  readonly ops: Readonly<Record<"I" | "U" | "D", number>>;
  readonly bad: Readonly<Record<BadKind, number>>;
  readonly keys: readonly string[];
}

export interface DataResult {
  readonly tables: readonly TableStats[];
  readonly rows: number;
}

/** Checks options against the estate; every problem at once. */
export function checkDataOptions(o: DataOptions): string[] {
  const p: string[] = [];
  const envs = o.estate.environments.map((e) => e.name);
  if (!envs.includes(o.env))
    p.push(`--env: unknown environment "${o.env}" (environments: ${envs.join(", ")})`);
  if (o.source !== undefined && !o.estate.sources.some((s) => s.id === o.source))
    p.push(`--source: unknown source "${o.source}"`);
  if (
    o.table !== undefined &&
    !o.estate.tables.some(
      (t) => t.id === o.table && (o.source === undefined || t.source === o.source),
    )
  )
    p.push(
      `--table: unknown table "${o.table}"${o.source !== undefined ? ` in source "${o.source}"` : ""}`,
    );
  if (!Number.isInteger(o.rows) || o.rows < 1)
    p.push(`--rows must be a whole number of at least 1 (got ${o.rows})`);
  if (o.threads !== undefined && (!Number.isInteger(o.threads) || o.threads < 0 || o.threads > 64))
    p.push(`--threads must be a whole number from 0 to 64 (got ${o.threads})`);
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 3660)
    p.push(`--days must be a whole number from 1 to 3660 (got ${o.days})`);
  if (o.badShare !== undefined && !(o.badShare >= 0 && o.badShare <= 1))
    p.push(`--bad-rows must be a share from 0 to 1 (got ${o.badShare})`);
  if (o.start !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.start))
    p.push(`--start must be a date YYYY-MM-DD (got ${o.start})`);
  return p;
}

const RAW = new Set<string>(RAW_FORMATS);
const PROGRESS_EVERY = 50_000;

/** What lands for a table: a raw vendor format, or the given (else configured) row format. */
function formatOf(s: Source, t: Table, given: DataFormat | undefined): RawFormat | DataFormat {
  const configured = landingFormatOf(s.connection, t);
  if ("format" in configured && RAW.has(configured.format)) return configured.format;
  if (given !== undefined) return given;
  return "format" in configured ? configured.format : "ndjson";
}

export async function simulateData(o: DataOptions, target: Target): Promise<DataResult> {
  const problems = checkDataOptions(o);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const eff = effectiveEstate(o.estate, o.env);
  const sources = new Map(eff.sources.filter((s) => s.enabled).map((s) => [s.id, s]));
  const tables = eff.tables
    .filter((t) => t.enabled && sources.has(t.source))
    .filter(
      (t) =>
        (o.source === undefined || t.source === o.source) &&
        (o.table === undefined || t.id === o.table),
    )
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const pools = makePools(await seededFaker(seedOf(String(o.seed))));
  const partRows = o.partRows ?? 100_000;
  const out: TableStats[] = [];
  let total = 0;
  const pool = blockPool(o.threads ?? defaultThreads(o.rows * o.days * tables.length));
  try {
    if (tables.length > 0) o.onProgress?.(0, tables.length, tables[0].key, 0);
    for (const [n, t] of tables.entries()) {
      const source = sources.get(t.source)!;
      const format = formatOf(source, t, o.format);
      const hospitals =
        source.hospitals.length > 0
          ? source.hospitals
          : o.estate.platform.hospitals.map((h) => h.id);
      const rowOptions: RowOptions = {
        rows: o.rows,
        days: o.days,
        start: o.start ?? "2025-01-06",
        seed: o.seed,
        badShare: o.badShare ?? 0.01,
        hospitals,
        pools,
      };
      const progress = (rows: number): void =>
        o.onProgress?.(n, tables.length, t.key, total + rows);
      const stats = RAW.has(format)
        ? await writeRawTable(t, format as RawFormat, rowOptions, partRows, target, progress)
        : await writeTable(t, format as DataFormat, rowOptions, partRows, target, pool, progress);
      out.push({ ...stats, source: t.source, table: t.id, format, keys: keyColumns(t) });
      total += stats.rows;
      o.onProgress?.(n + 1, tables.length, t.key, total);
    }
  } catch (e) {
    // No file is left half written under its name (files closed before are whole and stay).
    await pool.close();
    await target.abort();
    throw e;
  }
  await pool.close();
  await target.finish();
  return { tables: out, rows: total };
}

/** Worker threads by default: one per core (at most 4), when there are enough rows to pay for them. */
function defaultThreads(rows: number): number {
  return rows < 50_000 ? 0 : Math.min(4, availableParallelism());
}

type Counts = Omit<TableStats, "source" | "table" | "format" | "keys">;

const partPath = (t: Table, day: string, part: number, ext: string): string =>
  `${t.source}/${t.id}/dt=${day}/part-${String(part).padStart(5, "0")}.${ext}`;

/**
 * A row-format table: its key plan drawn here in order, its blocks generated and encoded by the
 * pool (a few in flight per thread), and written here in order, part file by part file.
 */
async function writeTable(
  t: Table,
  format: DataFormat,
  o: RowOptions,
  partRows: number,
  target: Target,
  pool: BlockPool,
  progress: (rows: number) => void,
): Promise<Counts> {
  const lib = format === "parquet" ? await loadParquet() : undefined;
  const id = await pool.table({ source: t.source, table: t, format, options: o });
  const planner = new KeyPlanner(t.source, t, o);
  const files: string[] = [];
  const ops = { I: 0, U: 0, D: 0 };
  const bad: Record<BadKind, number> = { "null-key": 0, "wrong-type": 0, overflow: 0 };
  let rows = 0;
  let current: { key: string; writer: PartWriter } | undefined;
  const inFlight: { day: string; part: number; result: Promise<BlockResult> }[] = [];
  const take = async (): Promise<void> => {
    const next = inFlight.shift()!;
    const r = await next.result;
    const path = partPath(t, next.day, next.part, EXTENSIONS[format]);
    if (current?.key !== path) {
      if (current !== undefined) await current.writer.close();
      current = { key: path, writer: partWriter(format, await target.open(path), t.columns, lib) };
      files.push(path);
    }
    await current.writer.write(r.block);
    const before = rows;
    rows += r.block.rows;
    for (const k of ["I", "U", "D"] as const) ops[k] += r.ops[k];
    for (const k of Object.keys(bad) as BadKind[]) bad[k] += r.bad[k];
    if (Math.floor(rows / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY)) progress(rows);
  };
  const count = rowsPerDay(t, o.rows);
  // Enough blocks in flight to keep every thread busy while this thread writes.
  const depth = Math.max(2, 2 * pool.threads);
  try {
    for (let d = 0; d < o.days; d++) {
      const day = dayOf(o.start, d);
      for (const b of dayBlocks(count, partRows)) {
        const plan = planner.plan(d, b.start, b.end);
        const result = pool.run(id, { d, start: b.start, plan });
        result.catch(() => undefined);
        inFlight.push({ day, part: b.part, result });
        if (inFlight.length >= depth) await take();
      }
    }
    while (inFlight.length > 0) await take();
  } finally {
    pool.forget(id);
  }
  if (current !== undefined) await current.writer.close();
  return { files, rows, ops, bad };
}

/** A raw-format table (HL7, VCF, FASTQ): rows one at a time through its raw writer. */
async function writeRawTable(
  t: Table,
  format: RawFormat,
  o: RowOptions,
  partRows: number,
  target: Target,
  progress: (rows: number) => void,
): Promise<Counts> {
  const files: string[] = [];
  const ops = { I: 0, U: 0, D: 0 };
  const bad: Record<BadKind, number> = { "null-key": 0, "wrong-type": 0, overflow: 0 };
  let rows = 0;
  let current: { day: string; part: number; inPart: number; writer: RowWriter } | undefined;
  // Raw writers may write other files than the part they were opened for (FASTQ: one per row).
  const finish = async (c: NonNullable<typeof current>): Promise<void> => {
    await c.writer.close();
    files.push(...(c.writer.written?.() ?? []));
  };
  for (const r of tableRows(t.source, t, o, partRows)) {
    if (current === undefined || current.day !== r.day || current.inPart >= partRows) {
      const part = current !== undefined && current.day === r.day ? current.part + 1 : 0;
      if (current !== undefined) await finish(current);
      const dir = `${t.source}/${t.id}/dt=${r.day}`;
      current = { day: r.day, part, inPart: 0, writer: rawWriter(format, dir, part, target, t) };
    }
    const wait = current.writer.write(r.values);
    if (wait !== undefined) await wait;
    current.inPart++;
    rows++;
    if (rows % PROGRESS_EVERY === 0) progress(rows);
    ops[r.op]++;
    if (r.bad !== undefined) bad[r.bad]++;
  }
  if (current !== undefined) await finish(current);
  return { files, rows, ops, bad };
}

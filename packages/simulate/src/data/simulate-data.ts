/**
 * `hdp simulate data`: rows for every enabled table of an environment (or one source/table),
 * written where the pipelines read them: `<source>/<table>/dt=YYYY-MM-DD/part-NNNNN.<ext>`.
 * Sources delivering HL7, VCF or FASTQ get raw files in that format instead.
 */
import {
  effectiveEstate,
  landingFormatOf,
  type Estate,
  type Source,
  type Table,
} from "@hdp/config";
import { seededFaker } from "./faker";
import { makePools, type Pools } from "./values";
import { RAW_EXTENSIONS, rawWriter, type RawFormat } from "./raw";
import { keyColumns, tableRows, type BadKind } from "./rows";
import type { Target } from "./sinks";
import {
  csvWriter,
  EXTENSIONS,
  loadParquet,
  ndjsonWriter,
  parquetWriter,
  type DataFormat,
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
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 3660)
    p.push(`--days must be a whole number from 1 to 3660 (got ${o.days})`);
  if (o.badShare !== undefined && !(o.badShare >= 0 && o.badShare <= 1))
    p.push(`--bad-rows must be a share from 0 to 1 (got ${o.badShare})`);
  if (o.start !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.start))
    p.push(`--start must be a date YYYY-MM-DD (got ${o.start})`);
  return p;
}

const RAW = new Set(["hl7", "vcf", "fastq"]);
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
  let parquet: Awaited<ReturnType<typeof loadParquet>> | undefined;
  const partRows = o.partRows ?? 100_000;
  const out: TableStats[] = [];
  let total = 0;
  if (tables.length > 0) o.onProgress?.(0, tables.length, tables[0].key, 0);
  for (const [n, t] of tables.entries()) {
    const source = sources.get(t.source)!;
    const format = formatOf(source, t, o.format);
    const raw = RAW.has(format) ? (format as RawFormat) : undefined;
    if (format === "parquet") parquet ??= await loadParquet();
    const hospitals =
      source.hospitals.length > 0 ? source.hospitals : o.estate.platform.hospitals.map((h) => h.id);
    const ext = raw !== undefined ? RAW_EXTENSIONS[raw] : EXTENSIONS[format as DataFormat];
    const open = async (
      day: string,
      part: number,
    ): Promise<{ path: string; writer: RowWriter }> => {
      const dir = `${t.source}/${t.id}/dt=${day}`;
      const path = `${dir}/part-${String(part).padStart(5, "0")}.${ext}`;
      if (raw !== undefined) return { path, writer: rawWriter(raw, dir, part, target, t) };
      const sink = await target.open(path);
      const writer =
        format === "csv"
          ? csvWriter(sink, t.columns)
          : format === "ndjson"
            ? ndjsonWriter(sink, t.columns)
            : parquetWriter(sink, t.columns, parquet!);
      return { path, writer };
    };
    const stats = await writeTable(t, o, pools, hospitals, partRows, open, (rows) =>
      o.onProgress?.(n, tables.length, t.key, total + rows),
    );
    out.push({
      ...stats,
      source: t.source,
      table: t.id,
      format,
      keys: keyColumns(t),
    });
    total += stats.rows;
    o.onProgress?.(n + 1, tables.length, t.key, total);
  }
  await target.finish();
  return { tables: out, rows: total };
}

async function writeTable(
  t: Table,
  o: DataOptions,
  pools: Pools,
  hospitals: readonly string[],
  partRows: number,
  open: (day: string, part: number) => Promise<{ path: string; writer: RowWriter }>,
  progress: (rows: number) => void,
): Promise<Omit<TableStats, "source" | "table" | "format" | "keys">> {
  const files: string[] = [];
  const ops = { I: 0, U: 0, D: 0 };
  const bad: Record<BadKind, number> = { "null-key": 0, "wrong-type": 0, overflow: 0 };
  let rows = 0;
  let current:
    { day: string; part: number; inPart: number; path: string; writer: RowWriter } | undefined;
  const rowsIter = tableRows(t.source, t, {
    rows: o.rows,
    days: o.days,
    start: o.start ?? "2025-01-06",
    seed: o.seed,
    badShare: o.badShare ?? 0.01,
    hospitals,
    pools,
  });
  // Raw writers may write other files than the part they were opened for (FASTQ: one per row).
  const finish = async (c: NonNullable<typeof current>): Promise<void> => {
    await c.writer.close();
    files.push(...(c.writer.written?.() ?? [c.path]));
  };
  for (const r of rowsIter) {
    if (current === undefined || current.day !== r.day || current.inPart >= partRows) {
      const part = current !== undefined && current.day === r.day ? current.part + 1 : 0;
      if (current !== undefined) await finish(current);
      const opened = await open(r.day, part);
      current = { day: r.day, part, inPart: 0, path: opened.path, writer: opened.writer };
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

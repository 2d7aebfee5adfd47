/**
 * `hdp simulate data`: rows for every enabled table of an environment (or one source/table),
 * written where the pipelines read them: `<source>/<table>/dt=YYYY-MM-DD/part-NNNNN.<ext>`.
 * Sources delivering HL7, VCF or FASTQ get raw files in that format instead.
 */
import { effectiveEstate, type Estate, type Source, type Table } from "@hdp/config";
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
  readonly format: DataFormat;
  /** First partition date (default 2025-01-06). */
  readonly start?: string;
  /** Share of bad rows (default 0.01). */
  readonly badShare?: number;
  /** Rows per part file (default 100,000). */
  readonly partRows?: number;
  /** Called after each table with running totals (for a progress bar). */
  readonly onProgress?: (done: number, total: number, label: string) => void;
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
const rawFormatOf = (s: Source): RawFormat | undefined =>
  s.connection.kind === "file-drop" && RAW.has(s.connection.format)
    ? (s.connection.format as RawFormat)
    : undefined;

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
  const parquet = o.format === "parquet" ? await loadParquet() : undefined;
  const partRows = o.partRows ?? 100_000;
  const out: TableStats[] = [];
  let total = 0;
  for (const [n, t] of tables.entries()) {
    const source = sources.get(t.source)!;
    const raw = rawFormatOf(source);
    const hospitals =
      source.hospitals.length > 0 ? source.hospitals : o.estate.platform.hospitals.map((h) => h.id);
    const cdc = t.load.mode === "cdc";
    const ext = raw !== undefined ? RAW_EXTENSIONS[raw] : EXTENSIONS[o.format];
    const open = async (
      day: string,
      part: number,
    ): Promise<{ path: string; writer: RowWriter }> => {
      const path = `${t.source}/${t.id}/dt=${day}/part-${String(part).padStart(5, "0")}.${ext}`;
      const sink = await target.open(path);
      const writer =
        raw !== undefined
          ? rawWriter(raw, sink, t.columns)
          : o.format === "csv"
            ? csvWriter(sink, t.columns, cdc)
            : o.format === "ndjson"
              ? ndjsonWriter(sink, t.columns, cdc)
              : parquetWriter(sink, t.columns, cdc, parquet!);
      return { path, writer };
    };
    const stats = await writeTable(t, o, pools, hospitals, partRows, open);
    out.push({
      ...stats,
      source: t.source,
      table: t.id,
      format: raw ?? o.format,
      keys: keyColumns(t),
    });
    total += stats.rows;
    o.onProgress?.(n + 1, tables.length, t.key);
  }
  return { tables: out, rows: total };
}

async function writeTable(
  t: Table,
  o: DataOptions,
  pools: Pools,
  hospitals: readonly string[],
  partRows: number,
  open: (day: string, part: number) => Promise<{ path: string; writer: RowWriter }>,
): Promise<Omit<TableStats, "source" | "table" | "format" | "keys">> {
  const files: string[] = [];
  const ops = { I: 0, U: 0, D: 0 };
  const bad: Record<BadKind, number> = { "null-key": 0, "wrong-type": 0, overflow: 0 };
  let rows = 0;
  let current: { day: string; part: number; inPart: number; writer: RowWriter } | undefined;
  const rowsIter = tableRows(t.source, t, {
    rows: o.rows,
    days: o.days,
    start: o.start ?? "2025-01-06",
    seed: o.seed,
    badShare: o.badShare ?? 0.01,
    hospitals,
    pools,
  });
  for (const r of rowsIter) {
    if (current === undefined || current.day !== r.day || current.inPart >= partRows) {
      const part = current !== undefined && current.day === r.day ? current.part + 1 : 0;
      if (current !== undefined) await current.writer.close();
      const opened = await open(r.day, part);
      files.push(opened.path);
      current = { day: r.day, part, inPart: 0, writer: opened.writer };
    }
    const wait = current.writer.write(r.values, r.op);
    if (wait !== undefined) await wait;
    current.inPart++;
    rows++;
    ops[r.op]++;
    if (r.bad !== undefined) bad[r.bad]++;
  }
  if (current !== undefined) await current.writer.close();
  return { files, rows, ops, bad };
}

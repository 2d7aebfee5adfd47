/**
 * Landing file formats, in two steps so that blocks of rows can be encoded on other threads:
 * a `BlockEncoder` turns one block's rows into bytes (csv or ndjson lines; for parquet, a row
 * group and its metadata), and a `PartWriter` appends encoded blocks to a part file in order
 * (the csv header first; parquet's magic first and its footer last). Values in landing files are
 * as a source would deliver them: decimals, dates and timestamps as text (exact; the pipelines
 * cast them), integers, doubles and booleans typed.
 */
import type { Column } from "@hdp/config";
import type * as HyparquetWriter from "hyparquet-writer" with { "resolution-mode": "import" };
import type { Value } from "./values";

export type DataFormat = "csv" | "ndjson" | "parquet";

/** Where bytes go: a local file or an S3 object. */
export interface Sink {
  write(chunk: string | Uint8Array): Promise<void> | void;
  close(): Promise<void>;
}

/** Takes rows one at a time (the raw formats' writers). */
export interface RowWriter {
  write(values: readonly Value[]): Promise<void> | undefined;
  /** The files written, when not just the one the writer was opened for. */
  readonly written?: () => readonly string[];
  close(): Promise<void>;
}

export const EXTENSIONS: Readonly<Record<DataFormat, string>> = {
  csv: "csv",
  ndjson: "json",
  parquet: "parquet",
};

function csvField(v: Value): string {
  if (v === null) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) || s === "" ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A value as JSON: strings that need no escaping without JSON.stringify (same text). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
function jsonOf(v: Value): string {
  if (typeof v === "string") return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  return JSON.stringify(v);
}

const CHUNK = 1 << 18;
const BATCH = 1 << 14;

/**
 * UTF-8 text as a list of ~256 KiB chunks of their own (so they can move to another thread
 * without a copy): lines are joined into strings of ~16 KiB and each encoded straight into the
 * chunk, so neither a large string nor a growing buffer is ever copied.
 */
class TextChunks {
  private readonly chunks: Uint8Array[] = [];
  private chunk = Buffer.allocUnsafeSlow(CHUNK);
  private used = 0;
  private pending = "";
  add(s: string): void {
    this.pending += s;
    if (this.pending.length >= BATCH) this.encode();
  }
  private encode(): void {
    const s = this.pending;
    this.pending = "";
    // A UTF-16 code unit is at most 3 UTF-8 bytes.
    if (this.used + s.length * 3 > this.chunk.length) {
      this.seal();
      if (s.length * 3 > CHUNK) {
        this.chunks.push(Buffer.from(s, "utf8"));
        return;
      }
    }
    this.used += this.chunk.write(s, this.used, "utf8");
  }
  private seal(): void {
    if (this.used > 0) this.chunks.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafeSlow(CHUNK);
    this.used = 0;
  }
  finish(): Uint8Array[] {
    if (this.pending !== "") this.encode();
    this.seal();
    return this.chunks;
  }
}

type ParquetModule = typeof HyparquetWriter;
type RowGroup = InstanceType<ParquetModule["ParquetWriter"]>["row_groups"][number];

/** One block's rows, encoded. */
export interface EncodedBlock {
  readonly rows: number;
  /** The bytes, in order; parquet: one row group, its offsets counted from byte 4 (after the magic). */
  readonly bytes: readonly Uint8Array[];
  readonly rowGroup?: RowGroup;
}

/** Encodes the rows of one block. */
export interface BlockEncoder {
  row(values: readonly Value[]): void;
  finish(): EncodedBlock;
}

export const csvHeader = (columns: readonly Column[]): string =>
  `${columns.map((c) => c.name).join(",")}\n`;

export function csvEncoder(columns: readonly Column[]): BlockEncoder {
  const out = new TextChunks();
  let rows = 0;
  const n = columns.length;
  return {
    row(values) {
      let line = csvField(values[0]);
      for (let i = 1; i < n; i++) line += `,${csvField(values[i])}`;
      out.add(`${line}\n`);
      rows++;
    },
    finish: () => ({ rows, bytes: out.finish() }),
  };
}

export function ndjsonEncoder(columns: readonly Column[]): BlockEncoder {
  const out = new TextChunks();
  let rows = 0;
  // `{"name":` for the first column, `,"name":` for the others.
  const keys = columns.map((c, i) => `${i > 0 ? "," : "{"}${JSON.stringify(c.name)}:`);
  const n = keys.length;
  return {
    row(values) {
      let line = "";
      for (let i = 0; i < n; i++) line += keys[i] + jsonOf(values[i]);
      out.add(`${line}}\n`);
      rows++;
    },
    finish: () => ({ rows, bytes: out.finish() }),
  };
}

let parquetLib: Promise<ParquetModule> | undefined;
/** hyparquet-writer is an ES module: loaded once, on first use. */
export const loadParquet = (): Promise<ParquetModule> =>
  (parquetLib ??= import("hyparquet-writer"));

type ParquetType = "STRING" | "INT64" | "DOUBLE" | "BOOLEAN";

/**
 * Whether a column lands as text in a Parquet file: strings, and the types kept as their text
 * (decimal, date, timestamp), as an extract that writes them as strings would; silver casts
 * them and quarantines what does not cast. Integers, floats and booleans land typed.
 */
export const landsAsParquetText = (c: Pick<Column, "type">): boolean =>
  parquetType(c.type) === "STRING";

function parquetType(type: string): ParquetType {
  if (/^(int|bigint|smallint|tinyint)$/.test(type)) return "INT64";
  if (/^(float|double)$/.test(type)) return "DOUBLE";
  if (type === "boolean") return "BOOLEAN";
  return "STRING";
}

const PHYSICAL: Readonly<Record<ParquetType, Record<string, string>>> = {
  STRING: { type: "BYTE_ARRAY", converted_type: "UTF8" },
  INT64: { type: "INT64" },
  DOUBLE: { type: "DOUBLE" },
  BOOLEAN: { type: "BOOLEAN" },
};

type Schema = ConstructorParameters<ParquetModule["ParquetWriter"]>[0]["schema"];
const parquetSchema = (columns: readonly Column[]): Schema =>
  [
    { name: "root", num_children: columns.length },
    ...columns.map((c) => ({
      name: c.name,
      repetition_type: "OPTIONAL",
      ...PHYSICAL[parquetType(c.type)],
    })),
  ] as Schema;

/**
 * True when a sample of a text column is mostly distinct values: a dictionary would not pay
 * (hyparquet-writer's own sample would reject it too), so the column is written PLAIN.
 */
function mostlyDistinct(values: readonly (string | null)[]): boolean {
  const n = Math.min(values.length, 1000);
  if (n === 0) return false;
  const seen = new Set<string | null>();
  for (let i = 0; i < n; i++) seen.add(values[Math.floor((i * values.length) / n)]);
  return seen.size > n * 0.9;
}

/**
 * A text column as UTF-8 bytes per value, encoded in one call for the whole column (which
 * hyparquet-writer takes as they are; it would otherwise run a TextEncoder per value).
 */
export function utf8Values(values: readonly (string | null)[]): (Uint8Array | null)[] {
  let joined = "";
  for (const v of values) if (v !== null) joined += v;
  const all = Buffer.from(joined, "utf8");
  if (all.length !== joined.length)
    // Not all ASCII: byte offsets differ from string offsets, so value by value.
    return values.map((v) => (v === null ? null : Buffer.from(v, "utf8")));
  const out = new Array<Uint8Array | null>(values.length);
  let at = all.byteOffset;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) out[i] = null;
    else {
      out[i] = new Uint8Array(all.buffer, at, v.length);
      at += v.length;
    }
  }
  return out;
}

/**
 * A block as one parquet row group, through hyparquet-writer's `ParquetWriter` on a buffer of
 * its own: the row group's bytes and metadata, to be placed in the part file by `partWriter`.
 */
export function parquetEncoder(columns: readonly Column[], lib: ParquetModule): BlockEncoder {
  const types: ParquetType[] = columns.map((c) => parquetType(c.type));
  const data: unknown[][] = columns.map(() => []);
  let rows = 0;
  return {
    row(values) {
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        const t = types[i];
        // Wrong-typed bad values only go to text columns (`landsAsParquetText`): a typed column
        // given anything but its type is a bug here, never silently a null.
        if (v === null) data[i].push(null);
        else if (t === "STRING")
          data[i].push(typeof v === "object" ? JSON.stringify(v) : String(v));
        else if (t === "INT64" && typeof v === "number") data[i].push(BigInt(Math.trunc(v)));
        else if (t === "DOUBLE" && typeof v === "number") data[i].push(v);
        else if (t === "BOOLEAN" && typeof v === "boolean") data[i].push(v);
        else {
          throw new Error(
            `parquet: column ${columns[i].name} (${columns[i].type}) is ${t}, given ${JSON.stringify(v)}`,
          );
        }
      }
      rows++;
    },
    finish() {
      const bytes = new lib.ByteWriter(1 << 20);
      const writer = new lib.ParquetWriter({
        writer: bytes,
        schema: parquetSchema(columns),
        statistics: false,
      });
      // No flush on a ByteWriter: the write is synchronous.
      void writer.write({
        columnData: columns.map((c, i) =>
          types[i] === "STRING" && mostlyDistinct(data[i] as (string | null)[])
            ? {
                name: c.name,
                data: utf8Values(data[i] as (string | null)[]),
                encoding: "PLAIN" as const,
                offsetIndex: false,
              }
            : { name: c.name, data: data[i], offsetIndex: false },
        ),
        rowGroupSize: Math.max(1, rows),
      });
      const rowGroup = writer.row_groups[0];
      return { rows, bytes: [new Uint8Array(bytes.getBuffer(), 4)], rowGroup };
    },
  };
}

export function blockEncoder(
  format: DataFormat,
  columns: readonly Column[],
  lib: ParquetModule | undefined,
): BlockEncoder {
  if (format === "csv") return csvEncoder(columns);
  if (format === "ndjson") return ndjsonEncoder(columns);
  if (lib === undefined) throw new Error("parquet: hyparquet-writer not loaded");
  return parquetEncoder(columns, lib);
}

/** A part file of a row format, written block by block, in order. */
export interface PartWriter {
  write(block: EncodedBlock): Promise<void>;
  close(): Promise<void>;
}

const PAR1 = new Uint8Array([0x50, 0x41, 0x52, 0x31]);

/** Moves a row group's file offsets by `shift` bytes (it was encoded at byte 4 of its own file). */
function shiftRowGroup(g: RowGroup, shift: bigint): RowGroup {
  const at = (o: bigint | undefined): bigint | undefined => (o === undefined ? o : o + shift);
  return {
    ...g,
    columns: g.columns.map((c) => ({
      ...c,
      file_offset: c.file_offset + shift,
      offset_index_offset: at(c.offset_index_offset),
      column_index_offset: at(c.column_index_offset),
      meta_data:
        c.meta_data === undefined
          ? undefined
          : {
              ...c.meta_data,
              data_page_offset: c.meta_data.data_page_offset + shift,
              dictionary_page_offset: at(c.meta_data.dictionary_page_offset),
              index_page_offset: at(c.meta_data.index_page_offset),
              bloom_filter_offset: at(c.meta_data.bloom_filter_offset),
            },
    })),
  };
}

export function partWriter(
  format: DataFormat,
  sink: Sink,
  columns: readonly Column[],
  lib: ParquetModule | undefined,
): PartWriter {
  if (format !== "parquet") {
    let started = false;
    const start = async (): Promise<void> => {
      if (!started && format === "csv") await sink.write(csvHeader(columns));
      started = true;
    };
    return {
      async write(block) {
        await start();
        for (const b of block.bytes) await sink.write(b);
      },
      async close() {
        await start();
        await sink.close();
      },
    };
  }
  if (lib === undefined) throw new Error("parquet: hyparquet-writer not loaded");
  const groups: RowGroup[] = [];
  let offset = 0;
  const put = async (bytes: Uint8Array): Promise<void> => {
    offset += bytes.length;
    await sink.write(bytes);
  };
  return {
    async write(block) {
      if (offset === 0) await put(PAR1);
      if (block.rowGroup === undefined) throw new Error("parquet: a block without its row group");
      groups.push(shiftRowGroup(block.rowGroup, BigInt(offset - 4)));
      for (const b of block.bytes) await put(b);
    },
    async close() {
      if (offset === 0) await put(PAR1);
      // The footer: hyparquet-writer's metadata for the row groups written, after its own magic.
      const bytes = new lib.ByteWriter(1 << 16);
      const writer = new lib.ParquetWriter({
        writer: bytes,
        schema: parquetSchema(columns),
        statistics: false,
      });
      writer.row_groups.push(...groups);
      writer.num_rows = groups.reduce((n, g) => n + g.num_rows, 0n);
      await writer.finish();
      await put(new Uint8Array(bytes.getBuffer(), 4));
      await sink.close();
    },
  };
}

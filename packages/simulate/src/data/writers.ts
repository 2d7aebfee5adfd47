/**
 * Landing file formats. A writer takes rows one at a time and writes them to a sink; parquet
 * buffers one part (at most `partRows` rows) and writes it as a file when the part closes.
 * Values in landing files are as a source would deliver them: decimals, dates and timestamps
 * as text (exact; the pipelines cast them), integers, doubles and booleans typed.
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

export interface RowWriter {
  /** Returns a promise only when the caller must wait (a chunk went to the sink). */
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

const CHUNK = 1 << 18;

/**
 * Buffers small writes into ~256 KiB chunks before they reach the sink: each line is encoded
 * (UTF-8) straight into the chunk, so no large string is ever joined or copied.
 */
class Buffered {
  private chunk = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  constructor(private readonly sink: Sink) {}
  /** Returns a promise only when it hands a chunk to the sink (callers await only then). */
  add(s: string): Promise<void> | undefined {
    // A UTF-16 code unit is at most 3 UTF-8 bytes.
    if (this.used + s.length * 3 > CHUNK) {
      if (s.length * 3 > CHUNK) return this.flush().then(() => this.sink.write(s));
      const flushed = this.flush();
      this.used = this.chunk.write(s, 0, "utf8");
      return flushed;
    }
    this.used += this.chunk.write(s, this.used, "utf8");
    return undefined;
  }
  flush(): Promise<void> {
    if (this.used === 0) return Promise.resolve();
    // The sink may hold the bytes until they are written: hand over this chunk, start another.
    const full = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
    return Promise.resolve(this.sink.write(full));
  }
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

export function csvWriter(sink: Sink, columns: readonly Column[]): RowWriter {
  const out = new Buffered(sink);
  const header = columns.map((c) => c.name).join(",");
  let started = false;
  return {
    write(values) {
      const fields = values.map(csvField);
      const line = `${fields.join(",")}\n`;
      if (!started) {
        started = true;
        return out.add(`${header}\n${line}`);
      }
      return out.add(line);
    },
    async close() {
      if (!started) await out.add(`${header}\n`);
      await out.flush();
      await sink.close();
    },
  };
}

export function ndjsonWriter(sink: Sink, columns: readonly Column[]): RowWriter {
  const out = new Buffered(sink);
  // `"name":` for the first column, `,"name":` for the others.
  const keys = columns.map((c, i) => `${i > 0 ? "," : ""}${JSON.stringify(c.name)}:`);
  return {
    write(values) {
      let line = `{${keys[0]}${jsonOf(values[0])}`;
      for (let i = 1; i < values.length; i++) line += `${keys[i]}${jsonOf(values[i])}`;
      return out.add(`${line}}\n`);
    },
    async close() {
      await out.flush();
      await sink.close();
    },
  };
}

type ParquetModule = typeof HyparquetWriter;
let parquetLib: Promise<ParquetModule> | undefined;
/** hyparquet-writer is an ES module: loaded once, on first use. */
export const loadParquet = (): Promise<ParquetModule> =>
  (parquetLib ??= import("hyparquet-writer"));

type ParquetType = "STRING" | "INT64" | "DOUBLE" | "BOOLEAN";
function parquetType(type: string): ParquetType {
  if (/^(int|bigint|smallint|tinyint)$/.test(type)) return "INT64";
  if (/^(float|double)$/.test(type)) return "DOUBLE";
  if (type === "boolean") return "BOOLEAN";
  return "STRING";
}

/** Rows per parquet row group: what a part holds in memory at most. */
export const PARQUET_ROW_GROUP = 10_000;

const PHYSICAL: Readonly<Record<ParquetType, Record<string, string>>> = {
  STRING: { type: "BYTE_ARRAY", converted_type: "UTF8" },
  INT64: { type: "INT64" },
  DOUBLE: { type: "DOUBLE" },
  BOOLEAN: { type: "BOOLEAN" },
};

/**
 * Parquet through hyparquet-writer's incremental `ParquetWriter`: rows are buffered one row
 * group at a time, encoded, and the bytes handed to the sink, so memory stays flat however
 * large the part.
 */
export function parquetWriter(
  sink: Sink,
  columns: readonly Column[],
  lib: ParquetModule,
): RowWriter {
  const names = columns.map((c) => c.name);
  const types: ParquetType[] = columns.map((c) => parquetType(c.type));
  const bytes = new lib.ByteWriter(1 << 20);
  const drain = (): Promise<void> => {
    const chunk = bytes.getBytes().slice();
    bytes.index = 0;
    return Promise.resolve(sink.write(chunk));
  };
  // Writer.flush is optional in hyparquet-writer's types and absent from ByteWriter's.
  // The writer awaits what flush() and finish() return (hyparquet-writer's Writer interface).
  Object.assign(bytes, { flush: drain, finish: drain });
  const schema = [
    { name: "root", num_children: names.length },
    ...names.map((name, i) => ({ name, repetition_type: "OPTIONAL", ...PHYSICAL[types[i]] })),
  ];
  type Options = ConstructorParameters<ParquetModule["ParquetWriter"]>[0];
  const writer = new lib.ParquetWriter({
    writer: bytes,
    schema: schema as Options["schema"],
    statistics: false,
  });
  let data: unknown[][] = names.map(() => []);
  let buffered = 0;
  const flushGroup = async (): Promise<void> => {
    const columnData = names.map((name, i) => ({ name, data: data[i] }));
    data = names.map(() => []);
    buffered = 0;
    await writer.write({
      columnData,
      rowGroupSize: PARQUET_ROW_GROUP,
    });
  };
  return {
    write(values) {
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        const t = types[i];
        // A wrong-typed value (a bad row) in a typed column is written as null: parquet columns
        // cannot hold it. Text columns keep it as text.
        if (v === null) data[i].push(null);
        else if (t === "INT64") data[i].push(typeof v === "number" ? BigInt(Math.trunc(v)) : null);
        else if (t === "DOUBLE") data[i].push(typeof v === "number" ? v : null);
        else if (t === "BOOLEAN") data[i].push(typeof v === "boolean" ? v : null);
        else data[i].push(typeof v === "object" ? JSON.stringify(v) : String(v));
      }
      buffered++;
      return buffered >= PARQUET_ROW_GROUP ? flushGroup() : undefined;
    },
    async close() {
      if (buffered > 0) await flushGroup();
      await writer.finish();
      await sink.close();
    },
  };
}

/**
 * The format of the files landed for a table: what the ingest code's bronze step reads. One
 * function, used by `hdp validate` (so a table without one is a config error with its line) and
 * by the platform's table specs.
 */
import { DROP_FILE_FORMATS, type Connection, type TableConfig } from "./schema";

/** Formats bronze reads directly, and raw vendor formats a parse step turns into rows. */
export const INGEST_FORMATS = [
  "csv",
  "ndjson",
  "parquet",
  "hl7",
  "vcf",
  "fastq",
  ...DROP_FILE_FORMATS,
] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

const FILE_DROP: Readonly<Record<string, IngestFormat | undefined>> = {
  csv: "csv",
  json: "ndjson",
  parquet: "parquet",
  hl7: "hl7",
  vcf: "vcf",
  fastq: "fastq",
};

const EXTENSIONS: Readonly<Record<string, IngestFormat | undefined>> = {
  csv: "csv",
  json: "ndjson",
  ndjson: "ndjson",
  jsonl: "ndjson",
  parquet: "parquet",
};

/**
 * The table's own `landingFormat`, else what its source's connection says: a file drop's format,
 * an SFTP file pattern's extension; database extracts land parquet, APIs and streams ndjson.
 * `{ problem }` when nothing says it.
 */
export function landingFormatOf(
  connection: Connection,
  table: Pick<TableConfig, "landingFormat">,
): { format: IngestFormat } | { problem: string } {
  if (table.landingFormat !== undefined) return { format: table.landingFormat };
  switch (connection.kind) {
    case "database":
      return { format: "parquet" };
    case "api":
    case "stream":
      return { format: "ndjson" };
    case "file-drop": {
      const format = FILE_DROP[connection.format];
      return format
        ? { format }
        : {
            problem: `the source's format "${connection.format}" has no reader in the ingest code`,
          };
    }
    case "sftp": {
      const ext = /\.([A-Za-z0-9]+)(?:\.gz)?$/.exec(connection.filePattern)?.[1]?.toLowerCase();
      const format = ext === undefined ? undefined : EXTENSIONS[ext];
      return format
        ? { format }
        : {
            problem: `the source's filePattern "${connection.filePattern}" does not say csv, json or parquet`,
          };
    }
  }
}

/** `configs/sources/<source>/tables/<table>.yaml`: one table of a source. */
import { z } from "zod";
import { classification, layer, retention, schedule, snakeId, tags } from "./common";

const SIMPLE_TYPES =
  "string|int|bigint|smallint|tinyint|boolean|float|double|date|timestamp|timestamp_ntz|binary";
const COLUMN_TYPE = new RegExp(
  `^(${SIMPLE_TYPES}|decimal\\(\\d+,\\d+\\)|array<(${SIMPLE_TYPES})>)$`,
);
const DECIMAL = /^decimal\((\d+),(\d+)\)$/;

/** Why a `decimal(p,s)` is out of Spark's bounds: 1 ≤ precision ≤ 38, 0 ≤ scale ≤ precision. */
export function decimalProblem(type: string): string | undefined {
  const m = DECIMAL.exec(type);
  if (m === null) return undefined;
  const p = Number(m[1]);
  const s = Number(m[2]);
  if (p < 1 || p > 38) return `decimal precision ${p} must be 1–38 (Spark's DecimalType)`;
  if (s > p) return `decimal scale ${s} must be at most the precision ${p}`;
  return undefined;
}

export const columnType = z
  .string()
  .regex(COLUMN_TYPE, {
    message: `must be a Spark SQL type: ${SIMPLE_TYPES.replaceAll("|", ", ")}, decimal(p,s) or array<type>`,
  })
  .superRefine((t, ctx) => {
    const problem = decimalProblem(t);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

export const column = z.strictObject({
  name: snakeId,
  type: columnType,
  nullable: z.boolean().default(true),
  classification: classification.default("internal"),
  description: z.string().optional(),
});
export type ColumnConfig = z.infer<typeof column>;

/** How the table is loaded; `mode` selects the shape. */
export const load = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("full") }),
  z.strictObject({
    mode: z.literal("incremental"),
    /** Column whose high-water mark selects new rows (and orders rows of the same key). */
    watermark: snakeId,
    /** Minutes re-read behind the watermark to catch late rows. */
    lookbackMinutes: z.int().min(0).max(10080).default(0),
    /**
     * Key columns silver merges new rows on (the latest by `watermark` wins). Without keys,
     * each landing day's rows replace that day's rows in silver.
     */
    keys: z.array(snakeId).min(1).optional(),
  }),
  z.strictObject({
    mode: z.literal("cdc"),
    /** Primary-key columns the change feed is merged on. */
    keys: z.array(snakeId).min(1),
    /** Column ordering changes to the same key (else the order of arrival). */
    sequenceBy: snakeId.optional(),
    /** How the feed marks a delete: rows whose `column` holds one of `values` remove the key. */
    deletes: z
      .strictObject({ column: snakeId, values: z.array(z.string().min(1)).min(1) })
      .optional(),
  }),
]);

/** Aggregate functions a gold step may use. */
export const GOLD_FUNCTIONS = ["count", "sum", "min", "max", "avg", "count_distinct"] as const;

/** The gold step: without it a table reaching gold is passed through from silver. */
export const gold = z.strictObject({
  /** Columns the aggregates are grouped by (none: one row over the whole table). */
  groupBy: z.array(snakeId).default([]),
  measures: z
    .array(
      z.strictObject({
        /** Output column name. */
        name: snakeId,
        function: z.enum(GOLD_FUNCTIONS),
        /** Input column; `count` without one counts rows. */
        column: snakeId.optional(),
      }),
    )
    .min(1),
});
export type GoldConfig = z.infer<typeof gold>;

/** Formats landed files can have that bronze reads directly. */
export const LANDING_FORMATS = ["csv", "ndjson", "parquet"] as const;

/**
 * Raw files that arrive in a file drop beside its main format's files, each with a reader in the
 * ingest code (`deliveredBy` in its `raw_tables.json`): an Illumina run folder's RunInfo.xml and
 * RunParameters.xml and BCL Convert's Quality_Metrics.csv beside the FASTQ, DRAGEN's QC
 * metrics CSVs and PharmCAT's phenotype.json beside the VCF.
 */
export const DROP_FILE_FORMATS = [
  "illumina-run-xml",
  "bclconvert-quality-csv",
  "dragen-metrics-csv",
  "pharmcat-json",
] as const;
export type LoadConfig = z.infer<typeof load>;

/** Per-environment changes to a table. */
export const tableOverlay = z.strictObject({
  enabled: z.boolean().optional(),
  schedule: schedule.optional(),
  retention: z
    .strictObject({
      landingDays: z.int().min(1).max(3650).optional(),
      days: z.int().min(0).max(36500).optional(),
    })
    .optional(),
});

export const table = z.strictObject({
  $schema: z.string().optional(),
  id: snakeId,
  description: z.string().min(1),
  /** The most sensitive column decides the floor: a table is at least as sensitive as its columns. */
  classification,
  columns: z.array(column).min(1),
  load,
  /** Lake layers the table flows through, in order from landing. */
  layers: z.array(layer).min(1).default(["landing", "bronze", "silver"]),
  retention: retention.default({ landingDays: 30, days: 0 }),
  /** Runs the table in a pipeline of its own on this schedule. */
  schedule: schedule.optional(),
  partitionBy: z.array(snakeId).default([]),
  /**
   * Format of the files landed for this table, when the source's connection does not say it
   * (file drops and `.csv`/`.json`/`.parquet` file patterns do; database extracts land parquet,
   * APIs and streams ndjson), or the reader of other files of the source's drop than its main
   * format's (`illumina-run-xml`, `bclconvert-quality-csv` in a FASTQ drop; `dragen-metrics-csv`,
   * `pharmcat-json` in a VCF drop; they need `filePattern`).
   */
  landingFormat: z.enum([...LANDING_FORMATS, ...DROP_FILE_FORMATS]).optional(),
  /**
   * Where this table's files are in the source's drop, when they are not the connection's
   * `filePattern` (a glob from the drop's root, like the connection's: a run folder's
   * `RunInfo.xml`). Each matched file lands below the day's partition with its path from the
   * pattern's first `*` on (the run folder, the DRAGEN output folder), so a reader of a folder's
   * files reads them together.
   */
  filePattern: z.string().min(1).optional(),
  /** Aggregates of the gold step (only with the gold layer). */
  gold: gold.optional(),
  /** Upstream tables, as "<source>/<table>". */
  dependsOn: z.array(z.string()).default([]),
  tags: tags.default({}),
  /** Overrides per environment name (dev, stage, prod). */
  environments: z.record(z.string(), tableOverlay).default({}),
});
export type TableConfig = z.infer<typeof table>;

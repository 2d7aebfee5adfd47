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
    /** Column whose high-water mark selects new rows. */
    watermark: snakeId,
    /** Minutes re-read behind the watermark to catch late rows. */
    lookbackMinutes: z.int().min(0).max(10080).default(0),
  }),
  z.strictObject({
    mode: z.literal("cdc"),
    /** Primary-key columns the change feed is merged on. */
    keys: z.array(snakeId).min(1),
    /** Column ordering changes to the same key. */
    sequenceBy: snakeId.optional(),
  }),
]);
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
  /** Upstream tables, as "<source>/<table>". */
  dependsOn: z.array(z.string()).default([]),
  tags: tags.default({}),
  /** Overrides per environment name (dev, stage, prod). */
  environments: z.record(z.string(), tableOverlay).default({}),
});
export type TableConfig = z.infer<typeof table>;

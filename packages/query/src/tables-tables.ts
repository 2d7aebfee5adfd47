/** `tables`, `columns` (sources/<s>/tables/<t>.yaml) and `effective_tables`. */
import type { Column, EffectiveTable, Origin, Table } from "@hdp/config";
import { defineTable, derived, field, fileOf, perEnv, type SqlTable } from "./define";

type T = Table;
export const tables: SqlTable = defineTable<T>({
  name: "tables",
  description: "Tables (sources/<source>/tables/<table>.yaml), base values before overlays",
  key: ["key"],
  indexes: [["source"]],
  entities: (v) => v.estate.tables,
  origin: (t) => t.origin,
  locate: (row) => ({ file: fileOf(row), path: [] }),
  delete: "file",
  columns: [
    field<T>("key", "text", "key", "`<source>/<table>`, unique across the estate", false),
    field<T>("source", "text", "source", "Source id (sources.id)", false),
    field<T>("id", "text", "id", "Table id: the Unity Catalog table name", false),
    derived<T>("domain", "text", "Data domain of its source", (t, v) => v.domainOf(t.source)),
    field<T>("description", "text", "description", "What the table holds"),
    field<T>("classification", "text", "classification", "public … phi; at least its columns'"),
    field<T>("load_mode", "text", "load.mode", "full, incremental or cdc"),
    field<T>("load_keys", "json", "load.keys", "cdc: primary-key columns merged on"),
    field<T>("load_sequence_by", "text", "load.sequenceBy", "cdc: column ordering changes"),
    field<T>("load_watermark", "text", "load.watermark", "incremental: high-water-mark column"),
    field<T>("load_lookback_minutes", "integer", "load.lookbackMinutes", "incremental: re-read"),
    field<T>("layers", "json", "layers", "Lake layers, e.g. [landing, bronze, silver]"),
    field<T>("retention_landing_days", "integer", "retention.landingDays", "Days in landing"),
    field<T>("retention_days", "integer", "retention.days", "Days in bronze+ (0 = forever)"),
    field<T>("schedule_cron", "text", "schedule.cron", "Own schedule (a DAG of its own)", {
      nullPath: ["schedule"],
    }),
    field<T>("schedule_timezone", "text", "schedule.timezone", "Time zone of its own schedule"),
    derived<T>("pipeline", "text", "Key of the pipeline (DAG) it runs in", (t, v) =>
      v.pipelineOf(t.key),
    ),
    field<T>("partition_by", "json", "partitionBy", "Partition columns"),
    field<T>("depends_on", "json", "dependsOn", "Upstream tables, as <source>/<table>"),
    field<T>("tags", "json", "tags", "Extra resource tags"),
    field<T>(
      "environments",
      "json",
      "environments",
      "Raw overrides per environment (write through effective_tables)",
      false,
    ),
    derived<T>("column_count", "integer", "Number of columns", (t) => t.columns.length),
  ],
});

/** A column with the table it belongs to (a view, not a copy: there are millions at size). */
class C {
  constructor(
    private readonly c: Column,
    readonly table: Table,
    readonly position: number,
  ) {}
  get name(): string {
    return this.c.name;
  }
  get type(): string {
    return this.c.type;
  }
  get nullable(): boolean {
    return this.c.nullable;
  }
  get classification(): string {
    return this.c.classification;
  }
  get description(): string | undefined {
    return this.c.description;
  }
  get origin(): Origin {
    return this.c.origin;
  }
}

function* columnsOf(tables: readonly Table[]): Generator<C> {
  for (const t of tables) {
    let position = 0;
    for (const c of t.columns) yield new C(c, t, ++position);
  }
}

const isKey = (c: C): boolean => c.table.load.mode === "cdc" && c.table.load.keys.includes(c.name);

export const columns: SqlTable = defineTable<C>({
  name: "columns",
  description: "Columns of every table (the table file's `columns` list)",
  key: ["table_key", "name"],
  indexes: [["name"]],
  entities: (v) => columnsOf(v.estate.tables),
  origin: (c) => c.origin,
  locate: (row) => ({
    file: fileOf(row),
    path: ["columns", { key: "name", value: String(row.name) }],
  }),
  delete: "entry",
  columns: [
    derived<C>("table_key", "text", "tables.key of its table", (c) => c.table.key),
    derived<C>("source", "text", "Source id", (c) => c.table.source),
    derived<C>("table_id", "text", "Table id (tables.id)", (c) => c.table.id),
    field<C>("name", "text", "name", "Column name", false),
    field<C>("position", "integer", "position", "1-based position in the table", false),
    field<C>("type", "text", "type", "Spark SQL type, e.g. string, decimal(18,2)"),
    field<C>("nullable", "boolean", "nullable", "1 when NULLs are allowed"),
    field<C>(
      "classification",
      "text",
      "classification",
      "public, internal, confidential, pii, phi",
    ),
    field<C>("description", "text", "description", "What the column holds"),
    derived<C>("is_key", "boolean", "1 when a cdc merge key of its table", isKey),
    derived<C>("is_partition", "boolean", "1 when a partition column", (c) =>
      c.table.partitionBy.includes(c.name),
    ),
  ],
});

type ET = EffectiveTable;
export const effectiveTables: SqlTable = defineTable<ET>({
  name: "effective_tables",
  description: "Tables as each environment sees them (overlays applied); one row per env",
  key: ["env", "key"],
  indexes: [["key"], ["source"]],
  entities: (v) => perEnv(v, (env) => v.effective(env).tables),
  origin: (t) => t.origin,
  locate: (row) => ({ file: fileOf(row), path: ["environments", String(row.env)] }),
  columns: [
    field<ET>("env", "text", "env", "Environment name", false),
    field<ET>("key", "text", "key", "`<source>/<table>`", false),
    field<ET>("source", "text", "source", "Source id", false),
    field<ET>("id", "text", "id", "Table id", false),
    derived<ET>("domain", "text", "Data domain of its source", (t, v) => v.domainOf(t.source)),
    field<ET>("classification", "text", "classification", "Classification", false),
    field<ET>("enabled", "boolean", "enabled", "1 when deployed in env (and its source is)", {
      enabledOverride: true,
    }),
    field<ET>("load_mode", "text", "load.mode", "full, incremental or cdc", false),
    field<ET>("layers", "json", "layers", "Lake layers", false),
    field<ET>("retention_landing_days", "integer", "retention.landingDays", "Days in landing, env"),
    field<ET>(
      "retention_days",
      "integer",
      "retention.days",
      "Days in bronze+ in env (0 = forever)",
    ),
    field<ET>("schedule_cron", "text", "schedule.cron", "Own schedule in env, if any", {
      nullPath: ["schedule"],
    }),
    field<ET>("schedule_timezone", "text", "schedule.timezone", "Time zone of that schedule"),
    derived<ET>("pipeline", "text", "Key of its pipeline (DAG)", (t, v) => v.pipelineOf(t.key)),
  ],
});

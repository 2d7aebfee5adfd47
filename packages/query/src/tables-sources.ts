/** `sources`, `effective_sources` (sources/<s>/source.yaml), `pipelines`, `effective_pipelines`. */
import type { EffectivePipeline, EffectiveSource, Pipeline, Source } from "@hdp/config";
import {
  defineTable,
  derived,
  field,
  fileOf,
  perEnv,
  type ColumnDef,
  type RowObject,
  type SqlTable,
} from "./define";

/** An environment's overlay of the entry at the root of `row.file`. */
const overlay = (row: RowObject) => ({
  file: fileOf(row),
  path: ["environments", String(row.env)],
});

type S = Source;
export const sources: SqlTable = defineTable<S>({
  name: "sources",
  description: "Source systems (sources/<source>/source.yaml), base values before overlays",
  key: ["id"],
  entities: (v) => v.estate.sources,
  origin: (s) => s.origin,
  locate: (row) => ({ file: fileOf(row), path: [] }),
  columns: [
    field<S>("id", "text", "id", "Source id (kebab-case); tables.source refers to it", false),
    field<S>("name", "text", "name", "Display name"),
    field<S>("description", "text", "description", "What the source is"),
    field<S>("domain", "text", "domain", "Data domain (domains.id)"),
    field<S>("hospitals", "json", "hospitals", 'Hospital ids served ("all" resolved)', false),
    field<S>("owner_team", "text", "owner.team", "Owning team (the owner tag)"),
    field<S>("owner_email", "text", "owner.email", "Owning team's email"),
    field<S>("classification", "text", "classification", "Most sensitive data it delivers"),
    field<S>(
      "connection_kind",
      "text",
      "connection.kind",
      "database, sftp, api, stream, file-drop",
      false,
    ),
    field<S>("connection", "json", "connection", "The whole connection block", false),
    field<S>("secret_name", "text", "connection.secretName", "Secrets Manager secret NAME"),
    field<S>("schedule_cron", "text", "schedule.cron", "Default cron of its pipelines"),
    field<S>("schedule_timezone", "text", "schedule.timezone", "Time zone of the cron"),
    field<S>("tags", "json", "tags", "Extra resource tags"),
    field<S>(
      "environments",
      "json",
      "environments",
      "Raw overrides per environment (write through effective_sources)",
      false,
    ),
  ],
});

type ES = EffectiveSource;
export const effectiveSources: SqlTable = defineTable<ES>({
  name: "effective_sources",
  description: "Sources as each environment sees them (overlays applied); one row per env",
  key: ["env", "id"],
  indexes: [["id"]],
  entities: (v) => perEnv(v, (env) => v.effectiveSources(env)),
  origin: (s) => s.origin,
  locate: overlay,
  columns: [
    field<ES>("env", "text", "env", "Environment name", false),
    field<ES>("id", "text", "id", "Source id", false),
    field<ES>("name", "text", "name", "Display name", false),
    field<ES>("domain", "text", "domain", "Data domain", false),
    field<ES>("classification", "text", "classification", "Most sensitive data it delivers", false),
    field<ES>("enabled", "boolean", "enabled", "1 when deployed in env", { enabledOverride: true }),
    field<ES>("schedule_cron", "text", "schedule.cron", "Cron in env", { nullPath: ["schedule"] }),
    field<ES>("schedule_timezone", "text", "schedule.timezone", "Time zone in env"),
    field<ES>("secret_name", "text", "secretName", "Secret NAME used in env"),
    field<ES>("connection_kind", "text", "connection.kind", "Connection kind", false),
  ],
});

const pipelineColumns = <P extends Pipeline>(write: boolean): ColumnDef<P>[] => [
  field<P>("key", "text", "key", "`<source>/<pipeline>`, unique", false),
  field<P>("source", "text", "source", "Source id", false),
  field<P>("id", "text", "id", "Pipeline id within the source", false),
  field<P>("dag_id", "text", "dagId", "Airflow DAG id", false),
  field<P>("kind", "text", "kind", "declared (source.yaml), default (implied) or table", false),
  field<P>("description", "text", "description", "What the pipeline loads", write),
  field<P>("tables", "json", "tables", "Table ids of the source it runs", false),
  derived<P>("table_count", "integer", "Number of tables it runs", (p) => p.tables.length),
  field<P>(
    "schedule_cron",
    "text",
    "schedule.cron",
    "Cron (own, else its source's)",
    write && {
      nullPath: ["schedule"],
    },
  ),
  field<P>("schedule_timezone", "text", "schedule.timezone", "Time zone of the cron", write),
  field<P>("own_schedule", "boolean", "ownSchedule", "1 when set on the pipeline itself", false),
  field<P>("depends_on", "json", "dependsOn", "Pipeline keys that run first", false),
];

export const pipelines: SqlTable = defineTable<Pipeline>({
  name: "pipelines",
  description: "Pipelines (Airflow DAGs): declared in source.yaml, a table's own, or the default",
  key: ["key"],
  indexes: [["source"]],
  entities: (v) => v.estate.pipelines,
  origin: (p) => p.origin,
  locate: (row) =>
    row.kind === "declared"
      ? { file: fileOf(row), path: ["pipelines", { key: "id", value: String(row.id) }] }
      : `pipeline ${String(row.key)} is implied (kind ${String(row.kind)}): change its source or table instead`,
  columns: pipelineColumns<Pipeline>(true),
});

type EP = EffectivePipeline;
export const effectivePipelines: SqlTable = defineTable<EP>({
  name: "effective_pipelines",
  description: "Pipelines as each environment sees them (enabled when any table is); read-only",
  key: ["env", "key"],
  indexes: [["key"]],
  entities: (v) => perEnv(v, (env) => v.effective(env).pipelines),
  origin: (p) => p.origin,
  columns: [
    field<EP>("env", "text", "env", "Environment name", false),
    ...pipelineColumns<EP>(false),
    field<EP>("enabled", "boolean", "enabled", "1 when any of its tables is enabled", false),
  ],
});

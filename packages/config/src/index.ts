// @hdp/config: the configuration model — zod schemas, YAML loader with file:line:col,
// environment overlays, cross-reference checks and the names derived from config ids.
export * from "./errors";
export * from "./estate";
export * from "./load";
export { INGEST_FORMATS, landingFormatOf, type IngestFormat } from "./landing";
export {
  parseRawTables,
  rawParsers,
  rawReaderProblem,
  rawTableProblem,
  rawTablesDigest,
  type RawParser,
} from "./raw-tables";
export * from "./names";
export * from "./overlay";
export { perEnvironment, releaseEnvironments } from "./per-environment";
export { shareStrings } from "./share-strings";
export { decideSchedule, type ScheduleDecision, type ScheduleSetting } from "./schedule";
export { locateField } from "./locate";
export { AUDIT_RETENTION_DAYS, auditRetentionDays, environmentTier, type Tier } from "./tier";
export { CORE_SHARD, stacksNamed, type StacksNamed } from "./stacks";
export {
  CORE_RESOURCES,
  DEFAULT_RESOURCE_BUDGET,
  estimateStackResources,
  SHARD_OVERHEAD_RESOURCES,
  sourceResources,
} from "./stack-size";
export { DEFAULT_PROJECT, DEFAULT_PULUMI_ORG } from "./project";
export { tableAuditRecord, type TableAuditRecord } from "./audit-location";
export { DEFAULT_PIPELINE, DEFAULT_TASK_RETRIES, DEFAULT_TASK_TIMEOUT_MINUTES } from "./pipelines";
export * as schemas from "./schema";
export type {
  Classification as ClassificationLevel,
  ColumnConfig,
  EnvironmentConfig,
  PlatformConfig,
  SourceConfig,
  TableConfig,
} from "./schema";
export { CLASSIFICATIONS, classificationRank, DOMAIN_IDS, LAYERS } from "./schema";
export { didYouMean } from "./suggest";
/** The component refusals the loader mirrors (kept in step with the components by a test). */
export {
  AIRFLOW_VERSION,
  BROAD_GROUPS,
  LTS_RUNTIME_ALIASES,
  MAX_JOB_TASKS,
  RUNTIME_KEY,
} from "./component-checks";
export { renderJsonSchema, SCHEMA_FILES } from "./json-schema";
export {
  discoveredFiles,
  indexTree,
  PARALLEL_FROM,
  RACY_MARGIN_NS,
  startIndexTree,
  type IndexOptions,
  type PendingIndex,
  type TreeIndex,
} from "./tree-index";
export { replaceFile, writeAtomically } from "./replace-file";
export { hasTableDigests, tableDigest } from "./table-digests";

// @hdp/config: the configuration model — zod schemas, YAML loader with file:line:col,
// environment overlays, cross-reference checks and the names derived from config ids.
export * from "./errors";
export * from "./estate";
export * from "./load";
export * from "./names";
export * from "./overlay";
export { perEnvironment } from "./per-environment";
export { AUDIT_RETENTION_DAYS, auditRetentionDays, environmentTier, type Tier } from "./tier";
export { CORE_SHARD } from "./stacks";
export { tableAuditRecord, type TableAuditRecord } from "./audit-location";
export { DEFAULT_PIPELINE } from "./pipelines";
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
export { renderJsonSchema, SCHEMA_FILES } from "./json-schema";

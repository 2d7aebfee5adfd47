// @hdp/platform: config entry -> components, per environment and shard.
export { buildStack, DEFAULT_PROJECT, DEFAULT_PULUMI_ORG, type BuildOptions } from "./build-stack";
export {
  allStacks,
  coreStackName,
  stackReferenceName,
  stackRole,
  stackSpec,
  type StackRole,
  type StackSpec,
} from "./stacks";
export * from "./plan";
export * from "./names";
export * from "./tags";
export * from "./schedule";
export { CORE_EXPORT_KEYS, type CoreExportKey, type CoreRefs, type StackExports } from "./refs";
export { awsProviderArgs } from "./providers";
export { policyRuntime, preloadedRuntime } from "./core";
export { MANAGED_PREFIX, schemaStorageRoot } from "./sources";
export * from "./catalog";
export * from "./table-spec";
export {
  ingestCode,
  ingestCodeCandidates,
  ingestCodeDir,
  readIngestCode,
  type IngestCodeFile,
} from "./ingest-code";
export * from "./ingest-paths";
export { assertEnvironmentDags, validateEnvironmentDags } from "./dag-checks";
export { resourceOrigins, type ResourceLike } from "./origins";
export {
  auditRecordLocation,
  logBucketNames,
  phiBucketNames,
  type AuditRecordLocation,
} from "./audit";
export {
  CLUSTER_LOG_SCHEMA,
  CLUSTER_LOG_VOLUME,
  ClusterLogVolume,
  clusterLogPath,
} from "./cluster-logs";
export { complianceSecurityProfile } from "./workspace";

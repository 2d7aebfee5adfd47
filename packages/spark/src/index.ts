// @hdp/spark: Databricks cluster policies, pools, jobs and Unity Catalog objects.
// Every component takes the workspace-level Databricks provider through its resource options.

// Components
export * from "./cluster-policy";
export * from "./instance-pool";
export * from "./ingest-job";
export * from "./unity-catalog-storage";
export * from "./lake-catalog";
export * from "./workspace-hardening";
export * from "./workspace-files";

// Pure building blocks (tested directly; usable by policies and the platform)
export * from "./cluster-policy-definition";
export * from "./runtime";
export * from "./schedule";
export * from "./ingest-job-spec";
export * from "./grants";
export * from "./permissions";
export * from "./lake-catalog-spec";
export * from "./unity-catalog-storage-spec";
export * from "./workspace-hardening-spec";
export * from "./workspace-files-plan";
export { HOUSE_TAG_KEYS, refuseInsecure, validateHouseTags } from "./validation";

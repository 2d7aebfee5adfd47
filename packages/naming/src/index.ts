// @hdp/naming: pure AWS and Databricks naming rules and service facts (MWAA classes), shared by
// the config model and components.
export * from "./rules";
export * from "./build";
export * from "./mwaa";
export * from "./lake";
export * from "./defence";

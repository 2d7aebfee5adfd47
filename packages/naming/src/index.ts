// @hdp/naming: pure AWS and Databricks naming rules, shared by the config model and components.
export * from "./rules";
export * from "./build";

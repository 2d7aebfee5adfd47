// @hdp/testing: run Pulumi programs under the mock runtime and record every resource.
export * from "./record";
export * from "./mock-state";

// The mock-runtime recorder of @hdp/plan (also re-exported by @hdp/testing): runs a Pulumi
// program under `setMocks` with realistic ids and ARNs and records every resource.
export * from "./mock-state";
export * from "./record";
export * from "./urn";
export { SECRET_MASK, UNKNOWN_MARK } from "./values";

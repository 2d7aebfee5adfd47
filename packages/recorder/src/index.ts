// @hdp/recorder: runs a Pulumi program under `setMocks` with realistic ids and ARNs and records
// every resource (the recorder of `hdp plan`, and of component tests through @hdp/testing).
export * from "./mock-state";
export * from "./record";
export * from "./urn";
export { SECRET_MASK, UNKNOWN_MARK, setOwn } from "./marks";

// @hdp/query: SQL over the config tree; UPDATE writes back to YAML
export {};

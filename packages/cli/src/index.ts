// @hdp/cli: The hdp command
export {};

// @hdp/cli: the hdp command. `run(argv, io)` is the programmatic entry point.
export { run, type Io } from "./program";
export { EXIT, UsageError, type ExitCode } from "./exit-codes";
export * from "./commands/validate";

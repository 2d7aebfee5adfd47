// @hdp/cli: the hdp command. `run(argv, io)` is the programmatic entry point.
export { run, VERSION, type CommandContext, type Io } from "./program";
export { CliError, EXIT, UsageError, type ExitCode } from "./exit-codes";
export { colorEnabled } from "./terminal";
export { defaultConfigs, displayPath } from "./paths";
export * from "./commands/validate";

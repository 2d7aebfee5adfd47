/**
 * Exit codes shared by every hdp command (README: 0 fine, 1 problems found, 2 bad usage), and
 * the errors that carry them: a command throws one, `run` prints it as one line and returns its
 * code. Anything else that escapes is a bug (exit 3, with its stack, from bin.ts).
 */
export const EXIT = {
  /** Success: valid configs, a clean plan. */
  ok: 0,
  /**
   * The command ran and found problems (config errors, policy violations, destructive changes),
   * or could not do its job (an output file it cannot write, a configs directory that is not there).
   */
  problems: 1,
  /** Bad usage: unknown option, command or environment, conflicting options. */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error for the user: printed as `hdp: <message>` on stderr; the run exits with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: ExitCode,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** A usage error: reported on stderr and exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = "UsageError";
  }
}

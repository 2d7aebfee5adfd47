/** Exit codes shared by every hdp command. */
export const EXIT = {
  /** Success: valid configs, a clean plan. */
  ok: 0,
  /** The command ran and found problems (config errors, policy violations, destructive changes). */
  problems: 1,
  /** Bad usage: unknown option, missing argument, unknown environment. */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A usage error: reported on stderr and exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** What every command gets: where it writes, colour, and where its exit code goes. */
import type { ExitCode } from "./exit-codes";
import type { Io } from "./io";
import type { Colors } from "./terminal";

/** What a command gets besides its options: the Io, colour functions and the exit setter. */
export interface CommandContext {
  readonly io: Io;
  /** Colours for stdout and stderr (identity functions when off). */
  readonly out: Colors;
  readonly err: Colors;
  readonly setExit: (code: ExitCode) => void;
}

export type { Io };

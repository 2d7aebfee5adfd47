/** What every command gets: where it writes, colour, and where its exit code goes. */
import type { ExitCode } from "./exit-codes";
import type { Colors } from "./terminal";

/** Where a run writes: injected so tests can capture output without a subprocess. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Live progress on stderr (`hdp plan`); default: stderr is a terminal outside CI. */
  readonly interactive?: boolean;
  /** Colour what goes to stdout / stderr (bin.ts decides with `colorEnabled`). @default false */
  readonly color?: { readonly stdout: boolean; readonly stderr: boolean };
}

/** What a command gets besides its options: the Io, colour functions and the exit setter. */
export interface CommandContext {
  readonly io: Io;
  /** Colours for stdout and stderr (identity functions when off). */
  readonly out: Colors;
  readonly err: Colors;
  readonly setExit: (code: ExitCode) => void;
}

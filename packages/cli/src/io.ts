import type { Writable } from "node:stream";

/** Where a run writes: injected so tests can capture output without a subprocess. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /**
   * stdout as a stream, for output written in pieces with backpressure (`hdp plan --json -`);
   * absent: the pieces go through `stdout` one by one.
   */
  readonly stdoutStream?: Writable;
  /** Live progress on stderr (`hdp plan`); default: stderr is a terminal outside CI. */
  readonly interactive?: boolean;
  /** Colour what goes to stdout / stderr (bin.ts decides with `colorEnabled`). @default false */
  readonly color?: { readonly stdout: boolean; readonly stderr: boolean };
}

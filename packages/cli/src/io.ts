/** Where a run writes: injected so tests can capture output without a subprocess. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Live progress on stderr (`hdp plan`); default: stderr is a terminal outside CI. */
  readonly interactive?: boolean;
}

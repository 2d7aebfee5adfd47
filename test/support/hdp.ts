/** Runs the `hdp` CLI in this process (`run` of @hdp/cli) and captures what it prints. */
import { run } from "@hdp/cli";

export interface HdpRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `hdp <argv>` run from `cwd`, with no progress display; its exit code and output. */
export async function hdp(cwd: string, argv: readonly string[]): Promise<HdpRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run([...argv], {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    cwd,
    interactive: false,
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

/**
 * Runs this bench file again as a child process (`node --import tsx`, the repo's sources, an
 * 8 GB heap, `CI=true`) and returns the JSON it prints on its `REPORT ` line: each measured run
 * gets a fresh process. The child prints with {@link printReport}.
 */
import { spawnSync } from "node:child_process";

const PREFIX = "REPORT ";

export function runReportingChild<T>(script: string, args: readonly string[]): T {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=@hdp/source", "--max-old-space-size=8192", script, ...args],
    { encoding: "utf8", maxBuffer: 1 << 26, env: { ...process.env, CI: "true" } },
  );
  const line = r.stdout.split("\n").find((l) => l.startsWith(PREFIX));
  if (r.status !== 0 || line === undefined)
    throw new Error(`plan failed:\n${r.stderr}\n${r.stdout.slice(-3000)}`);
  return JSON.parse(line.slice(PREFIX.length)) as T;
}

export function printReport(report: unknown): void {
  console.log(`${PREFIX}${JSON.stringify(report)}`);
}

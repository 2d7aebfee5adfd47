/** The pnpm running these tests, as a command line that `spawnSync` can start. */
import { accessSync, constants, existsSync } from "node:fs";
import { basename, delimiter, join } from "node:path";

export interface PnpmCommand {
  readonly command: string;
  /** Arguments before pnpm's own (the script, when pnpm is a JavaScript file run by node). */
  readonly args: readonly string[];
}

/**
 * The pnpm that runs this test (`npm_execpath`, set by `pnpm test`, e.g. `npx --yes
 * pnpm@12.4.2 test` in CI), else the first `pnpm` on PATH.
 */
export function findPnpm(): PnpmCommand {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/i.test(basename(execPath)) && existsSync(execPath)) {
    return /\.(c|m)?js$/.test(execPath)
      ? { command: process.execPath, args: [execPath] }
      : { command: execPath, args: [] };
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, process.platform === "win32" ? "pnpm.cmd" : "pnpm");
    try {
      accessSync(candidate, constants.X_OK);
      return { command: candidate, args: [] };
    } catch {
      // not here
    }
  }
  throw new Error(
    "pnpm not found: run the tests with `npx --yes pnpm@12.4.2 test` (which sets npm_execpath)" +
      " or put pnpm 12.4.2 on PATH",
  );
}

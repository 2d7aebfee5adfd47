/** The pnpm to run from the tests, as a command line that `spawnSync` can start. */
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { basename, delimiter, join } from "node:path";

export interface PnpmCommand {
  readonly command: string;
  /** Arguments before pnpm's own (the script, when pnpm is a JavaScript file run by node). */
  readonly args: readonly string[];
}

const ROOT = join(__dirname, "..", "..");

/**
 * The pnpm pinned by `root`'s package.json (`packageManager`, e.g. `pnpm@12.4.2`, without the
 * `+sha…` suffix corepack may add). Throws a message naming the file when there is none.
 */
export function pinnedPnpm(root: string = ROOT): string {
  const file = join(root, "package.json");
  const pm = (JSON.parse(readFileSync(file, "utf8")) as { packageManager?: unknown })
    .packageManager;
  const spec = typeof pm === "string" ? pm.split("+")[0] : undefined;
  if (spec === undefined || !/^pnpm@\d+\.\d+\.\d+$/.test(spec)) {
    throw new Error(
      `pnpm not found: ${file} pins no pnpm (packageManager: ${JSON.stringify(pm)};` +
        ` expected "pnpm@<x.y.z>"), and the tests were not started by pnpm`,
    );
  }
  return spec;
}

/**
 * The pnpm that runs this test (`npm_execpath`, set by `pnpm test`, e.g. `npx --yes
 * pnpm@12.4.2 test` in CI), else the first `pnpm` on PATH, else — as the README, CI and
 * `hdp deploy` start it — `npx --yes <packageManager>` (so `npx jest test/packaging.test.ts`
 * works without pnpm installed).
 */
export function findPnpm(env: NodeJS.ProcessEnv = process.env, root: string = ROOT): PnpmCommand {
  const execPath = env.npm_execpath;
  if (execPath !== undefined && /pnpm/i.test(basename(execPath)) && existsSync(execPath)) {
    return /\.(c|m)?js$/.test(execPath)
      ? { command: process.execPath, args: [execPath] }
      : { command: execPath, args: [] };
  }
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, process.platform === "win32" ? "pnpm.cmd" : "pnpm");
    try {
      accessSync(candidate, constants.X_OK);
      return { command: candidate, args: [] };
    } catch {
      // not here
    }
  }
  return {
    command: process.platform === "win32" ? "npx.cmd" : "npx",
    args: ["--yes", pinnedPnpm(root)],
  };
}

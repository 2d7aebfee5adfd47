/**
 * Which program plans the configs, whose code is hashed, and where the plan cache lives. The
 * program is this installation's `@hdp/platform` unless the user names another (`--program`):
 * configs inside some other git repository never run that repository's code by accident, and a
 * cache for configs outside any repository goes to the user's cache directory, not into this
 * installation's checkout.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "./git";
import type { Workspace } from "./revision";

/** The monorepo this package belongs to (packages/plan/src/revisions -> the root). */
export const INSTALLATION = resolve(__dirname, "..", "..", "..", "..");

/** The entry of @hdp/platform in a workspace: its sources when running from sources. */
export function programEntry(root: string): string {
  return join(
    root,
    "packages",
    "platform",
    __filename.endsWith(".ts") ? "src/index.ts" : "dist/index.js",
  );
}

/**
 * The workspace of `configs`: its git repository (if any); the program — this installation's,
 * or `program`; and the code the cache keys on. Naming the configs' repository's own
 * `packages/platform` entry as `program` plans with that repository's code, versioned with the
 * configs (a base revision then plans with its own program).
 */
export function workspace(
  configs: string,
  program: string | undefined,
  installation = INSTALLATION,
): Workspace {
  let root: string | undefined;
  try {
    root = repoRoot(configs);
  } catch {
    root = undefined;
  }
  const chosen = program === undefined ? undefined : resolve(program);
  if (
    root !== undefined &&
    chosen !== undefined &&
    chosen === programEntry(root) &&
    existsSync(join(root, "packages", "platform", "package.json"))
  ) {
    return { root, codeRoot: root, programModule: chosen, programOverride: false };
  }
  return {
    root,
    codeRoot: installation,
    programModule: chosen ?? programEntry(installation),
    programOverride: chosen !== undefined,
  };
}

/**
 * The default plan cache: beside the configs' repository (`<repo>/.hdp/cache/plan`), else the
 * user's cache directory.
 */
export function defaultCacheDir(
  ws: Pick<Workspace, "root">,
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
  platform: NodeJS.Platform = process.platform,
): string {
  if (ws.root !== undefined) return join(ws.root, ".hdp", "cache", "plan");
  const xdg = env.XDG_CACHE_HOME;
  const base =
    xdg !== undefined && xdg !== ""
      ? xdg
      : platform === "darwin"
        ? join(home, "Library", "Caches")
        : platform === "win32"
          ? (env.LOCALAPPDATA ?? join(home, "AppData", "Local"))
          : join(home, ".cache");
  return join(base, "hdp", "plan");
}

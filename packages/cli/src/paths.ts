/**
 * Paths as the user sees them: relative to where hdp runs (so `file:line:col` is clickable in a
 * terminal), and the configs directory found from a subdirectory the way git finds `.git`.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, parse, relative, resolve, sep } from "node:path";

/**
 * `file` as the user sees it, clickable from `cwd`: relative to `cwd` with `/` separators (as git
 * shows paths, `../configs/…` included), but absolute when the two share nothing but the
 * filesystem root (`../../../../tmp/x` helps nobody).
 */
export function displayPath(file: string, cwd: string): string {
  const abs = resolve(cwd, file);
  const rel = relative(cwd, abs);
  if (rel === "") return ".";
  if (isAbsolute(rel)) return abs;
  const top = (p: string): string => p.slice(parse(p).root.length).split(sep)[0] ?? "";
  if (rel.startsWith("..") && top(abs) !== top(resolve(cwd))) return abs;
  return rel.split(sep).join("/");
}

/**
 * The configs directory when `--configs` is not given: `configs/` of the nearest directory at
 * or above `cwd` that has `configs/platform.yaml`, looking no higher than the enclosing git
 * repository's root; else `<cwd>/configs` (whose absence the loader then reports).
 */
export function defaultConfigs(cwd: string): string {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, "configs", "platform.yaml"))) return join(dir, "configs");
    if (existsSync(join(dir, ".git"))) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(resolve(cwd), "configs");
}

/** `--configs` as given (relative to `cwd`), or the discovered default. */
export const configsDir = (given: string | undefined, cwd: string): string =>
  given !== undefined ? resolve(cwd, given) : defaultConfigs(cwd);

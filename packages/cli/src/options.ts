/** Options several commands share, defined once so they read the same in every command's help. */
import { resolve } from "node:path";
import { Option } from "commander";
import { defaultIndexCacheDir } from "./warm-cache";

/** `--configs <dir>`; absent, the repository's configs/ is found from the cwd (paths.ts). */
export const configsOption = (): Option =>
  new Option(
    "--configs <dir>",
    "the configs directory (default: configs/ of the nearest directory above with configs/platform.yaml)",
  );

/** `--no-cache` and `--cache-dir <dir>` of the commands answered from the warm index cache. */
export const indexCacheOptions = (): Option[] => [
  new Option(
    "--no-cache",
    "neither read nor write the cache of this configs tree's answers (keyed by file content hashes)",
  ),
  new Option(
    "--cache-dir <dir>",
    "cache root (default: <configs' repo>/.hdp/cache/index, else the user's cache directory)",
  ),
];

/** The cache root the options choose, or undefined for `--no-cache`. */
export function indexCacheRoot(
  opts: { cache?: boolean; cacheDir?: string },
  configs: string,
  cwd: string,
): string | undefined {
  if (opts.cache === false) return undefined;
  return opts.cacheDir !== undefined ? resolve(cwd, opts.cacheDir) : defaultIndexCacheDir(configs);
}

/**
 * The slice-hash files of the plan cache (`<cache>/.slices/<tree and code>.json`), one per tree
 * planned: several checkouts (or a working tree and its `--base`) share one cache directory, so
 * the most recently used few are kept rather than the latest tree's alone — two checkouts
 * planned in turn would otherwise evict each other's and hash every slice again each time.
 */
import { readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Slice-hash files kept in a cache: a few checkouts, each with a base revision. */
export const SLICE_FILES_KEPT = 8;

/** Marks `file` used now, so that pruning keeps it (a tree only read from writes nothing). */
export function touchSliceFile(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // gone or read-only: it is then pruned, or never was, and is computed again when needed
  }
}

/**
 * Removes all but the `keep` most recently used slice files beside `current` (by modification
 * time, newest first; `current` is always kept). Temporary files of writers are left alone.
 */
export function pruneSliceFiles(current: string, keep: number = SLICE_FILES_KEPT): void {
  const dir = dirname(current);
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith(".json") && f !== basename(current));
  } catch {
    return; // no directory: nothing to prune
  }
  const aged = names.flatMap((f) => {
    const at = statSync(join(dir, f), { throwIfNoEntry: false })?.mtimeMs;
    return at === undefined ? [] : [{ f, at }];
  });
  // Newest first; equal times by name, so the choice does not depend on the listing's order.
  aged.sort((a, b) => b.at - a.at || (a.f < b.f ? -1 : a.f > b.f ? 1 : 0));
  for (const { f } of aged.slice(Math.max(0, keep - 1))) {
    try {
      rmSync(join(dir, f), { force: true });
    } catch {
      // an untidy cache is still a cache
    }
  }
}

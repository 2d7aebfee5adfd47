/**
 * Whether `hdp plan` starts its worker processes before it loads the configs (see
 * `WorkerPool.prestart`): only when the plan will run on workers anyway, or very likely will —
 * a wasted start costs ~2 s of CPU per worker, a useful one saves that much wall time after a
 * cold config load (tens of seconds at the preset).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Source directories from which an estate is taken to be large enough for workers (the auto
 * mode's `IN_PROCESS_BELOW`, 6,000 resources, is ~45 sources of the preset's shape: ~140
 * resources per source over three environments).
 */
export const PRESTART_MIN_SOURCES = 64;

export interface PrestartInput {
  /** `--jobs`, if given (0: in this process). */
  readonly jobs: number | undefined;
  /** A selection of stacks or `--changed-since`: likely a small plan. */
  readonly narrowed: boolean;
  /** The configs directory. */
  readonly configs: string;
  /**
   * @hdp/config's cache directory of these configs (undefined: no cache, every stack is
   * planned).
   */
  readonly parseCacheDir: string | undefined;
}

/**
 * True for explicit workers (`--jobs N`, N > 0); in auto mode, for an un-narrowed plan of a
 * large estate (by its number of source directories) whose configs were never loaded through
 * this cache (no estate snapshot: a first, cold plan) or with no cache at all. A plan after an
 * earlier one mostly reads the plan cache and runs in this process: its workers are not started
 * ahead (the pool still starts them when the plan turns out large).
 */
export function shouldPrestart(p: PrestartInput): boolean {
  if (p.jobs !== undefined) return p.jobs > 0;
  if (p.narrowed) return false;
  if (p.parseCacheDir !== undefined && existsSync(join(p.parseCacheDir, "estate.v8"))) return false;
  let sources: number;
  try {
    sources = readdirSync(join(p.configs, "sources"), { withFileTypes: true }).filter((d) =>
      d.isDirectory(),
    ).length;
  } catch {
    return false; // no sources directory: the load reports it
  }
  return sources >= PRESTART_MIN_SOURCES;
}

/**
 * One job of the pool: plans a stack (`runStack`) and, when the scheduler gave a cache entry to
 * fill, writes the stack's entry where it was planned — so the inventory JSON (the bulk of a
 * result) never crosses the IPC channel nor the calling process's heap; the outcome carries only
 * the counts, exports and policy findings, and the caller reads the inventory from the cache
 * when it needs it (`--json`, a diff). Without a cache (or when it cannot be written) the JSON
 * comes back in the outcome as before.
 */
import { PlanCache } from "./cache";
import {
  recordStack,
  renderRecorded,
  type StackFailed,
  type StackJob,
  type StackPlanned,
} from "./run-stack";
import { renderStackBytes } from "../inventory/inventory";
import type { Estate } from "@hdp/config";

/** Where a job writes its stack's cache entry. */
export interface CacheTarget {
  /** The cache directory. */
  readonly dir: string;
  /** The entry's key (computed by the scheduler). */
  readonly key: string;
}

/** A planned stack whose inventory is in the cache (`json` undefined) or in hand. */
export type JobPlanned = Omit<StackPlanned, "json"> & { readonly json: string | undefined };

/** What a job gives back. */
export type JobOutcome = JobPlanned | StackFailed;

/** What the process running a job hears of it. */
export interface PlanJobHooks {
  /** The running count of recorded resources. */
  readonly onProgress?: (recorded: number) => void;
  /**
   * Asked after the program ran: a read the job was not allowed (see column-slices.ts); then
   * the job fails with that message, whatever the program made of it, and writes nothing.
   */
  readonly outsideSlice?: () => Error | undefined;
  /** See `runStack`: other environments' memos were let go (how many), the recording is next. */
  readonly afterRelease?: (released: number) => void;
}

/**
 * Plans `job` and writes its cache entry to `cache` when given; never throws. The entry is
 * rendered straight to bytes (`renderStackBytes`): the inventory's text never sits on the
 * worker's heap then.
 */
export async function planJob(
  estate: Estate,
  job: StackJob,
  cache: CacheTarget | undefined,
  hooks: PlanJobHooks = {},
): Promise<JobOutcome> {
  const recorded = await recordStack(estate, job, hooks.onProgress, hooks.afterRelease);
  const outside = hooks.outsideSlice?.();
  if (outside !== undefined) {
    return {
      ok: false,
      stack: job.stack,
      messages: [outside.message],
      durationMs: recorded.durationMs,
    };
  }
  if (!recorded.ok) return recorded;
  const started = performance.now();
  if (cache !== undefined) {
    const { inventory, ...planned } = recorded;
    try {
      const bytes = renderStackBytes(inventory);
      new PlanCache(cache.dir).write(job.stack, cache.key, { ...planned, json: bytes });
      const durationMs = planned.durationMs + Math.round(performance.now() - started);
      return { ...planned, json: undefined, durationMs };
    } catch {
      // A cache that cannot be written (read-only checkout, full disk): the JSON goes back.
    }
  }
  return renderRecorded(recorded, started);
}

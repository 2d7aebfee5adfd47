/**
 * Runs a dependency graph of stacks with at most `jobs` at once. A stack starts when every
 * stack it depends on has succeeded; when one fails (or is skipped), everything that depends on
 * it is skipped with the reason, and the independent stacks still run to the end. Starts are
 * in graph order, so a run is reproducible.
 */
import type { StackNode } from "./order";

export type StackStatus = "succeeded" | "failed" | "skipped";

export interface ScheduledRun<T> {
  readonly stack: string;
  readonly status: StackStatus;
  /** What the stack's run returned (absent when skipped, or when the run threw). */
  readonly value?: T;
  /** Why it failed or was skipped. */
  readonly reason?: string;
}

/** What one stack's run reports: success, and the data to keep. */
export interface StackResultOf<T> {
  readonly ok: boolean;
  readonly value: T;
  readonly reason?: string;
}

/** Checks the graph: known dependencies, no duplicates, no cycles (dependencies come first). */
export function checkGraph(nodes: readonly StackNode[]): void {
  const seen = new Set<string>();
  for (const n of nodes) {
    if (seen.has(n.name)) throw new Error(`stack "${n.name}" appears twice in the deploy graph`);
    for (const d of n.dependsOn) {
      if (!nodes.some((x) => x.name === d)) {
        throw new Error(`stack "${n.name}" depends on "${d}", which is not in the deploy graph`);
      }
      if (!seen.has(d)) {
        throw new Error(`stack "${n.name}" depends on "${d}", which does not come before it`);
      }
    }
    seen.add(n.name);
  }
}

/**
 * Runs `run` for every node, dependencies first, at most `jobs` at a time; resolves once every
 * stack has succeeded, failed or been skipped, in graph order. `run` may throw: that stack fails.
 */
export async function runGraph<T>(
  nodes: readonly StackNode[],
  jobs: number,
  run: (stack: string) => Promise<StackResultOf<T>>,
  onStart: (stack: string) => void = () => undefined,
): Promise<ScheduledRun<T>[]> {
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`jobs must be 1 or more, not ${jobs}`);
  checkGraph(nodes);
  const done = new Map<string, ScheduledRun<T>>();
  const started = new Set<string>();
  let running = 0;

  return new Promise((resolvePromise) => {
    const finish = (r: ScheduledRun<T>): void => {
      done.set(r.stack, r);
      pump();
    };
    const pump = (): void => {
      // Skip whatever depends on a stack that did not succeed (transitively: order is topological).
      for (const n of nodes) {
        if (started.has(n.name) || done.has(n.name)) continue;
        const blocker = n.dependsOn.find((d) => {
          const s = done.get(d)?.status;
          return s === "failed" || s === "skipped";
        });
        if (blocker !== undefined) {
          const why = done.get(blocker)?.status === "failed" ? "failed" : "was skipped";
          done.set(n.name, { stack: n.name, status: "skipped", reason: `${blocker} ${why}` });
        }
      }
      for (const n of nodes) {
        if (running >= jobs) break;
        if (started.has(n.name) || done.has(n.name)) continue;
        if (!n.dependsOn.every((d) => done.get(d)?.status === "succeeded")) continue;
        started.add(n.name);
        running++;
        onStart(n.name);
        void Promise.resolve()
          .then(() => run(n.name))
          .then(
            (r): ScheduledRun<T> => ({
              stack: n.name,
              status: r.ok ? "succeeded" : "failed",
              value: r.value,
              ...(r.ok || r.reason === undefined ? {} : { reason: r.reason }),
            }),
            (e: unknown): ScheduledRun<T> => ({
              stack: n.name,
              status: "failed",
              reason: e instanceof Error ? e.message : String(e),
            }),
          )
          .then((r) => {
            running--;
            finish(r);
          });
      }
      if (done.size === nodes.length) {
        resolvePromise(nodes.map((n) => done.get(n.name) as ScheduledRun<T>));
      }
    };
    pump();
  });
}

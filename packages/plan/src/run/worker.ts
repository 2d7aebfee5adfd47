/**
 * Entry point of a plan worker process (forked by `pool.ts`): receives estates (`v8.serialize`d,
 * without their tables' columns: each job brings its slice's, see column-slices.ts) and stack
 * jobs over IPC, plans one stack at a time (the SDK's mock runtime is global to the process),
 * writes the stack's cache entry when the job names one, and answers with the outcome (without
 * the inventory JSON when it went to the cache) and the process's peak memory.
 */
import { deserialize } from "node:v8";
import { shareStrings, type Estate } from "@hdp/config";
import { ColumnSlots, type JobColumns } from "./column-slices";
import { loadProgram } from "./run-stack";
import { planJob } from "./plan-job";
import { BetweenStacks } from "./heap";
import type { ToWorker, FromWorker } from "./pool";

const estates = new Map<string, { estate: Estate; slots: ColumnSlots }>();

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const send = (m: FromWorker): void => {
  process.send?.(m);
};

/** Collects garbage between stacks when the process allows it (`--expose-gc`) and it pays. */
const between = new BetweenStacks((globalThis as { gc?: () => void }).gc);

/** Jobs run one after another. */
let jobs: Promise<void> = Promise.resolve();

process.on("message", (m: ToWorker) => {
  switch (m.type) {
    case "load":
      try {
        loadProgram(m.programModule);
      } catch {
        // Reported by the first job, which loads it again.
      }
      return;
    case "estate": {
      const estate = deserialize(m.bytes) as Estate;
      // `deserialize` copies every string on its own: equal ones share one instance again
      // (before the slots go in: a slot outside a job's slice may not be read).
      shareStrings(estate);
      estates.set(m.id, { estate, slots: new ColumnSlots(estate) });
      return;
    }
    case "job":
      // One job at a time (the SDK's mock runtime is global): the pool sends the next before
      // this one is done, so it is here the moment this one ends.
      jobs = jobs.then(() => runJob(m)).catch((e: unknown) => failed(m, [String(e)]));
      return;
  }
});

type JobMessage = Extract<ToWorker, { type: "job" }>;

/** Answers `m` with a failure (a job that could not even start). */
function failed(m: JobMessage, messages: string[]): void {
  send({
    type: "result",
    seq: m.seq,
    outcome: { ok: false, stack: m.job.stack, messages, durationMs: 0 },
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuMs: cpuMs(),
  });
}

async function runJob(m: JobMessage): Promise<void> {
  const held = estates.get(m.estateId);
  if (held === undefined) {
    failed(m, [`worker: no estate ${m.estateId}`]);
    return;
  }
  const { estate, slots } = held;
  slots.serve(m.job.stack, JSON.parse(m.columns) as JobColumns);
  const outcome = await planJob(estate, m.job, m.cache, {
    onProgress: (recorded) => send({ type: "progress", seq: m.seq, recorded }),
    outsideSlice: () => slots.outsideRead,
    // Moving to another environment: the memos runStack let go are collected before this
    // environment's are computed on top of them.
    afterRelease: (released) => {
      if (released > 0) between.collect(true);
    },
  });
  const outside = slots.outsideRead;
  slots.serve("", {});
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  send({
    type: "result",
    seq: m.seq,
    outcome,
    peakRssBytes,
    cpuMs: cpuMs(),
    ...(outside !== undefined ? { outsideSlice: outside.table } : {}),
  });
  between.collect();
}

process.on("disconnect", () => process.exit(0));

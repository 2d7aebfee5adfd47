/**
 * Entry point of a plan worker process (forked by `pool.ts`): receives estates and stack jobs
 * over IPC, plans one stack at a time (the SDK's mock runtime is global to the process) and
 * answers with the outcome and the process's peak memory.
 */
import type { Estate } from "@hdp/config";
import { loadProgram, runStack } from "./run-stack";
import { BetweenStacks } from "./heap";
import type { ToWorker, FromWorker } from "./pool";

const estates = new Map<string, Estate>();

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const send = (m: FromWorker): void => {
  process.send?.(m);
};

/** Collects garbage between stacks when the process allows it (`--expose-gc`) and it pays. */
const between = new BetweenStacks((globalThis as { gc?: () => void }).gc);

process.on("message", (m: ToWorker) => {
  switch (m.type) {
    case "load":
      try {
        loadProgram(m.programModule);
      } catch {
        // Reported by the first job, which loads it again.
      }
      return;
    case "estate":
      estates.set(m.id, m.estate);
      return;
    case "job": {
      const estate = estates.get(m.estateId);
      if (estate === undefined) {
        send({
          type: "result",
          seq: m.seq,
          outcome: {
            ok: false,
            stack: m.job.stack,
            messages: [`worker: no estate ${m.estateId}`],
            durationMs: 0,
          },
          peakRssBytes: process.resourceUsage().maxRSS * 1024,
          cpuMs: cpuMs(),
        });
        return;
      }
      void runStack(estate, m.job, (recorded) =>
        send({ type: "progress", seq: m.seq, recorded }),
      ).then((outcome) => {
        const peakRssBytes = process.resourceUsage().maxRSS * 1024;
        send({ type: "result", seq: m.seq, outcome, peakRssBytes, cpuMs: cpuMs() });
        between.collect();
      });
      return;
    }
  }
});

process.on("disconnect", () => process.exit(0));

/**
 * The phases of one cold plan (issue 13), in this process: the configs loaded (the "queued"
 * event), the first job handed to a worker ("started"), the first stack planned, the last, and
 * the end (the result assembled, the workers stopped). Per phase: wall time, this process's CPU
 * (every thread), its main thread's garbage collection (`gc` performance entries) and how busy
 * its event loop was (`eventLoopUtilization`); at the end, each worker's CPU. The gap between
 * "loaded" and "first done" is what the scheduler controls (the workers wait for their first
 * job); the rest is the config load (before) and the workers' planning (after).
 *
 *   npx tsx --conditions=@hdp/source packages/cli/src/bin.ts simulate estate --sources 600 --out /tmp/e
 *   npx tsx --conditions=@hdp/source bench/plan-phases.ts /tmp/e [cacheDir] [--until-first-done]
 *
 * `--until-first-done` prints the phases up to the first stack planned and exits there (the
 * workers stop with this process, after their stack): the start of a plan of the full preset in
 * a minute. It leaves the cache directory behind (named in its output) for you to remove.
 * Without `cacheDir`, an empty temporary one (a cold plan), removed afterwards. Extra worker
 * flags: `WORKER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/p"`. Compare settings side by side in
 * the same minutes: on a shared machine, wall times mean little alone.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver, performance } from "node:perf_hooks";
import { plan } from "@hdp/plan";

interface Mark {
  readonly name: string;
  readonly at: number;
  readonly cpuMs: number;
  readonly elu: ReturnType<typeof performance.eventLoopUtilization>;
}

async function main(): Promise<void> {
  const untilFirstDone = process.argv.includes("--until-first-done");
  const [configs, given] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  if (configs === undefined) {
    throw new Error("usage: bench/plan-phases.ts <configs dir> [cache dir]");
  }
  const cacheDir = given ?? mkdtempSync(join(tmpdir(), "hdp-plan-phases-"));
  // Collections are reported on a later turn of the event loop (after a long synchronous load,
  // say): each is counted in the phase where it started.
  const collections: { start: number; ms: number }[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) collections.push({ start: e.startTime, ms: e.duration });
  });
  gc.observe({ entryTypes: ["gc"] });
  const gcBetween = (a: number, b: number): number => {
    for (const e of gc.takeRecords()) collections.push({ start: e.startTime, ms: e.duration });
    return collections.filter((c) => c.start >= a && c.start < b).reduce((n, c) => n + c.ms, 0);
  };
  const marks: Mark[] = [];
  const mark = (name: string): void => {
    const c = process.cpuUsage();
    marks.push({
      name,
      at: performance.now(),
      cpuMs: (c.user + c.system) / 1000,
      elu: performance.eventLoopUtilization(),
    });
  };
  const load0 = loadavg()[0];
  mark("start");
  const print = (): void => {
    const pad = (s: string, n: number): string => s.padStart(n);
    console.log(
      `${"phase".padEnd(30)}${pad("at s", 8)}${pad("wall s", 8)}${pad("CPU s", 8)}${pad("GC s", 8)}${pad("busy", 7)}`,
    );
    for (let i = 1; i < marks.length; i++) {
      const [a, b] = [marks[i - 1], marks[i]];
      const elu = performance.eventLoopUtilization(b.elu, a.elu).utilization;
      console.log(
        `${`${a.name} → ${b.name}`.padEnd(30)}${pad(((b.at - marks[0].at) / 1000).toFixed(1), 8)}${pad(((b.at - a.at) / 1000).toFixed(1), 8)}${pad(((b.cpuMs - a.cpuMs) / 1000).toFixed(1), 8)}${pad((gcBetween(a.at, b.at) / 1000).toFixed(1), 8)}${pad(`${Math.round(elu * 100)}%`, 7)}`,
      );
    }
  };
  let stacks = 0;
  let done = 0;
  try {
    const r = await plan({
      configs,
      cacheDir,
      onOutput: () => undefined,
      ...(process.env.WORKER_FLAGS ? { workerFlags: process.env.WORKER_FLAGS.split(" ") } : {}),
      onEvent: (e) => {
        if (e.kind === "queued") {
          stacks += e.stacks.length;
          mark("loaded");
        } else if (e.kind === "started" && !marks.some((m) => m.name === "first started")) {
          mark("first started");
        } else if (e.kind === "done") {
          done++;
          if (done === 1) mark("first done");
          if (done === 1 && untilFirstDone) {
            print();
            console.log(`load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}`);
            // The workers finish their stack after this process is gone and write its entry.
            console.log(`the cache is left in ${cacheDir} (the workers may still write to it)`);
            process.exit(0);
          }
          if (done === stacks) mark("last done");
        }
      },
    });
    // The observer hears of the last collections on a later turn.
    await new Promise((resolve) => setImmediate(resolve));
    mark("end");
    console.log(
      `${r.stats.resources.toLocaleString("en-US")} resources, ${r.stats.stacksPlanned} stacks planned, ${r.stats.stacksCached} from cache; load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
    );
    print();
    const workers = r.stats.workerCpuMs.map((ms) => (ms / 1000).toFixed(1));
    console.log(
      `CPU: main ${((marks[marks.length - 1].cpuMs - marks[0].cpuMs) / 1000).toFixed(1)} s (every thread), workers ${workers.join(" + ") || "none"} s`,
    );
  } finally {
    gc.disconnect();
    if (given === undefined) rmSync(cacheDir, { recursive: true, force: true });
  }
}

void main();

/**
 * Runs stack jobs in worker processes (`child_process.fork` of `worker.ts`), one stack at a
 * time per worker, spawning workers lazily up to the pool's size. From sources the workers run
 * TypeScript through tsx with the "@hdp/source" condition, as `pnpm hdp` does. Size 0 runs
 * jobs in this process instead, one after another.
 *
 * Worker flags (measured, see README): a 64 MB young generation (`--max-semi-space-size`),
 * room for a large stack (`--max-old-space-size`), and `--expose-gc` so the worker collects
 * between stacks (resident memory otherwise creeps from one stack to the next).
 */
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Estate } from "@hdp/config";
import type { runStack as RunStackFn, StackJob, StackOutcome } from "./run-stack";

type RunStack = typeof RunStackFn;

/** Messages to a worker. */
export type ToWorker =
  | { type: "load"; programModule: string }
  | { type: "estate"; id: string; estate: Estate }
  | { type: "job"; seq: number; estateId: string; job: StackJob };

/** Messages from a worker. */
export type FromWorker =
  | { type: "progress"; seq: number; recorded: number }
  | { type: "result"; seq: number; outcome: StackOutcome; peakRssBytes: number; cpuMs: number };

/** What a job gives back: its outcome and the peak memory of the process that ran it. */
export interface JobResult {
  readonly outcome: StackOutcome;
  readonly peakRssBytes: number;
  /** Which worker ran it (0-based; 0 in-process). */
  readonly worker: number;
}

export interface PoolOptions {
  /** Worker processes at most; 0 runs jobs in this process. */
  readonly size: number;
  /** Called with the running count of recorded resources of a job. */
  readonly onProgress?: (stack: string, recorded: number) => void;
  /** Receives what workers print (the program's console output), for stderr. */
  readonly onOutput?: (text: string) => void;
  /** Extra node flags for the workers (the bench uses it to compare settings). */
  readonly execArgv?: readonly string[];
}

interface Task {
  readonly seq: number;
  readonly estateId: string;
  readonly estate: Estate;
  readonly job: StackJob;
  readonly resolve: (r: JobResult) => void;
}

interface Worker {
  readonly index: number;
  readonly child: ChildProcess;
  readonly estates: Set<string>;
  task: Task | undefined;
}

/** Node flags of a worker process (see the module comment). */
export function workerExecArgv(extra: readonly string[] = []): string[] {
  const fromSource = __filename.endsWith(".ts");
  const args: string[] = [];
  if (fromSource) {
    args.push("--import", pathToFileURL(require.resolve("tsx")).href, "--conditions=@hdp/source");
  }
  args.push("--max-semi-space-size=64", "--max-old-space-size=6144", "--expose-gc", ...extra);
  return args;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Task[] = [];
  private seq = 0;
  private spawned = 0;
  private inProcess: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Peak resident memory of each worker that ran a job, in bytes. */
  readonly peakRss: number[] = [];
  /** CPU time (user + system) each worker has used so far, in ms. */
  readonly cpuMs: number[] = [];

  constructor(private readonly options: PoolOptions) {}

  /** Plans one stack; never rejects (a crashed worker gives a failed outcome). */
  run(estateId: string, estate: Estate, job: StackJob): Promise<JobResult> {
    if (this.closed) throw new Error("the worker pool is closed");
    if (this.options.size === 0) return this.runHere(estate, job);
    return new Promise((resolve) => {
      this.queue.push({ seq: ++this.seq, estateId, estate, job, resolve });
      this.dispatch();
    });
  }

  private runHere(estate: Estate, job: StackJob): Promise<JobResult> {
    const next = this.inProcess.then(async () => {
      // Loaded on first use: the SDK is only needed where stacks are planned.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runStack } = require("./run-stack") as { runStack: RunStack };
      const outcome = await runStack(estate, job, (n) => this.options.onProgress?.(job.stack, n));
      const peakRssBytes = process.resourceUsage().maxRSS * 1024;
      this.peakRss[0] = Math.max(this.peakRss[0] ?? 0, peakRssBytes);
      return { outcome, peakRssBytes, worker: 0 };
    });
    this.inProcess = next;
    return next;
  }

  /**
   * Starts up to `count` workers now (within the pool's size) and has each load the program, so
   * their start-up overlaps with whatever runs first (a core stack, the cache lookups).
   */
  warm(programModule: string, count: number): void {
    if (this.closed) return;
    while (this.workers.length < Math.min(count, this.options.size)) {
      this.send(this.spawn(), { type: "load", programModule });
    }
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let w = this.workers.find(
        (x) => x.task === undefined && x.estates.has(this.queue[0].estateId),
      );
      w ??= this.workers.find((x) => x.task === undefined);
      if (w === undefined && this.workers.length < this.options.size) w = this.spawn();
      if (w === undefined) return;
      const task = this.queue.shift() as Task;
      this.start(w, task);
    }
  }

  private start(w: Worker, task: Task): void {
    w.task = task;
    if (!w.estates.has(task.estateId)) {
      this.send(w, { type: "estate", id: task.estateId, estate: task.estate });
      w.estates.add(task.estateId);
    }
    this.send(w, { type: "job", seq: task.seq, estateId: task.estateId, job: task.job });
  }

  private send(w: Worker, m: ToWorker): void {
    w.child.send(m);
  }

  private spawn(): Worker {
    const ext = __filename.endsWith(".ts") ? "ts" : "js";
    const child = fork(join(__dirname, `worker.${ext}`), [], {
      execArgv: workerExecArgv(this.options.execArgv),
      serialization: "advanced",
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const w: Worker = { index: this.spawned++, child, estates: new Set(), task: undefined };
    this.workers.push(w);
    const forward = (chunk: Buffer): void => this.options.onOutput?.(chunk.toString());
    child.stdout?.on("data", forward);
    child.stderr?.on("data", forward);
    child.on("message", (m: FromWorker) => {
      const task = w.task;
      if (task === undefined || m.seq !== task.seq) return;
      if (m.type === "progress") {
        this.options.onProgress?.(task.job.stack, m.recorded);
        return;
      }
      this.peakRss[w.index] = Math.max(this.peakRss[w.index] ?? 0, m.peakRssBytes);
      this.cpuMs[w.index] = m.cpuMs;
      w.task = undefined;
      task.resolve({ outcome: m.outcome, peakRssBytes: m.peakRssBytes, worker: w.index });
      this.dispatch();
    });
    child.on("exit", (code, signal) => {
      const i = this.workers.indexOf(w);
      if (i >= 0) this.workers.splice(i, 1);
      const task = w.task;
      w.task = undefined;
      if (task !== undefined) {
        const why = signal !== null ? `signal ${signal}` : `code ${code}`;
        task.resolve({
          outcome: {
            ok: false,
            stack: task.job.stack,
            messages: [
              `the worker planning this stack exited (${why}); out of memory? try --jobs 1 or a smaller shard`,
            ],
            durationMs: 0,
          },
          peakRssBytes: 0,
          worker: w.index,
        });
      }
      if (!this.closed) this.dispatch();
    });
    return w;
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    await this.inProcess;
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) {
              resolve();
              return;
            }
            w.child.once("exit", () => resolve());
            w.child.disconnect();
          }),
      ),
    );
  }
}

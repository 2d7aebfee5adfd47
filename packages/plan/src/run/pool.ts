/**
 * Runs stack jobs in worker processes (`child_process.fork` of `worker.ts`), one stack at a
 * time per worker, spawning workers lazily up to the pool's size; or in this process, one after
 * another (size 0, or a small plan in `auto` mode: see {@link WorkerPool.warm}). From sources
 * the workers run TypeScript through tsx with the "@hdp/source" condition, as `pnpm hdp` does.
 *
 * Jobs wait in one queue ordered by priority (the scheduler's order: one environment after
 * another, cores first, largest first); an idle worker takes the first, and a busy one its next
 * while enough jobs wait (see {@link JOBS_PER_WORKER}). Each worker gets an estate once, without
 * its tables' columns: serialized once here (`v8.serialize`) and the same bytes sent to every
 * worker, which deserializes it — not one structured clone per worker. Each job brings the
 * columns of its stack's config slice as JSON text (see column-slices.ts); a core stack that
 * read columns runs again with all of them.
 *
 * Worker flags (measured, see README): a 64 MB young generation (`--max-semi-space-size`),
 * room for a large stack (`--max-old-space-size`), the garbage collector on the worker's own
 * thread (`--single-threaded-gc`: with a worker per core, V8's parallel and concurrent GC helper
 * threads only take CPU from the other worker, and cost more CPU in all than they save), and
 * `--expose-gc` so the worker collects between stacks (resident memory otherwise creeps from one
 * stack to the next).
 */
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { serialize } from "node:v8";
import type { Estate } from "@hdp/config";
import { columnsJson, withoutColumns } from "./column-slices";
import type { StackJob } from "./run-stack";
import type { CacheTarget, JobOutcome, planJob as PlanJobFn } from "./plan-job";

type PlanJob = typeof PlanJobFn;

/** Messages to a worker. */
export type ToWorker =
  | { type: "load"; programModule: string }
  /** An estate, `v8.serialize`d. */
  | { type: "estate"; id: string; bytes: Uint8Array }
  | {
      type: "job";
      seq: number;
      estateId: string;
      job: StackJob;
      cache?: CacheTarget;
      /**
       * The columns of the stack's config slice (the estate came without them): a
       * `JobColumns` as JSON text (see `columnsJson`).
       */
      columns: string;
    };

/** Messages from a worker. */
export type FromWorker =
  | { type: "progress"; seq: number; recorded: number }
  | {
      type: "result";
      seq: number;
      outcome: JobOutcome;
      peakRssBytes: number;
      cpuMs: number;
      /** A table whose columns the program read outside the job's slice (the job failed). */
      outsideSlice?: string;
    };

/** What a job gives back: its outcome and the peak memory of the process that ran it. */
export interface JobResult {
  readonly outcome: JobOutcome;
  readonly peakRssBytes: number;
  /** Which worker ran it (0-based; 0 in-process). */
  readonly worker: number;
}

export interface PoolOptions {
  /** Worker processes at most; 0 runs jobs in this process. */
  readonly size: number;
  /**
   * Decide per plan: a plan whose estimated work (resources) is under this runs in this process
   * (no worker start-up), a larger one on `size` workers. Jobs wait for the decision, which
   * {@link WorkerPool.warm} makes — but for an idle worker already started ahead
   * ({@link WorkerPool.prestart}), which takes one at once. Unset: always workers (or in-process for size 0).
   */
  readonly inProcessBelow?: number;
  /** Called with the running count of recorded resources of a job. */
  readonly onProgress?: (stack: string, recorded: number) => void;
  /** Receives what workers print (the program's console output), for stderr. */
  readonly onOutput?: (text: string) => void;
  /** Extra node flags for the workers (the bench uses it to compare settings). */
  readonly execArgv?: readonly string[];
}

/** A job to run, with where it goes in the queue. */
export interface PoolJob {
  readonly estateId: string;
  readonly estate: Estate;
  readonly job: StackJob;
  /**
   * The sources whose tables' columns the job brings: its stack's own (none for a core; every
   * source for an unsharded stack), as the scheduler found the stack.
   */
  readonly sliceSources: readonly string[];
  /** Where the job writes its stack's cache entry, if anywhere. */
  readonly cache?: CacheTarget;
  /** Lower runs first (ties: first come). */
  readonly priority: readonly number[];
  /** Called when the job is handed to a worker (not for a job run in this process). */
  readonly onStart?: () => void;
}

interface Task extends PoolJob {
  readonly seq: number;
  readonly resolve: (r: JobResult) => void;
  /** Sent with every table's columns (a core stack that read some). */
  readonly allColumns?: boolean;
}

interface Worker {
  readonly index: number;
  readonly child: ChildProcess;
  readonly estates: Set<string>;
  /** The jobs sent to it, in order: the first is being planned, the others wait in the worker. */
  readonly tasks: Task[];
}

/**
 * Jobs a worker holds at most: the one it plans and the next, so that it starts the next as soon
 * as it is done instead of waiting for this process (busy with other results, hashing, or
 * collecting its own garbage) to answer. Only while more jobs wait than there are workers: at
 * the end of a plan, a job waits here for whichever worker is free first.
 */
export const JOBS_PER_WORKER = 2;

/** Node flags of a worker process (see the module comment). */
export function workerExecArgv(extra: readonly string[] = []): string[] {
  const fromSource = __filename.endsWith(".ts");
  const args: string[] = [];
  if (fromSource) {
    args.push("--import", pathToFileURL(require.resolve("tsx")).href, "--conditions=@hdp/source");
  }
  args.push(
    "--max-semi-space-size=64",
    "--max-old-space-size=6144",
    "--single-threaded-gc",
    "--expose-gc",
    ...extra,
  );
  return args;
}

const before = (a: readonly number[], b: readonly number[]): boolean => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
};

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Task[] = [];
  /** Each estate's bytes, serialized once for all workers. */
  private readonly estateBytes = new Map<string, Uint8Array>();
  private seq = 0;
  private spawned = 0;
  private inProcess: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Where jobs run: undecided until `warm` (auto mode), then here or on workers. */
  private mode: "undecided" | "here" | "workers";
  /** Estimated work announced by `warm` so far (auto mode). */
  private announced = 0;
  /** Peak resident memory of each worker that ran a job, in bytes. */
  readonly peakRss: number[] = [];
  /** CPU time (user + system) each worker has used so far, in ms. */
  readonly cpuMs: number[] = [];
  /** Jobs run in this process. */
  ranHere = 0;
  /**
   * This process's peak resident memory once it ran jobs (its whole peak, not the jobs' alone),
   * in bytes; undefined when no job ran here. Kept apart from the workers': worker 0 is another
   * process.
   */
  peakRssHere: number | undefined;

  /** Worker processes started so far (one replacing a dead worker counts too). */
  get started(): number {
    return this.spawned;
  }

  /** Worker processes running now. */
  get running(): number {
    return this.workers.length;
  }

  constructor(private readonly options: PoolOptions) {
    this.mode =
      options.size === 0 ? "here" : options.inProcessBelow === undefined ? "workers" : "undecided";
  }

  /** Plans one stack; never rejects (a crashed worker gives a failed outcome). */
  run(job: PoolJob): Promise<JobResult> {
    if (this.closed) throw new Error("the worker pool is closed");
    if (this.mode === "here") return this.runHere(job);
    return new Promise((resolve) => {
      this.enqueue({ ...job, seq: ++this.seq, resolve });
      this.dispatch();
    });
  }

  private enqueue(task: Task): void {
    let i = this.queue.length;
    while (i > 0 && before(task.priority, this.queue[i - 1].priority)) i--;
    this.queue.splice(i, 0, task);
  }

  private runHere(job: PoolJob): Promise<JobResult> {
    const next = this.inProcess.then(async () => {
      // Loaded on first use: the SDK is only needed where stacks are planned.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { planJob } = require("./plan-job") as { planJob: PlanJob };
      const outcome = await planJob(job.estate, job.job, job.cache, {
        onProgress: (n) => this.options.onProgress?.(job.job.stack, n),
      });
      this.ranHere++;
      const peakRssBytes = process.resourceUsage().maxRSS * 1024;
      this.peakRssHere = Math.max(this.peakRssHere ?? 0, peakRssBytes);
      return { outcome, peakRssBytes, worker: 0 };
    });
    this.inProcess = next;
    return next;
  }

  /**
   * Announces `work` more estimated resources to plan with `programModule`. In auto mode the
   * first call decides where the jobs run: under `inProcessBelow` in this process, else on
   * workers (a later call that takes the total over it moves the remaining jobs to workers).
   * With workers, starts up to `count` of them now and has each load the program, so their
   * start-up overlaps with whatever runs first (a core stack, the cache lookups).
   */
  warm(programModule: string, count: number, work = Infinity): void {
    if (this.closed || this.options.size === 0) return;
    if (this.mode !== "workers" && this.options.inProcessBelow !== undefined) {
      this.announced += work;
      if (this.announced < this.options.inProcessBelow) {
        this.mode = "here";
        this.stopIdle();
        for (const t of this.queue.splice(0)) void this.runHere(t).then(t.resolve);
        return;
      }
      this.mode = "workers";
    }
    while (this.workers.length < Math.min(count, this.options.size)) {
      this.send(this.spawn(), { type: "load", programModule });
    }
    this.dispatch();
  }

  /**
   * Starts up to `count` workers now and has each load `programModule`, before anything is
   * known of the plan: a cold plan loads its configs in this process (tens of seconds at the
   * preset) before its first job is ready, and the workers' start-up (fork and program load,
   * ~2 s each) overlaps with that load instead of following it. Where jobs run is still decided
   * by {@link WorkerPool.warm}: when it chooses this process, the idle workers started here
   * stop. No-op for a pool of size 0 or once jobs run here.
   */
  prestart(programModule: string, count = this.options.size): void {
    if (this.closed || this.mode === "here") return;
    while (this.workers.length < Math.min(count, this.options.size)) {
      this.send(this.spawn(), { type: "load", programModule });
    }
  }

  /**
   * Sends estate `estateId` to every started worker that does not hold it yet, before any job of
   * it is ready: a cold plan's workers were started ahead (see {@link prestart}) and wait; they
   * deserialize the estate (~1 s at the preset) while this process prepares the first job's cache
   * key instead of after. Resolves once the bytes are written (the transfer needs this process's
   * event loop: the caller waits for it rather than keeping the loop busy meanwhile). No-op when
   * no worker is started or jobs run here.
   */
  offer(estateId: string, estate: Estate): Promise<void> {
    if (this.closed || this.mode === "here") return Promise.resolve();
    const sent = this.workers
      .filter((w) => !w.estates.has(estateId))
      .map((w) => this.sendEstate(w, estateId, estate));
    return Promise.all(sent).then(() => undefined);
  }

  /** Stops the workers holding no job (started by `prestart` for a plan that runs here). */
  private stopIdle(): void {
    for (const w of this.workers.filter((x) => x.tasks.length === 0)) {
      if (w.child.connected) w.child.disconnect();
    }
  }

  /**
   * Hands waiting jobs to idle workers (one holding the job's estate first), spawning workers up
   * to the pool's size; then, on the next turn of the event loop (when the jobs queued in this
   * one are all in, in priority order), gives busy workers their next job of the same
   * environment.
   */
  private dispatch(ahead = false): void {
    if (this.mode === "here" || this.closed) return;
    // Undecided (auto mode before `warm`): only a worker already started (prestarted for a cold
    // plan, idle anyway) takes a job; none is started for it, and none takes a second.
    const decided = this.mode === "workers";
    while (this.queue.length > 0) {
      const estateId = this.queue[0].estateId;
      let w =
        this.workers.find((x) => x.tasks.length === 0 && x.estates.has(estateId)) ??
        this.workers.find((x) => x.tasks.length === 0);
      if (!decided && w === undefined) return;
      if (w === undefined && this.workers.length < this.options.size) w = this.spawn();
      if (w === undefined && this.queue.length >= this.options.size) {
        if (!ahead) {
          this.dispatchAhead();
          return;
        }
        w = this.planningAlike(this.queue[0]);
      }
      if (w === undefined) return;
      const task = this.queue.shift() as Task;
      this.start(w, task);
    }
  }

  private aheadPending = false;

  /**
   * A busy worker with room for a next job, whose last job is of `task`'s estate and environment
   * (a worker moving to another environment lets go of its memos and collects its garbage: the
   * next job never makes it switch early).
   */
  private planningAlike(task: Task): Worker | undefined {
    return this.workers.find((x) => {
      const last = x.tasks[x.tasks.length - 1];
      return (
        x.tasks.length < JOBS_PER_WORKER &&
        last !== undefined &&
        last.estateId === task.estateId &&
        last.job.environment === task.job.environment
      );
    });
  }

  private dispatchAhead(): void {
    if (this.aheadPending) return;
    this.aheadPending = true;
    setImmediate(() => {
      this.aheadPending = false;
      this.dispatch(true);
    });
  }

  /** Sends worker `w` an estate (serialized once for every worker); resolves once written. */
  private sendEstate(w: Worker, estateId: string, estate: Estate): Promise<void> {
    let bytes = this.estateBytes.get(estateId);
    if (bytes === undefined) {
      bytes = serialize(withoutColumns(estate));
      this.estateBytes.set(estateId, bytes);
    }
    const written = new Promise<void>((resolve) =>
      w.child.send({ type: "estate", id: estateId, bytes } satisfies ToWorker, () => resolve()),
    );
    w.estates.add(estateId);
    // Once every worker has it, the bytes go (a worker started later serializes it again).
    const holders = this.workers.filter((x) => x.estates.has(estateId)).length;
    if (holders >= this.options.size) this.estateBytes.delete(estateId);
    return written;
  }

  private start(w: Worker, task: Task): void {
    w.tasks.push(task);
    if (!w.estates.has(task.estateId)) void this.sendEstate(w, task.estateId, task.estate);
    task.onStart?.();
    this.send(w, {
      type: "job",
      seq: task.seq,
      estateId: task.estateId,
      job: task.job,
      ...(task.cache !== undefined ? { cache: task.cache } : {}),
      columns: columnsJson(task.estate, task.allColumns === true ? "all" : task.sliceSources),
    });
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
    const w: Worker = { index: this.spawned++, child, estates: new Set(), tasks: [] };
    this.workers.push(w);
    const forward = (chunk: Buffer): void => this.options.onOutput?.(chunk.toString());
    child.stdout?.on("data", forward);
    child.stderr?.on("data", forward);
    child.on("message", (m: FromWorker) => {
      const at = w.tasks.findIndex((t) => t.seq === m.seq);
      if (at < 0) return;
      const task = w.tasks[at];
      if (m.type === "progress") {
        this.options.onProgress?.(task.job.stack, m.recorded);
        return;
      }
      this.peakRss[w.index] = Math.max(this.peakRss[w.index] ?? 0, m.peakRssBytes);
      this.cpuMs[w.index] = m.cpuMs;
      w.tasks.splice(at, 1);
      if (m.outsideSlice !== undefined && task.allColumns !== true && task.job.shard === "core") {
        // A core's slice is its whole environment: again, with every table's columns, first.
        this.queue.unshift({ ...task, seq: ++this.seq, allColumns: true });
        this.dispatch();
        return;
      }
      task.resolve({ outcome: m.outcome, peakRssBytes: m.peakRssBytes, worker: w.index });
      // A prestarted worker that took a job before `warm` chose this process: done with it.
      if (this.mode === "here") this.stopIdle();
      this.dispatch();
    });
    child.on("exit", (code, signal) => {
      const i = this.workers.indexOf(w);
      if (i >= 0) this.workers.splice(i, 1);
      const [task, ...waiting] = w.tasks.splice(0);
      // The jobs it had not started go to another worker.
      for (const t of waiting) this.enqueue(t);
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
    this.estateBytes.clear();
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
            if (w.child.connected) w.child.disconnect();
          }),
      ),
    );
  }
}

/**
 * Parses many config files ({@link parseFile}), on worker threads as well as the calling thread
 * when there are enough of them: a cold load of a large tree spends most of its time there, one
 * file at a time, while the machine's other cores wait.
 *
 * The calling thread and the workers claim chunks of the list from a shared counter (so a worker
 * that starts late, or a busy core, simply takes fewer); a worker sends each chunk's results back
 * as a message (a structured clone: the results are plain data), and the caller, once no chunk is
 * left to claim, waits for those (blocking: the load is synchronous). Every result lands at its
 * file's index, so the caller sees the same results in the same order whoever parsed them.
 * Platform and environment files (a handful) are always parsed here: schema defaults may share
 * objects between them, which a copy from a worker would not.
 *
 * A worker that throws (in its own start-up or on a file) sends the error, which the caller
 * throws; one that dies without a word leaves its chunk undelivered, which the caller parses
 * itself after {@link STALL_MS}. Either way the caller never waits forever.
 */
import { availableParallelism } from "node:os";
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from "node:worker_threads";
import { parseFile, type FileJob, type FileKind, type ParsedFile } from "./parse-file";

/**
 * From this many files to parse on, worker threads share the work. Below it the thread's
 * start-up (its modules loaded: ~0.1 s compiled, ~0.5 s from sources through tsx, while this
 * thread parses ~1,000 files) would spare little or nothing (see the package README).
 */
export const THREADS_FROM = 4000;
/** Files per claim: small enough to share the tail evenly, large enough to post rarely. */
const CHUNK = 256;
/** A worker's claimed chunk still undelivered after this long is parsed by the caller. */
const STALL_MS = 30_000;

/** `ctl` slots: the next chunk to claim; how many messages the workers have posted. */
const NEXT = 0;
const POSTED = 1;

/** How {@link parseFiles} shares the work. */
export interface ParseFilesOptions {
  /** Hash each file's bytes as read (for the parse cache). */
  readonly hash: boolean;
  /** A file's bytes when already read (the tree index's), handed over once. */
  readonly given?: ((file: string) => Buffer | undefined) | undefined;
  /**
   * Worker threads: started early ({@link ParseThreads.start}, with the same `hash`), a number
   * to start now, or by default none below {@link THREADS_FROM} files to share, else
   * {@link defaultThreads}.
   */
  readonly threads?: ParseThreads | number | undefined;
  /** Leave every shared file to the workers, when there are any (tests). */
  readonly workersOnly?: boolean | undefined;
}

/** Each job's result, in the jobs' order, and how many files the workers parsed. */
export interface ParsedFiles {
  readonly results: readonly ParsedFile[];
  readonly onWorkers: number;
}

/** One worker per core besides this one, at most two (the load's other work is here). */
export const defaultThreads = (): number => Math.min(2, Math.max(0, availableParallelism() - 1));

/** What a worker is given (a plain object: it crosses threads). */
interface WorkerData {
  readonly root: string;
  readonly hash: boolean;
  readonly chunk: number;
  readonly ctl: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** A worker's message: one chunk's results, or why it stopped. */
type FromWorker =
  { readonly chunk: number; readonly results: readonly ParsedFile[] } | { readonly error: string };

/** Only these kinds are parsed on workers (see the module comment). */
const shareable = (kind: FileKind): boolean => kind !== "platform" && kind !== "environment";

/**
 * Parse workers started before the caller parses: a load of a large tree starts them, with the
 * list of its files, before it indexes the tree, so that they load their code and parse while
 * this thread reads and hashes (they read and hash the files they parse themselves).
 */
export class ParseThreads {
  private list: string | undefined;

  private constructor(
    readonly root: string,
    readonly hash: boolean,
    readonly ctl: Int32Array,
    readonly workers: readonly { readonly worker: Worker; readonly port: MessagePort }[],
  ) {}

  /**
   * Starts `count` workers parsing under `root` (none started: undefined); with `jobs`, they
   * start on those at once (the same jobs must then be given to {@link parseFiles}).
   */
  static start(
    root: string,
    hash: boolean,
    count: number,
    jobs?: readonly FileJob[],
  ): ParseThreads | undefined {
    const ctl = new Int32Array(new SharedArrayBuffer(2 * 4));
    const workers = startWorkers(root, hash, ctl, count);
    if (workers.length === 0) return undefined;
    const threads = new ParseThreads(root, hash, ctl, workers);
    if (jobs !== undefined) threads.share(listOf(jobs));
    return threads;
  }

  /** Hands the workers their list (once); false when they have another one already. */
  share(list: string): boolean {
    if (this.list !== undefined) return this.list === list;
    this.list = list;
    for (const w of this.workers) w.port.postMessage(list);
    return true;
  }

  /** Stops the workers (whatever they were doing: their results are not needed). */
  stop(): void {
    for (const w of this.workers) {
      w.port.close();
      void w.worker.terminate();
    }
  }
}

/** The shareable jobs as the workers' list: `kind\0dir\0file` per job, joined by `\0`. */
function listOf(jobs: readonly FileJob[]): string {
  return jobs
    .filter((j) => shareable(j.kind))
    .map((j) => `${j.kind}\0${j.dir}\0${j.file}`)
    .join("\0");
}

/** Parses every job (see the module comment); never throws for bad input, only for a bug. */
export function parseFiles(
  root: string,
  jobs: readonly FileJob[],
  options: ParseFilesOptions,
): ParsedFiles {
  const results: ParsedFile[] = new Array<ParsedFile>(jobs.length);
  const here = (i: number): void => {
    results[i] = parseFile(root, jobs[i], options.hash, options.given?.(jobs[i].file));
  };
  const shared: number[] = [];
  for (let i = 0; i < jobs.length; i++) if (shareable(jobs[i].kind)) shared.push(i);
  const chunks = Math.ceil(shared.length / CHUNK);
  const byCount = (): number => (shared.length >= THREADS_FROM ? defaultThreads() : 0);
  let asked = options.threads ?? byCount();
  if (
    typeof asked === "object" &&
    (asked.root !== root || asked.hash !== options.hash || !asked.share(listOf(jobs)))
  ) {
    // Started on other files (some turned out to be cached): of no use here.
    asked.stop();
    asked = byCount();
  }
  const threads =
    typeof asked !== "number"
      ? asked
      : asked > 0 && chunks > 0
        ? ParseThreads.start(root, options.hash, asked, jobs)
        : undefined;
  try {
    const ctl = threads?.ctl ?? new Int32Array(2);
    const workers = threads?.workers ?? [];
    for (let i = 0; i < jobs.length; i++) if (!shareable(jobs[i].kind)) here(i);
    // 1 where a chunk's results are in hand, parsed here or received.
    const mine = new Uint8Array(chunks);
    let done = 0;
    let onWorkers = 0;
    let progress = Date.now();
    const doChunk = (c: number): void => {
      for (let k = c * CHUNK; k < Math.min(shared.length, (c + 1) * CHUNK); k++) here(shared[k]);
      mine[c] = 1;
      done++;
    };
    const accept = (m: FromWorker): void => {
      if ("error" in m) throw new Error(`a config parsing thread failed: ${m.error}`);
      if (mine[m.chunk] === 1) return; // parsed here after a stall
      const from = m.chunk * CHUNK;
      for (let k = 0; k < m.results.length; k++) results[shared[from + k]] = m.results[k];
      // Their bytes, if the index kept them, are not needed any more.
      for (let k = 0; k < m.results.length; k++) options.given?.(jobs[shared[from + k]].file);
      mine[m.chunk] = 1;
      done++;
      onWorkers += m.results.length;
      progress = Date.now();
    };
    const drain = (): boolean => {
      let got = false;
      for (const w of workers) {
        for (
          let m = receiveMessageOnPort(w.port);
          m !== undefined;
          m = receiveMessageOnPort(w.port)
        ) {
          accept(m.message as FromWorker);
          got = true;
        }
      }
      return got;
    };
    while (options.workersOnly !== true || workers.length === 0) {
      const c = Atomics.add(ctl, NEXT, 1);
      if (c >= chunks) break;
      doChunk(c);
      // The workers' results as they come (not all at the end: one burst of long-lived
      // objects makes long garbage collections, and their messages wait in memory meanwhile).
      drain();
    }
    while (done < chunks) {
      const seen = Atomics.load(ctl, POSTED);
      if (drain()) continue;
      const left = progress + STALL_MS - Date.now();
      if (left > 0) {
        Atomics.wait(ctl, POSTED, seen, left);
        continue;
      }
      // A worker died holding chunks: parse them here (its late messages are ignored).
      for (let c = 0; c < chunks; c++) if (mine[c] === 0) doChunk(c);
    }
    // A worker that failed to start claimed nothing, but says why: a bug to surface too.
    drain();
    return { results, onWorkers };
  } finally {
    threads?.stop();
  }
}

/** Starts `count` workers waiting for their list; none when a worker cannot be started at all. */
function startWorkers(
  root: string,
  hash: boolean,
  ctl: Int32Array,
  count: number,
): { worker: Worker; port: MessagePort }[] {
  const fromSource = __filename.endsWith(".ts");
  let tsx = "";
  try {
    if (fromSource) tsx = require.resolve("tsx/cjs/api");
  } catch {
    return []; // sources run by something else than tsx or jest: parsed on this thread only
  }
  // From sources (tsx, jest), the worker compiles this very module through tsx's CommonJS hook;
  // compiled, it requires the .js next to it. A plain script either way, so a failure to load
  // the module is caught and reported like any other.
  const bootstrap = `
const { workerData: d } = require("node:worker_threads");
try {
  ${fromSource ? `require(${JSON.stringify(tsx)}).register();` : ""}
  require(${JSON.stringify(__filename)}).parseWorker(d);
} catch (e) {
  d.port.postMessage({ error: String((e && e.stack) || e) });
  const ctl = new Int32Array(d.ctl);
  Atomics.add(ctl, ${POSTED}, 1);
  Atomics.notify(ctl, ${POSTED});
}
`;
  const started: { worker: Worker; port: MessagePort }[] = [];
  for (let n = 0; n < count; n++) {
    const { port1, port2 } = new MessageChannel();
    const data: WorkerData = {
      root,
      hash,
      chunk: CHUNK,
      ctl: ctl.buffer as SharedArrayBuffer,
      port: port2,
    };
    try {
      const worker = new Worker(bootstrap, {
        eval: true,
        // Sources resolve workspace packages through the "@hdp/source" condition; compiled code
        // needs no flag, and none of the host's (a debugger's, a profiler's) is inherited.
        execArgv: fromSource ? ["--conditions=@hdp/source"] : [],
        workerData: data,
        transferList: [port2],
      });
      worker.unref();
      // Errors arrive as messages (see the bootstrap); a crash leaves a stall (see STALL_MS).
      worker.on("error", () => undefined);
      started.push({ worker, port: port1 });
    } catch {
      port1.close();
    }
  }
  return started;
}

/** A worker: waits for its list, then claims chunks of it and posts their results. */
export function parseWorker(d: WorkerData): void {
  d.port.once("message", (list: string) => {
    try {
      work(d, list);
    } catch (e) {
      d.port.postMessage({ error: String((e as Error).stack ?? e) } satisfies FromWorker);
      signal(new Int32Array(d.ctl));
    }
  });
}

function signal(ctl: Int32Array): void {
  Atomics.add(ctl, POSTED, 1);
  Atomics.notify(ctl, POSTED);
}

function work(d: WorkerData, list: string): void {
  const fields = list.split("\0");
  const jobs: FileJob[] = [];
  for (let i = 0; i + 2 < fields.length; i += 3) {
    jobs.push({ kind: fields[i] as FileKind, dir: fields[i + 1], file: fields[i + 2] });
  }
  const ctl = new Int32Array(d.ctl);
  const chunks = Math.ceil(jobs.length / d.chunk);
  for (;;) {
    const c = Atomics.add(ctl, NEXT, 1);
    if (c >= chunks) break;
    const results: ParsedFile[] = [];
    for (let k = c * d.chunk; k < Math.min(jobs.length, (c + 1) * d.chunk); k++) {
      results.push(parseFile(d.root, jobs[k], d.hash));
    }
    d.port.postMessage({ chunk: c, results } satisfies FromWorker);
    signal(ctl);
  }
}

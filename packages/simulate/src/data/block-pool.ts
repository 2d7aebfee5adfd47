/**
 * Runs block tasks on worker threads (`block-worker.ts`), round robin, or in this thread when
 * the pool has no threads. Results come back as promises in the order the caller asks for them;
 * since every block draws from its own random stream, the bytes do not depend on the number of
 * threads or on timing. From sources the workers load TypeScript through tsx, as `pnpm hdp` does.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { prepareTable, type BlockResult, type BlockTask, type TableSpec } from "./blocks";
import type { FromBlockWorker, ToBlockWorker } from "./block-worker";

/**
 * A worker thread generating rows died (crashed, ran out of memory, was killed) before it
 * finished its blocks: the run cannot complete. One line for the user.
 */
export class BlockWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BlockWorkerError";
  }
}

export interface BlockPool {
  /** Worker threads (0: this thread). */
  readonly threads: number;
  /** Registers a table; its id goes with each of its tasks. */
  table(spec: TableSpec): Promise<number>;
  run(table: number, task: BlockTask): Promise<BlockResult>;
  /** Drops a table once its blocks are done. */
  forget(table: number): void;
  close(): Promise<void>;
}

/** The pool's threads: what `threads` asks for (0: this thread only). */
export function blockPool(threads: number): BlockPool {
  return threads > 0 ? threadPool(threads) : inThread();
}

function inThread(): BlockPool {
  const tables: (((task: BlockTask) => BlockResult) | undefined)[] = [];
  return {
    threads: 0,
    async table(spec) {
      tables.push(await prepareTable(spec));
      return tables.length - 1;
    },
    run: (table, task) => Promise.resolve(tables[table]!(task)),
    forget(table) {
      tables[table] = undefined;
    },
    close: () => Promise.resolve(),
  };
}

/**
 * A larger young generation than V8's default for the workers: a block's values live until the
 * block is encoded, and garbage collection was a quarter of a worker's time (see the README).
 */
const YOUNG_MB = 64;

function startWorker(): Worker {
  const file = join(__dirname, `block-worker${__filename.endsWith(".ts") ? ".ts" : ".js"}`);
  const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_MB };
  if (!__filename.endsWith(".ts")) return new Worker(file, { resourceLimits });
  // From sources (tests, `pnpm hdp`): tsx compiles the worker's TypeScript.
  const tsx = require.resolve("tsx/cjs/api");
  return new Worker(
    `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(file)});`,
    { eval: true, resourceLimits },
  );
}

function threadPool(threads: number): BlockPool {
  const workers = Array.from({ length: threads }, startWorker);
  const pending = new Map<
    number,
    { resolve: (r: BlockResult) => void; reject: (e: Error) => void }
  >();
  let failure: Error | undefined;
  let closing = false;
  const fail = (e: Error): void => {
    if (closing) return;
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  for (const w of workers) {
    w.on("message", (m: FromBlockWorker) => {
      const p = pending.get(m.seq);
      pending.delete(m.seq);
      if (m.type === "result") p?.resolve(m.result);
      else p?.reject(new Error(`block worker: ${m.message}`));
    });
    w.on("error", (e) =>
      fail(new BlockWorkerError(`a worker thread generating rows failed: ${e.message}`)),
    );
    // Any exit before close() is a death mid-run, even with code 0: its blocks never come back.
    w.on("exit", (code) =>
      fail(
        new BlockWorkerError(
          `a worker thread generating rows died (exit code ${code}) before finishing its blocks`,
        ),
      ),
    );
  }
  let tables = 0;
  let seq = 0;
  return {
    threads,
    table(spec) {
      const id = tables++;
      const m: ToBlockWorker = { type: "table", id, spec };
      for (const w of workers) w.postMessage(m);
      return Promise.resolve(id);
    },
    run(table, task) {
      if (failure !== undefined) return Promise.reject(failure);
      const s = seq++;
      const m: ToBlockWorker = { type: "block", seq: s, table, task };
      return new Promise<BlockResult>((resolve, reject) => {
        pending.set(s, { resolve, reject });
        workers[s % workers.length].postMessage(m);
      });
    },
    forget(table) {
      const m: ToBlockWorker = { type: "forget", table };
      for (const w of workers) w.postMessage(m);
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

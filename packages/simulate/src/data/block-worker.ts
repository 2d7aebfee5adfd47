/**
 * A worker thread of `block-pool.ts`: prepares the tables it is sent and answers each block
 * task with the encoded block (its bytes moved, not copied), in the order the tasks came.
 */
import { parentPort } from "node:worker_threads";
import { prepareTable, type BlockResult, type BlockTask, type TableSpec } from "./blocks";

export type ToBlockWorker =
  | { readonly type: "table"; readonly id: number; readonly spec: TableSpec }
  | { readonly type: "forget"; readonly table: number }
  | {
      readonly type: "block";
      readonly seq: number;
      readonly table: number;
      readonly task: BlockTask;
    };

export type FromBlockWorker =
  | { readonly type: "result"; readonly seq: number; readonly result: BlockResult }
  | { readonly type: "error"; readonly seq: number; readonly message: string };

const port = parentPort;
if (port !== null) {
  const tables = new Map<number, Promise<(task: BlockTask) => BlockResult>>();
  // Messages are handled one after another (a table is prepared before its blocks run).
  let queue: Promise<void> = Promise.resolve();
  port.on("message", (m: ToBlockWorker) => {
    queue = queue.then(async () => {
      if (m.type === "table") {
        const prepared = prepareTable(m.spec);
        prepared.catch(() => undefined);
        tables.set(m.id, prepared);
        return;
      }
      if (m.type === "forget") {
        tables.delete(m.table);
        return;
      }
      try {
        const run = await tables.get(m.table)!;
        const result = run(m.task);
        const reply: FromBlockWorker = { type: "result", seq: m.seq, result };
        port.postMessage(reply, [
          ...new Set(result.block.bytes.map((b) => b.buffer as ArrayBuffer)),
        ]);
      } catch (e) {
        const reply: FromBlockWorker = {
          type: "error",
          seq: m.seq,
          message: e instanceof Error ? (e.stack ?? e.message) : String(e),
        };
        port.postMessage(reply);
      }
    });
  });
}

/** Where files go: a local directory or an S3 prefix (`s3-target.ts`), streamed with back-pressure. */
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Sink } from "./writers";

export interface Target {
  /** A sink for a path relative to the target root. */
  open(path: string): Promise<Sink>;
  /** Where a path ends up, for messages. */
  describe(path: string): string;
  /** True when nothing is there yet (a new or empty directory, a prefix without objects). */
  isEmpty(): Promise<boolean>;
  /** Waits until every file is complete (uploads still in flight); after the last close. */
  finish(): Promise<void>;
  /**
   * After a failed run: drops every file not yet closed, so none is left under its name half
   * written (a local file is written beside it under a temporary name until it is closed; an
   * upload is aborted). Files closed before stay: they are whole.
   */
  abort(): Promise<void>;
}

/** A target that cannot be written (no credentials, no bucket, a directory it cannot create): one line for the user. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetError";
  }
}

const fsFailure = (e: unknown, path: string): TargetError =>
  new TargetError(
    `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
  );

/**
 * Local files, each written beside its final name and renamed over it when closed. This is the
 * temp-file + rename of @hdp/config's `replaceFile`, kept here by hand because `replaceFile`
 * does not fit a streaming sink: it writes a whole file in one synchronous call from an
 * iterable it pulls, while a sink is pushed chunks asynchronously over the file's life (with
 * back-pressure), several files are open at once, and `abort()` must drop the unfinished ones.
 * Feeding it would mean holding a whole file in memory (a raw file may be larger than that).
 */
export function localTarget(root: string): Target {
  /** Files being written: each under a temporary name beside its own until it is closed. */
  const open = new Map<string, { stream: ReturnType<typeof createWriteStream>; full: string }>();
  return {
    open(path) {
      const full = join(root, path);
      try {
        mkdirSync(dirname(full), { recursive: true });
      } catch (e) {
        return Promise.reject(fsFailure(e, full));
      }
      // A dot name: Spark and the pipelines skip it, and nothing reads it as a part file.
      const temp = join(dirname(full), `.${basename(full)}.${process.pid}.tmp`);
      const stream = createWriteStream(temp);
      open.set(temp, { stream, full });
      const failed = new Promise<never>((_, reject) =>
        stream.once("error", (e) => reject(fsFailure(e, full))),
      );
      failed.catch(() => undefined);
      return Promise.resolve({
        async write(chunk) {
          if (!stream.write(chunk))
            await Promise.race([new Promise<void>((r) => stream.once("drain", () => r())), failed]);
        },
        async close() {
          await Promise.race([new Promise<void>((r) => stream.end(() => r())), failed]);
          try {
            renameSync(temp, full);
          } catch (e) {
            throw fsFailure(e, full);
          } finally {
            open.delete(temp);
          }
        },
      });
    },
    describe: (path) => join(root, path),
    isEmpty: () => Promise.resolve(!existsSync(root) || readdirSync(root).length === 0),
    finish: () => Promise.resolve(),
    abort() {
      for (const [temp, { stream }] of open) {
        stream.destroy();
        rmSync(temp, { force: true });
      }
      open.clear();
      return Promise.resolve();
    },
  };
}

/** Where files go: a local directory or an S3 prefix (`s3-target.ts`), streamed with back-pressure. */
import { createWriteStream, existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
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

export function localTarget(root: string): Target {
  return {
    open(path) {
      const full = join(root, path);
      try {
        mkdirSync(dirname(full), { recursive: true });
      } catch (e) {
        return Promise.reject(fsFailure(e, full));
      }
      const stream = createWriteStream(full);
      const failed = new Promise<never>((_, reject) =>
        stream.once("error", (e) => reject(fsFailure(e, full))),
      );
      failed.catch(() => undefined);
      return Promise.resolve({
        async write(chunk) {
          if (!stream.write(chunk))
            await Promise.race([new Promise<void>((r) => stream.once("drain", () => r())), failed]);
        },
        close: () => Promise.race([new Promise<void>((r) => stream.end(() => r())), failed]),
      });
    },
    describe: (path) => join(root, path),
    isEmpty: () => Promise.resolve(!existsSync(root) || readdirSync(root).length === 0),
    finish: () => Promise.resolve(),
  };
}

/** Where files go: a local directory (streams, respecting back-pressure). */
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Sink } from "./writers";

export interface Target {
  /** A sink for a path relative to the target root. */
  open(path: string): Promise<Sink>;
  /** Where a path ends up, for messages. */
  describe(path: string): string;
}

export function localTarget(root: string): Target {
  return {
    open(path) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      const stream = createWriteStream(full);
      const failed = new Promise<never>((_, reject) => stream.once("error", reject));
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
  };
}

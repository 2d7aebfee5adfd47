/**
 * Replacing a file all or nothing: its bytes go to a temporary file beside it, which is then
 * renamed over it, so a concurrent reader sees the old or the new file, never a part. The one
 * place that does this: the caches here (`writeAtomically`, where a failure is no error) and
 * the CLI's output files (`replaceFile`, where it is).
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes `pieces` one after another into a temporary file beside `file` (never joined into one
 * string: an output may be larger than V8's longest string), then renames it over `file`.
 * Throws the first failure — of the file system, or of `pieces` itself — after removing the
 * temporary file; `file` is then as it was. The directory must exist.
 */
export function replaceFile(file: string, pieces: Iterable<string | Uint8Array>): void {
  const temp = join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = openSync(temp, "w");
    for (const p of pieces) {
      if (typeof p === "string") writeSync(fd, p);
      else writeSync(fd, p);
    }
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * {@link replaceFile} for a cache: creates the directory, and a file that cannot be written is
 * no error (it is a cache): false, and nothing left behind. `data` may come in pieces, written
 * one after another (a header and a large body need no copy joining them).
 */
export function writeAtomically(
  file: string,
  data: string | Uint8Array | readonly (string | Uint8Array)[],
): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    replaceFile(file, typeof data === "string" || data instanceof Uint8Array ? [data] : data);
    return true;
  } catch {
    return false;
  }
}

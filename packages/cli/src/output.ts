/**
 * The one door for what a command writes (`--json`, `--markdown`, `--policy-json`, …), piece by
 * piece (`hdp plan --json` of the health-system preset is 2.46 GB, beyond V8's longest string):
 * `-` is stdout, with backpressure; a device or pipe given by path (`/dev/stdout`, a FIFO) is
 * written as it is; a file is replaced all or nothing (@hdp/config's `replaceFile`: a temporary
 * file beside it, then a rename). No piece is joined to another.
 */
import { createWriteStream, statSync } from "node:fs";
import { resolve } from "node:path";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { replaceFile } from "@hdp/config/tree-index";
import { CliError, EXIT } from "./exit-codes";
import { displayPath } from "./paths";

/** Where pieces go when the target is `-`: a stream (backpressure respected) or a function. */
export type StdoutTarget = Writable | ((text: string) => void);

/** How a write ended: every piece written, or the reader closed the pipe first. */
export type OutputEnd = "complete" | "reader-closed";

/**
 * Writes `pieces` to `file` (relative to `cwd`; `-` is stdout); one string is one piece. A file
 * is written through a temporary file and renamed, so a reader never sees half of it; a path
 * that exists and is not a regular file (a FIFO, `/dev/stdout`) is written in place. A reader
 * that closes the pipe early (`| head`) ends the write quietly ("reader-closed"): that is its
 * choice, not an error. Anything else that cannot be written is a {@link CliError} (exit 1)
 * naming the option and the reason, e.g. `cannot write --json out/plan.json: no such directory`.
 */
export async function writeOutput(
  option: string,
  file: string,
  pieces: string | Iterable<string>,
  cwd: string,
  stdout: StdoutTarget,
): Promise<OutputEnd> {
  const all = typeof pieces === "string" ? [pieces] : pieces;
  if (file === "-") {
    if (typeof stdout === "function") {
      for (const p of all) if (p.length > 0) stdout(p);
      return "complete";
    }
    return toStream(option, "stdout", stdout, all, false);
  }
  const target = resolve(cwd, file);
  const shown = displayPath(target, cwd);
  const existing = statSync(target, { throwIfNoEntry: false });
  if (existing !== undefined && !existing.isFile() && !existing.isDirectory()) {
    // A device or a named pipe: a temporary file beside it (in /dev) and a rename would replace it.
    return toStream(option, shown, createWriteStream(target, { flags: "w" }), all, true);
  }
  try {
    replaceFile(target, all);
    return "complete";
  } catch (e) {
    throw new CliError(`cannot write ${option} ${shown}: ${writeFailure(e)}`, EXIT.problems);
  }
}

/** Closed by the reader: a broken pipe, or the stream gone before the last piece went in. */
const readerClosed = (e: unknown): boolean => {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === "EPIPE" || code === "ERR_STREAM_PREMATURE_CLOSE";
};

function* nonEmpty(pieces: Iterable<string>): Generator<string> {
  for (const p of pieces) if (p.length > 0) yield p;
}

/** The pieces into `stream`, one write each, waiting for it to drain when it is full. */
async function toStream(
  option: string,
  shown: string,
  stream: Writable,
  pieces: Iterable<string>,
  end: boolean,
): Promise<OutputEnd> {
  try {
    await pipeline(Readable.from(nonEmpty(pieces)), stream, { end });
    return "complete";
  } catch (e) {
    if (readerClosed(e)) return "reader-closed";
    throw new CliError(`cannot write ${option} ${shown}: ${writeFailure(e)}`, EXIT.problems);
  }
}

/** Why a write failed, in words (`no such directory`, `permission denied`, …). */
export function writeFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "no such directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a directory";
    case "ENOTDIR":
      return "a parent is not a directory";
    case "EROFS":
      return "read-only file system";
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

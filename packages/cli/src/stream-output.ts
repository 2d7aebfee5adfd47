/**
 * Output too large for one string (`hdp plan --json` of the health-system preset is 2.46 GB,
 * beyond V8's longest string), written piece by piece: to stdout (`-`) with backpressure, to a
 * device or pipe given by path (`/dev/stdout`) as it is, or to a file all or nothing (a
 * temporary file beside it, then a rename). No piece is joined to another.
 */
import {
  closeSync,
  createWriteStream,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Writable } from "node:stream";
import { CliError, EXIT } from "./exit-codes";
import { displayPath } from "./paths";
import { writeFailure } from "./output";

/** Where pieces go when the target is `-`: a stream (backpressure respected) or a function. */
export type StdoutTarget = Writable | ((text: string) => void);

/** How a piece-by-piece write ended: every piece written, or the reader closed the pipe first. */
export type StreamEnd = "complete" | "reader-closed";

/**
 * Writes `pieces` to `file` (relative to `cwd`; `-` is stdout). A file is written through a
 * temporary file and renamed, so a reader never sees half of it; a path that exists and is not
 * a regular file (a FIFO, `/dev/stdout`) is written in place. A reader that closes the pipe
 * early (`| head`) ends the write quietly ("reader-closed"): that is its choice, not an error.
 * Anything else that cannot be written is a {@link CliError} (exit 1) naming the option.
 */
export async function writePieces(
  option: string,
  file: string,
  pieces: Iterable<string>,
  cwd: string,
  stdout: StdoutTarget,
): Promise<StreamEnd> {
  if (file === "-") {
    if (typeof stdout === "function") {
      for (const p of pieces) if (p.length > 0) stdout(p);
      return "complete";
    }
    return toStream(option, "stdout", stdout, pieces, false);
  }
  const target = resolve(cwd, file);
  const shown = displayPath(target, cwd);
  const existing = statSync(target, { throwIfNoEntry: false });
  if (existing !== undefined && !existing.isFile() && !existing.isDirectory()) {
    // A device or a named pipe: a temporary file beside it (in /dev) and a rename would replace it.
    const stream = createWriteStream(target, { flags: "w" });
    try {
      await opened(stream);
    } catch (e) {
      throw new CliError(`cannot write ${option} ${shown}: ${writeFailure(e)}`, EXIT.problems);
    }
    return toStream(option, shown, stream, pieces, true);
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "w");
    for (const p of pieces) writeSync(fd, p);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
    return "complete";
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    if (e instanceof CliError) throw e;
    throw new CliError(`cannot write ${option} ${shown}: ${writeFailure(e)}`, EXIT.problems);
  }
}

const opened = (stream: Writable & { pending?: boolean }): Promise<void> =>
  new Promise((res, rej) => {
    stream.once("ready", () => res());
    stream.once("error", rej);
  });

/** Closed by the reader: a broken pipe, or the stream gone before it drained. */
const readerClosed = (e: unknown): boolean =>
  (e as NodeJS.ErrnoException | undefined)?.code === "EPIPE" || e === CLOSED;
const CLOSED = new Error("the output closed before it drained");

/** Resolves when `stream` drains; rejects on an error, or {@link CLOSED} if it closes first. */
function drained(stream: Writable): Promise<void> {
  return new Promise((res, rej) => {
    const done = (e?: Error): void => {
      stream.off("drain", onDrain);
      stream.off("error", onError);
      stream.off("close", onClose);
      if (e === undefined) res();
      else rej(e);
    };
    const onDrain = (): void => done();
    const onError = (e: Error): void => done(e);
    const onClose = (): void => done(CLOSED);
    stream.on("drain", onDrain);
    stream.on("error", onError);
    stream.on("close", onClose);
  });
}

async function toStream(
  option: string,
  shown: string,
  stream: Writable,
  pieces: Iterable<string>,
  end: boolean,
): Promise<StreamEnd> {
  // An error between writes (EPIPE arrives asynchronously) is seen at the next wait.
  let failure: Error | undefined;
  const onError = (e: Error): void => {
    failure ??= e;
  };
  stream.on("error", onError);
  try {
    for (const p of pieces) {
      if (failure !== undefined) throw failure;
      if (stream.destroyed || stream.writableEnded) throw CLOSED;
      if (p.length > 0 && !stream.write(p)) await drained(stream);
    }
    if (failure !== undefined) throw failure;
    if (end) {
      await new Promise<void>((res, rej) => {
        stream.once("error", rej);
        stream.end(() => res());
      });
    }
    return "complete";
  } catch (e) {
    if (end) stream.destroy();
    if (readerClosed(e)) return "reader-closed";
    throw new CliError(`cannot write ${option} ${shown}: ${writeFailure(e)}`, EXIT.problems);
  } finally {
    stream.off("error", onError);
  }
}

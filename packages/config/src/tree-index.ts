/**
 * The content hashes of a config tree, for caches that must never give a stale answer: every
 * file the loader reads is named with the SHA-256 of its bytes, and the tree with one digest
 * over its layout and those hashes. Equal digests mean the loader would read the same bytes.
 *
 * Reading and hashing 100,000 files costs seconds; a stat costs microseconds. So a manifest
 * remembers, per file, its stat (size, mtime, ctime, inode, device) and the
 * hash of the bytes seen with it, and a file whose stat is unchanged is not read again — the
 * approach git's index takes. Two rules keep that sound:
 * - ctime is part of the key: any write, and even a `touch -d` that restores an old mtime, sets
 *   ctime to the current time, which no user-level call can set back;
 * - "racily clean" files are always re-read: a file whose mtime or ctime is not clearly older
 *   than the start of the scan that recorded it (within {@link RACY_MARGIN_NS}, wider than any
 *   filesystem's timestamp granularity) could have been written again in the same clock tick
 *   after its stat, so its recorded stat proves nothing.
 * A manifest that cannot be read or is of another format is ignored, never trusted.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { discover, type Discovered } from "./discover";
import { writeAtomically } from "./replace-file";

export { replaceFile, writeAtomically } from "./replace-file";
export { codeLocation, dependencyVersion, hashPackageCode } from "./code-digest";
// The ingest code's raw parsers manifest: validation answers depend on it (warm-cache keys).
export { rawTablesDigest } from "./raw-tables";

/** Bumped whenever the manifest's meaning changes: other formats are ignored. */
const MANIFEST_FORMAT = "hdp-tree-index-4";
/** Files changed this close to (or after) the recording scan's start are always re-read. */
export const RACY_MARGIN_NS = 2_000_000_000n;

export interface TreeIndex {
  /** Absolute configs directory. */
  readonly root: string;
  /** The files the loader will read, as {@link discover} finds them (errors included). */
  readonly discovered: Discovered;
  /** SHA-256 (hex) of each discovered file's bytes; a file that cannot be read has none. */
  readonly hashes: ReadonlyMap<string, string>;
  /** Digest of the root, the layout (discovery errors included) and every file's hash. */
  readonly digest: string;
  /** Files whose bytes were read and hashed in this scan (the rest came from the manifest). */
  readonly reread: number;
  /** Files stat-ed on the worker thread (0: all on the calling thread). */
  readonly statsOnWorker: number;
  /**
   * With {@link IndexOptions.keepBytes}: the bytes this scan read and hashed of `file`, handed
   * over once (later calls, and files the scan did not read, give undefined).
   */
  takeBytes?(file: string): Buffer | undefined;
}

/** Numbers recorded per file: size, mtime and ctime (milliseconds, doubles), inode, device. */
const FIELDS = 5;
const HASH_BYTES = 32;
/** The manifest stores doubles little-endian: on such a machine, as the bytes in memory. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/**
 * The manifest as read: the files in recorded order, their stats (FIELDS numbers each) and
 * hashes (HASH_BYTES each). Lookup is by position when this scan discovers the very same list
 * of files (the usual case: one string comparison), else by name.
 */
interface Manifest {
  readonly scanStart: bigint;
  readonly paths: string;
  readonly stats: Float64Array;
  readonly hashes: Buffer;
}

/** Every file the loader reads, in the loader's order. */
export function discoveredFiles(d: Discovered): string[] {
  const files: string[] = [];
  if (d.platformFile !== undefined) files.push(d.platformFile);
  files.push(...d.environmentFiles);
  for (const s of d.sourceDirs) {
    if (s.sourceFile !== undefined) files.push(s.sourceFile);
    files.push(...s.tableFiles);
  }
  return files;
}

/** How {@link startIndexTree} stats the files. */
export interface IndexOptions {
  /**
   * From this many files on, a worker thread stats files alongside the calling thread (they
   * claim chunks of the list from a shared counter). Default {@link PARALLEL_FROM}; `Infinity`
   * never, 0 always (tests).
   */
  readonly parallelFrom?: number;
  /**
   * Keep the bytes of the files this scan reads, for a caller about to read them all again
   * (the loader, on a cold cache: one read of each file instead of two): see
   * {@link TreeIndex.takeBytes}. They stay in memory until taken (115 MB at the full preset).
   */
  readonly keepBytes?: boolean;
}

/** A tree index under way: {@link PendingIndex.finish} completes it (once; later calls return it). */
export interface PendingIndex {
  readonly root: string;
  /** The files the loader will read, as listed (the index hashes these). */
  readonly discovered: Discovered;
  finish(): TreeIndex;
}

/** Below this many files a worker thread costs more than it spares. */
export const PARALLEL_FROM = 8192;
/** Files per claim: small enough to share the tail evenly, large enough to claim rarely. */
const CHUNK = 512;
/** A worker's chunk still unfinished after this long is stat-ed again by the caller. */
const STALL_MS = 10_000;

/** A file's stat result in `kinds` (0: not stat-ed yet): a regular file, anything else. */
const FILE = 1;
const NOT_A_FILE = 2;

/**
 * The worker's code (a script, so it needs no TypeScript loader): it claims chunks from
 * `ctl[0]`, stats their files into the shared arrays as {@link statRange} does, and marks each
 * chunk done in `done`. Only stat results cross: hashing and every decision stay with the caller.
 */
const WORKER = `
const { statSync } = require("node:fs");
const { workerData: d } = require("node:worker_threads");
const files = d.files.split(d.separator);
const stats = new Float64Array(d.stats);
const kinds = new Uint8Array(d.kinds);
const ctl = new Int32Array(d.ctl);
const done = new Int32Array(d.done);
for (;;) {
  const c = Atomics.add(ctl, 0, 1);
  const from = c * d.chunk;
  if (from >= files.length) break;
  const to = Math.min(files.length, from + d.chunk);
  for (let i = from; i < to; i++) {
    try {
      const st = statSync(d.root + "/" + files[i], { throwIfNoEntry: false });
      if (st !== undefined && st.isFile()) {
        const o = i * ${FIELDS};
        stats[o] = st.size;
        stats[o + 1] = st.mtimeMs;
        stats[o + 2] = st.ctimeMs;
        stats[o + 3] = st.ino;
        stats[o + 4] = st.dev;
        kinds[i] = ${FILE};
      } else kinds[i] = ${NOT_A_FILE};
    } catch {
      kinds[i] = ${NOT_A_FILE};
    }
  }
  Atomics.store(done, c, 1);
  Atomics.notify(done, c);
}
`;

/** Stats `files[from..to)` into `stats` and `kinds` (the calling thread's copy of {@link WORKER}). */
function statRange(
  root: string,
  files: readonly string[],
  from: number,
  to: number,
  stats: Float64Array,
  kinds: Uint8Array,
): void {
  for (let i = from; i < to; i++) {
    try {
      // Milliseconds as doubles (sub-microsecond steps today): bigint stats cost twice as much.
      const st = statSync(`${root}/${files[i]}`, { throwIfNoEntry: false });
      if (st?.isFile() === true) {
        const o = i * FIELDS;
        stats[o] = st.size;
        stats[o + 1] = st.mtimeMs;
        stats[o + 2] = st.ctimeMs;
        stats[o + 3] = st.ino;
        stats[o + 4] = st.dev;
        kinds[i] = FILE;
      } else kinds[i] = NOT_A_FILE;
    } catch {
      kinds[i] = NOT_A_FILE;
    }
  }
}

/** Stats under way: `finish(names)` completes them (`names`: the listed files, in order). */
interface PendingStats {
  finish(names: readonly string[]): { stats: Float64Array; kinds: Uint8Array; onWorker: number };
  cancel(): void;
}

/**
 * Stats `count` files (`joined` by `separator`), on a worker thread as well when `parallel`:
 * the worker starts now and claims chunks while the caller does other work; `finish()` claims
 * the rest on the calling thread and waits for the worker's chunks (a chunk the worker leaves
 * unfinished is stat-ed again here, so a dead worker costs time, never an answer). The stats
 * come FIELDS per file.
 */
function startStats(
  root: string,
  joined: string,
  separator: "\n" | "\0",
  count: number,
  parallel: boolean,
): PendingStats {
  const n = count;
  const chunks = Math.ceil(n / CHUNK);
  let worker: Worker | undefined;
  let shared: { stats: Float64Array; kinds: Uint8Array; ctl: Int32Array; done: Int32Array };
  if (parallel && n > 0) {
    shared = {
      stats: new Float64Array(new SharedArrayBuffer(n * FIELDS * 8)),
      kinds: new Uint8Array(new SharedArrayBuffer(n)),
      ctl: new Int32Array(new SharedArrayBuffer(4)),
      done: new Int32Array(new SharedArrayBuffer(chunks * 4)),
    };
    try {
      worker = new Worker(WORKER, {
        eval: true,
        // No TypeScript loader, no inherited flags: the script is plain JavaScript.
        execArgv: [],
        workerData: {
          root,
          files: joined,
          separator,
          chunk: CHUNK,
          stats: shared.stats.buffer,
          kinds: shared.kinds.buffer,
          ctl: shared.ctl.buffer,
          done: shared.done.buffer,
        },
      });
      worker.unref();
      // A worker that fails leaves its chunks undone: finish() stats them itself.
      worker.on("error", () => undefined);
    } catch {
      worker = undefined;
    }
  } else {
    shared = {
      stats: new Float64Array(0),
      kinds: new Uint8Array(0),
      ctl: new Int32Array(1),
      done: new Int32Array(chunks),
    };
  }
  const cancel = (): void => {
    Atomics.store(shared.ctl, 0, chunks); // no more claims
    void worker?.terminate();
  };
  const finish = (files: readonly string[]) => {
    const { ctl, done } = shared;
    // The caller's own results go to arrays of its own, so a late worker never overwrites them.
    const stats = new Float64Array(n * FIELDS);
    const kinds = new Uint8Array(n);
    const mine = new Uint8Array(chunks);
    let onWorker = 0;
    for (;;) {
      const c = Atomics.add(ctl, 0, 1);
      if (c >= chunks) break;
      statRange(root, files, c * CHUNK, Math.min(n, (c + 1) * CHUNK), stats, kinds);
      mine[c] = 1;
    }
    for (let c = 0; c < chunks; c++) {
      if (mine[c] === 1) continue;
      const from = c * CHUNK;
      const to = Math.min(n, from + CHUNK);
      const deadline = Date.now() + STALL_MS;
      while (worker !== undefined && Atomics.load(done, c) === 0 && Date.now() < deadline) {
        Atomics.wait(done, c, 0, Math.max(1, deadline - Date.now()));
      }
      if (worker !== undefined && Atomics.load(done, c) === 1) {
        stats.set(shared.stats.subarray(from * FIELDS, to * FIELDS), from * FIELDS);
        kinds.set(shared.kinds.subarray(from, to), from);
        onWorker += to - from;
      } else statRange(root, files, from, to, stats, kinds);
    }
    void worker?.terminate();
    return { stats, kinds, onWorker };
  };
  return { finish, cancel };
}

/**
 * Indexes the tree under `root` (absolute). With `manifestFile`, unchanged files (see the
 * module comment) are not read again, and the manifest is rewritten (atomically) when this scan
 * learnt something. Never throws for a broken tree: unreadable files simply have no hash.
 */
export function indexTree(root: string, manifestFile?: string, options?: IndexOptions): TreeIndex {
  return startIndexTree(root, manifestFile, options).finish();
}

/**
 * {@link indexTree} in two steps, so the caller can work while the files are stat-ed: this lists
 * the tree and starts stat-ing it (on a worker thread for a large tree); `finish()` completes
 * the stats, compares them with the manifest, reads the changed files and digests the tree.
 */
export function startIndexTree(
  root: string,
  manifestFile?: string,
  options: IndexOptions = {},
): PendingIndex {
  // The wall clock, as file timestamps are (taken before any stat: see the racy rule).
  const scanStart = BigInt(Date.now()) * 1_000_000n;
  const previous = manifestFile === undefined ? undefined : readManifest(manifestFile);
  const parallelFrom = options.parallelFrom ?? PARALLEL_FROM;
  // Usually the tree holds the very files the manifest lists: a worker starts stat-ing them
  // now, while this thread lists the tree (stats taken after scanStart, whoever takes them).
  const listed = previous === undefined ? 0 : previous.stats.length / FIELDS;
  const early =
    previous !== undefined && listed >= parallelFrom
      ? startStats(root, previous.paths, "\n", listed, true)
      : undefined;
  const discovered = discover(root);
  const files = discoveredFiles(discovered);
  const joined = files.join("\n");
  let statted: PendingStats;
  if (early !== undefined && previous!.paths === joined) statted = early;
  else {
    early?.cancel(); // another list of files: stat this one
    statted = startStats(root, files.join("\0"), "\0", files.length, files.length >= parallelFrom);
  }
  let result: TreeIndex | undefined;
  return {
    root,
    discovered,
    finish: () =>
      (result ??= completeIndex(
        root,
        manifestFile,
        scanStart,
        previous,
        discovered,
        files,
        joined,
        statted.finish(files),
        options.keepBytes === true ? new Map() : undefined,
      )),
  };
}

function completeIndex(
  root: string,
  manifestFile: string | undefined,
  scanStart: bigint,
  previous: Manifest | undefined,
  discovered: Discovered,
  files: readonly string[],
  joined: string,
  { stats, kinds, onWorker }: { stats: Float64Array; kinds: Uint8Array; onWorker: number },
  kept: Map<string, Buffer> | undefined,
): TreeIndex {
  const trust =
    previous === undefined ? -Infinity : Number((previous.scanStart - RACY_MARGIN_NS) / 1_000_000n);
  // Where each file's record is in the previous manifest (-1: none).
  let slot: (i: number) => number = () => -1;
  if (previous !== undefined && previous.paths === joined) slot = (i) => i;
  else if (previous !== undefined) {
    const at = new Map(previous.paths.split("\n").map((p, i) => [p, i]));
    slot = (i) => at.get(files[i]) ?? -1;
  }
  const raw = Buffer.alloc(files.length * HASH_BYTES);
  // 1 where the file was read and hashed (its hash is in `raw`), 0 where it has no hash.
  const present = new Uint8Array(files.length);
  const recordable: boolean[] = new Array<boolean>(files.length).fill(false);
  let reread = 0;
  for (let i = 0; i < files.length; i++) {
    if (kinds[i] !== FILE) continue; // gone, or not a file: no hash, the loader says what is wrong
    const file = files[i];
    const j = slot(i);
    const o = i * FIELDS;
    const p = j * FIELDS;
    if (
      j >= 0 &&
      stats[o + 1] < trust &&
      stats[o + 2] < trust &&
      previous!.stats[p] === stats[o] &&
      previous!.stats[p + 1] === stats[o + 1] &&
      previous!.stats[p + 2] === stats[o + 2] &&
      previous!.stats[p + 3] === stats[o + 3] &&
      previous!.stats[p + 4] === stats[o + 4]
    ) {
      previous!.hashes.copy(raw, i * HASH_BYTES, j * HASH_BYTES, (j + 1) * HASH_BYTES);
    } else {
      try {
        const bytes = readFileSync(`${root}/${file}`);
        createHash("sha256")
          .update(bytes)
          .digest()
          .copy(raw, i * HASH_BYTES);
        kept?.set(file, bytes);
        reread++;
      } catch {
        continue; // unreadable: no hash
      }
    }
    present[i] = 1;
    // A name with a line break cannot be a manifest entry: such a file is always re-read.
    recordable[i] = !file.includes("\n");
  }
  // The layout (every path, NUL-separated: a path holds no NUL), which files have a hash, and
  // the hashes themselves, in order: equal digests mean the same files with the same bytes.
  const digest = createHash("sha256")
    .update(`${MANIFEST_FORMAT}\0${root}\0${JSON.stringify(discovered.errors)}\0`)
    .update(files.join("\0"))
    .update("\0")
    .update(present)
    .update(raw)
    .digest("hex");
  let hashes: Map<string, string> | undefined;
  const hashesOf = (): Map<string, string> => {
    if (hashes === undefined) {
      hashes = new Map();
      for (let i = 0; i < files.length; i++) {
        if (present[i] === 1)
          hashes.set(files[i], raw.toString("hex", i * HASH_BYTES, (i + 1) * HASH_BYTES));
      }
    }
    return hashes;
  };
  const all = recordable.every(Boolean);
  const changed = previous === undefined || reread > 0 || !all || previous.paths !== joined;
  if (manifestFile !== undefined && changed) {
    const keep = recordable.flatMap((ok, i) => (ok ? [i] : []));
    const m: Manifest = all
      ? { scanStart, paths: joined, stats, hashes: raw }
      : {
          scanStart,
          paths: keep.map((i) => files[i]).join("\n"),
          stats: Float64Array.from(
            keep.flatMap((i) => [...stats.subarray(i * FIELDS, (i + 1) * FIELDS)]),
          ),
          hashes: Buffer.concat(
            keep.map((i) => raw.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES)),
          ),
        };
    writeAtomically(manifestFile, encodeManifest(m));
  }
  return {
    root,
    discovered,
    digest,
    reread,
    statsOnWorker: onWorker,
    ...(kept === undefined
      ? {}
      : {
          takeBytes(file: string) {
            const bytes = kept.get(file);
            kept.delete(file);
            return bytes;
          },
        }),
    // Built on first use: a warm run that only compares digests never needs 100,000 strings.
    get hashes() {
      return hashesOf();
    },
  };
}

/**
 * `<format> scan=<ns> files=<n> paths=<bytes>\n`, the paths (joined by line breaks), the
 * stats (little-endian doubles), the hashes, then `end`: sizes are checked on reading, so a
 * truncated or padded file is refused.
 */
function encodeManifest(m: Manifest): Buffer {
  const count = m.stats.length / FIELDS;
  const paths = Buffer.from(m.paths, "utf8");
  const header = Buffer.from(
    `${MANIFEST_FORMAT} scan=${m.scanStart} files=${count} paths=${paths.length}\n`,
  );
  let stats: Buffer;
  if (LITTLE_ENDIAN) stats = Buffer.from(m.stats.buffer, m.stats.byteOffset, m.stats.byteLength);
  else {
    stats = Buffer.alloc(m.stats.length * 8);
    for (let i = 0; i < m.stats.length; i++) stats.writeDoubleLE(m.stats[i], i * 8);
  }
  return Buffer.concat([header, paths, stats, m.hashes, Buffer.from("end")]);
}

function readManifest(file: string): Manifest | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return undefined;
  }
  const eol = buf.indexOf(10);
  const head = new RegExp(`^${MANIFEST_FORMAT} scan=(\\d+) files=(\\d+) paths=(\\d+)$`).exec(
    buf.toString("latin1", 0, Math.max(eol, 0)),
  );
  if (eol < 0 || head === null) return undefined;
  const count = Number(head[2]);
  const pathBytes = Number(head[3]);
  const statsAt = eol + 1 + pathBytes;
  const hashesAt = statsAt + count * FIELDS * 8;
  const endAt = hashesAt + count * HASH_BYTES;
  if (buf.length !== endAt + 3 || buf.toString("latin1", endAt) !== "end") return undefined;
  const paths = buf.toString("utf8", eol + 1, statsAt);
  let lines = pathBytes === 0 ? 0 : 1;
  for (let i = eol + 1; i < statsAt; i++) if (buf[i] === 10) lines++;
  if (lines !== count && !(count === 1 && pathBytes === 0)) return undefined;
  const stats = new Float64Array(count * FIELDS);
  if (LITTLE_ENDIAN) {
    // One copy of the bytes (the buffer's offset need not be a multiple of 8).
    Buffer.from(stats.buffer).set(buf.subarray(statsAt, hashesAt));
  } else for (let i = 0; i < stats.length; i++) stats[i] = buf.readDoubleLE(statsAt + i * 8);
  return { scanStart: BigInt(head[1]), paths, stats, hashes: buf.subarray(hashesAt, endAt) };
}

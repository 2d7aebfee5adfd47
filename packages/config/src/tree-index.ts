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
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { discover, type Discovered } from "./discover";

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
}

/** Numbers recorded per file: size, mtime and ctime (milliseconds, doubles), inode, device. */
const FIELDS = 5;
const HASH_BYTES = 32;

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

/**
 * Indexes the tree under `root` (absolute). With `manifestFile`, unchanged files (see the
 * module comment) are not read again, and the manifest is rewritten (atomically) when this scan
 * learnt something. Never throws for a broken tree: unreadable files simply have no hash.
 */
export function indexTree(root: string, manifestFile?: string): TreeIndex {
  // The wall clock, as file timestamps are (taken before any stat: see the racy rule).
  const scanStart = BigInt(Date.now()) * 1_000_000n;
  const discovered = discover(root);
  const files = discoveredFiles(discovered);
  const previous = manifestFile === undefined ? undefined : readManifest(manifestFile);
  const trust =
    previous === undefined ? -Infinity : Number((previous.scanStart - RACY_MARGIN_NS) / 1_000_000n);
  // Where each file's record is in the previous manifest (-1: none).
  const joined = files.join("\n");
  let slot: (i: number) => number = () => -1;
  if (previous !== undefined && previous.paths === joined) slot = (i) => i;
  else if (previous !== undefined) {
    const at = new Map(previous.paths.split("\n").map((p, i) => [p, i]));
    slot = (i) => at.get(files[i]) ?? -1;
  }
  const stats = new Float64Array(files.length * FIELDS);
  const raw = Buffer.alloc(files.length * HASH_BYTES);
  // 1 where the file was read and hashed (its hash is in `raw`), 0 where it has no hash.
  const present = new Uint8Array(files.length);
  const recordable: boolean[] = new Array<boolean>(files.length).fill(false);
  let reread = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    try {
      // Milliseconds as doubles (sub-microsecond steps today): bigint stats cost twice as much.
      const st = statSync(`${root}/${file}`, { throwIfNoEntry: false });
      if (st?.isFile() === true) {
        const j = slot(i);
        const o = i * FIELDS;
        stats[o] = st.size;
        stats[o + 1] = st.mtimeMs;
        stats[o + 2] = st.ctimeMs;
        stats[o + 3] = st.ino;
        stats[o + 4] = st.dev;
        const p = j * FIELDS;
        if (
          j >= 0 &&
          st.mtimeMs < trust &&
          st.ctimeMs < trust &&
          previous!.stats[p] === st.size &&
          previous!.stats[p + 1] === st.mtimeMs &&
          previous!.stats[p + 2] === st.ctimeMs &&
          previous!.stats[p + 3] === st.ino &&
          previous!.stats[p + 4] === st.dev
        ) {
          previous!.hashes.copy(raw, i * HASH_BYTES, j * HASH_BYTES, (j + 1) * HASH_BYTES);
        } else {
          createHash("sha256")
            .update(readFileSync(`${root}/${file}`))
            .digest()
            .copy(raw, i * HASH_BYTES);
          reread++;
        }
        present[i] = 1;
        // A name with a line break cannot be a manifest entry: such a file is always re-read.
        recordable[i] = !file.includes("\n");
      }
    } catch {
      // Unreadable, gone, or not a file: no hash, and the loader reports what is wrong.
      present[i] = 0;
      raw.fill(0, i * HASH_BYTES, (i + 1) * HASH_BYTES);
    }
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
  const stats = Buffer.alloc(m.stats.length * 8);
  for (let i = 0; i < m.stats.length; i++) stats.writeDoubleLE(m.stats[i], i * 8);
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
  if (paths.split("\n").length !== count && !(count === 0 && paths === "")) return undefined;
  const stats = new Float64Array(count * FIELDS);
  for (let i = 0; i < stats.length; i++) stats[i] = buf.readDoubleLE(statsAt + i * 8);
  return { scanStart: BigInt(head[1]), paths, stats, hashes: buf.subarray(hashesAt, endAt) };
}

/**
 * Writes `file` by renaming a complete temporary file over it, so a concurrent reader sees the
 * old or the new file, never a part. A cache that cannot be written is no error: it is a cache.
 */
export function writeAtomically(file: string, data: string | Uint8Array): boolean {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
    return true;
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was written, or nothing can be removed: either way no cache file
    }
    return false;
  }
}

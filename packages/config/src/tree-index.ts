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
const MANIFEST_FORMAT = "hdp-tree-index 2";
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

/** A file's stat as recorded (milliseconds as doubles), and the hash of the bytes seen with it. */
interface Recorded {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly dev: number;
  readonly hash: string;
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
  const previous = manifestFile === undefined ? undefined : readManifest(manifestFile);
  const trustBefore = previous === undefined ? undefined : previous.scanStart - RACY_MARGIN_NS;
  const hashes = new Map<string, string>();
  const recorded = new Map<string, Recorded>();
  let reread = 0;
  const digest = createHash("sha256");
  digest.update(`${MANIFEST_FORMAT}\0${root}\0${JSON.stringify(discovered.errors)}\0`);
  const trust = trustBefore === undefined ? -Infinity : Number(trustBefore / 1_000_000n);
  const parts: string[] = [];
  for (const file of discoveredFiles(discovered)) {
    const abs = `${root}/${file}`;
    let hash: string | undefined;
    let seen: Recorded | undefined;
    try {
      // Milliseconds as doubles (sub-microsecond steps today): bigint stats cost twice as much.
      const st = statSync(abs, { throwIfNoEntry: false });
      if (st?.isFile() === true) {
        const b = previous?.files.get(file);
        if (
          b !== undefined &&
          st.mtimeMs < trust &&
          st.ctimeMs < trust &&
          b.size === st.size &&
          b.mtimeMs === st.mtimeMs &&
          b.ctimeMs === st.ctimeMs &&
          b.ino === st.ino &&
          b.dev === st.dev
        ) {
          hash = b.hash;
          seen = b;
        } else {
          hash = createHash("sha256").update(readFileSync(abs)).digest("hex");
          reread++;
          const { size, mtimeMs, ctimeMs, ino, dev } = st;
          seen = { size, mtimeMs, ctimeMs, ino, dev, hash };
        }
      }
    } catch {
      // Unreadable, gone, or not a file: no hash, and the loader reports what is wrong.
      hash = undefined;
    }
    if (hash !== undefined) hashes.set(file, hash);
    // A name with a tab or line break cannot be a manifest line: such a file is always re-read.
    if (seen !== undefined && !/[\t\n\r]/.test(file)) recorded.set(file, seen);
    parts.push(file, "\0", hash ?? "-", "\n");
  }
  digest.update(parts.join(""));
  const changed =
    previous === undefined ||
    reread > 0 ||
    previous.files.size !== recorded.size ||
    [...previous.files.keys()].some((f) => !recorded.has(f));
  if (manifestFile !== undefined && changed) writeManifest(manifestFile, scanStart, recorded);
  return { root, discovered, hashes, digest: digest.digest("hex"), reread };
}

function readManifest(
  file: string,
): { scanStart: bigint; files: Map<string, Recorded> } | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n");
  const scan = /^scan (\d+)$/.exec(lines[1] ?? "");
  if (lines[0] !== MANIFEST_FORMAT || scan === null || lines.at(-1) !== "end") return undefined;
  const files = new Map<string, Recorded>();
  for (let i = 2; i < lines.length - 1; i++) {
    const f = lines[i].split("\t");
    if (f.length !== 7 || f[6].length !== 64) return undefined;
    const [size, mtimeMs, ctimeMs, ino, dev] = f.slice(1, 6).map(Number);
    if (![size, mtimeMs, ctimeMs, ino, dev].every(Number.isFinite)) return undefined;
    files.set(f[0], { size, mtimeMs, ctimeMs, ino, dev, hash: f[6] });
  }
  return { scanStart: BigInt(scan[1]), files };
}

function writeManifest(file: string, scanStart: bigint, files: ReadonlyMap<string, Recorded>) {
  const lines = [MANIFEST_FORMAT, `scan ${scanStart}`];
  for (const [path, r] of files)
    lines.push(`${path}\t${r.size}\t${r.mtimeMs}\t${r.ctimeMs}\t${r.ino}\t${r.dev}\t${r.hash}`);
  lines.push("end");
  writeAtomically(file, lines.join("\n"));
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

/**
 * A whole loaded tree kept on disk for one tree digest: `hdp plan` over a tree that did not
 * change since the last load reads its estate back (`v8.deserialize`) instead of running the
 * cross-file checks over every file's cached result again. Keyed by the tree's content digest
 * (see tree-index.ts) and this package's code: any other tree or code reads nothing. One
 * snapshot per cache directory (the latest tree's), written whole and renamed into place. Read
 * back, its equal strings share one instance (see share-strings.ts). Its tables' file hashes
 * (see table-digests.ts), when the load knew them, are kept with it and known again once read.
 */
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { Estate } from "./estate";
import { codeStamp } from "./parse-cache";
import { shareStrings } from "./share-strings";
import { recordTableFiles, tableFileHashes } from "./table-digests";
import { writeAtomically } from "./tree-index";

const FORMAT = "hdp-estate-snapshot-2";
const FILE = "estate.v8";

/** The header line naming what the snapshot was computed from. */
const header = (digest: string): string => `${FORMAT} ${codeStamp()} ${digest}\n`;

/** What the file holds after its header. */
interface Snapshot {
  readonly result: unknown;
  /**
   * The file hash (SHA-256) of each of the result's tables, in order, 32 bytes each (see
   * table-digests.ts): one buffer, which `deserialize` copies whole, not 120,000 strings.
   */
  readonly tableFiles: Uint8Array | undefined;
}

/** The load result of the tree with this digest, if the snapshot under `dir` is of it. */
export function readEstateSnapshot<T>(dir: string, digest: string): T | undefined {
  const want = Buffer.from(header(digest));
  const file = join(dir, FILE);
  try {
    // Compare the header first: a snapshot of another tree is not deserialized at all.
    const head = Buffer.alloc(want.length);
    const fd = openSync(file, "r");
    try {
      if (readSync(fd, head, 0, head.length, 0) !== head.length || !head.equals(want))
        return undefined;
    } finally {
      closeSync(fd);
    }
    const bytes = readFileSync(file);
    if (!bytes.subarray(0, want.length).equals(want)) return undefined; // replaced meanwhile
    const saved = deserialize(bytes.subarray(want.length)) as Snapshot;
    const result = saved.result as T & object;
    // `deserialize` copies every string on its own: equal ones share one instance again.
    shareStrings(result);
    const files = saved.tableFiles;
    const { estate } = result as unknown as { estate: Estate };
    if (files !== undefined && files.byteLength === estate.tables.length * 32) {
      const raw = Buffer.from(files.buffer, files.byteOffset, files.byteLength);
      // Read only if asked for (a plan of an unchanged tree has its slice hashes kept).
      recordTableFiles(estate, (_, i) => raw.toString("hex", i * 32, (i + 1) * 32), true);
    }
    return result;
  } catch {
    return undefined; // missing, damaged or not ours: load afresh
  }
}

/** Stores the load result of the tree with this digest (a cache: failures are ignored). */
export function writeEstateSnapshot(dir: string, digest: string, result: unknown): void {
  const estate = (result as { estate?: Estate }).estate;
  const hashes = estate === undefined ? undefined : tableFileHashes(estate);
  const snapshot: Snapshot = {
    result,
    tableFiles:
      hashes === undefined
        ? undefined
        : Buffer.from(estate!.tables.map((t) => hashes.get(t.key)!).join(""), "hex"),
  };
  // Header and body written one after the other: joining them copied the whole snapshot (~200 MB
  // at the full preset, 1.2 s).
  writeAtomically(join(dir, FILE), [header(digest), serialize(snapshot)]);
}

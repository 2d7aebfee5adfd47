/**
 * Content digests of an estate's tables, from what the tree index already hashed: a plan's
 * cache keys hash every table of the estate (a core stack's slice holds them all), and hashing
 * their loaded form (the canonical JSON of ~120,000 tables with their columns) cost ~5 s of a
 * cold plan of the health-system preset, and again on every plan of an edited tree.
 *
 * Why a table is known by its file: a loaded table is `{ ...value, source, key }`, where `value`
 * is what the loader makes of one file (its path and bytes, under this package's code: the
 * same function the parse cache keys by, see parse-cache.ts) and `source`/`key` are set by
 * `checkEstate` from the source directory's id; nothing else writes to it. So the path, the
 * SHA-256 of the bytes, the code stamp, the source id and the key determine the table: equal
 * digests, equal tables. The converse need not hold (a comment edited in the file gives another
 * digest): a digest is only ever compared with another digest, and a difference costs a cache
 * miss, never a wrong hit.
 *
 * Known only for a load whose every file's result is of the bytes its index hashed (the result
 * has a `digest`); kept with the estate snapshot, so an estate read back from it has them too.
 */
import { createHash } from "node:crypto";
import type { Estate, Table } from "./estate";
import { codeStamp } from "./parse-cache";

/** Bumped when what a digest covers changes. */
const FORMAT = "hdp-table-digest-1";

/** Per estate: the SHA-256 (hex) of each table's file, by table key (or how to get them). */
const fileHashes = new WeakMap<Estate, ReadonlyMap<string, string> | (() => void)>();

/**
 * Records the file hashes of `estate`'s tables: `hashOf(table, i)` is the SHA-256 (hex) of the
 * very bytes `estate.tables[i]` was loaded from. All or nothing: if one table's is unknown, none
 * is recorded (an estate's tables are all digested the same way). `lazily`: asked for only when
 * a digest is first asked for (`hashOf` must then know every table's).
 */
export function recordTableFiles(
  estate: Estate,
  hashOf: (table: Table, index: number) => string | undefined,
  lazily = false,
): void {
  const record = (): void => {
    const byKey = new Map<string, string>();
    for (let i = 0; i < estate.tables.length; i++) {
      const t = estate.tables[i];
      const h = hashOf(t, i);
      if (h === undefined) {
        fileHashes.delete(estate);
        return;
      }
      byKey.set(t.key, h);
    }
    fileHashes.set(estate, byKey);
  };
  if (lazily) fileHashes.set(estate, record);
  else record();
}

/** The file hashes recorded for `estate`, by table key. */
function recorded(estate: Estate): ReadonlyMap<string, string> | undefined {
  const known = fileHashes.get(estate);
  if (typeof known !== "function") return known;
  known();
  return fileHashes.get(estate) as ReadonlyMap<string, string> | undefined;
}

/** The file hashes recorded for `estate` (by table key), to keep with it (see estate-snapshot.ts). */
export const tableFileHashes = (estate: Estate): ReadonlyMap<string, string> | undefined =>
  recorded(estate);

/** Whether {@link tableDigest} knows `estate`'s tables. */
export const hasTableDigests = (estate: Estate): boolean => recorded(estate) !== undefined;

/**
 * The content digest of `table` of `estate` (see the module comment): a function of its file's
 * path and bytes, this package's code, its source id and key. Undefined when the estate's file
 * hashes are not known ({@link hasTableDigests}).
 */
export function tableDigest(estate: Estate, table: Table): string | undefined {
  const file = recorded(estate)?.get(table.key);
  if (file === undefined) return undefined;
  return createHash("sha256")
    .update(
      `${FORMAT}\0${codeStamp()}\0${JSON.stringify([table.origin.file, file, table.source, table.key])}`,
    )
    .digest("hex");
}

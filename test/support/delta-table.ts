/**
 * Reads a small local Delta table straight from its files, without Spark: the JSON commits of
 * `_delta_log/` give the live data files (add minus remove), hyparquet reads them, partition
 * values come from the log. Refuses what it does not implement (checkpoints, deletion vectors)
 * rather than return a wrong snapshot. For tests that check what a Spark run left on disk.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export type DeltaRow = Record<string, unknown>;

interface AddAction {
  path: string;
  partitionValues?: Record<string, string | null>;
  deletionVector?: unknown;
}

/** The rows of the table's latest version; `location` is a path or a `file:` URL. */
export async function readDeltaTable(location: string): Promise<DeltaRow[]> {
  const dir = location.startsWith("file:")
    ? fileURLToPath(location.replace(/^file:(?!\/\/)/, "file://"))
    : location;
  const log = join(dir, "_delta_log");
  if (existsSync(join(log, "_last_checkpoint")))
    throw new Error(`${dir}: has a checkpoint; this reader only replays JSON commits`);
  const commits = readdirSync(log)
    .filter((f) => /^\d{20}\.json$/.test(f))
    .sort();
  if (commits.length === 0) throw new Error(`${dir}: no commits in _delta_log`);
  const live = new Map<string, AddAction>();
  for (const c of commits) {
    for (const line of readFileSync(join(log, c), "utf8").split("\n").filter(Boolean)) {
      const action = JSON.parse(line) as { add?: AddAction; remove?: { path: string } };
      if (action.add) {
        if (action.add.deletionVector) throw new Error(`${dir}: deletion vectors not supported`);
        live.set(decodeURIComponent(action.add.path), action.add);
      }
      if (action.remove) live.delete(decodeURIComponent(action.remove.path));
    }
  }
  const { parquetReadObjects } = await import("hyparquet");
  const rows: DeltaRow[] = [];
  for (const [path, add] of [...live.entries()].sort()) {
    const buf = readFileSync(join(dir, path));
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    for (const r of await parquetReadObjects({ file })) rows.push({ ...add.partitionValues, ...r });
  }
  return rows;
}

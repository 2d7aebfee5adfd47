/**
 * Reads a small local Delta table straight from its files, without Spark: the JSON commits of
 * `_delta_log/` (after the last checkpoint, when there is one) give the live data files (add
 * minus remove), hyparquet reads them, partition values come from the log. Refuses what it does
 * not implement (multi-part checkpoints, deletion vectors) rather than return a wrong snapshot. For tests that check what a Spark run left on disk.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export type DeltaRow = Record<string, unknown>;

interface AddAction {
  path: string;
  partitionValues?: unknown;
  deletionVector?: unknown;
}

/** Partition values as the log holds them (a JSON object; a map read from parquet). */
function partitionValues(v: unknown): Record<string, string | null> {
  if (v == null) return {};
  if (v instanceof Map) return Object.fromEntries(v) as Record<string, string | null>;
  if (Array.isArray(v)) {
    return Object.fromEntries(
      (v as { key: string; value: string | null }[]).map((e) => [e.key, e.value]),
    );
  }
  return v as Record<string, string | null>;
}

const parquetFile = (path: string): ArrayBuffer => {
  const buf = readFileSync(path);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
};

/** The rows of the table's latest version; `location` is a path or a `file:` URL. */
export async function readDeltaTable(location: string): Promise<DeltaRow[]> {
  const dir = location.startsWith("file:")
    ? fileURLToPath(location.replace(/^file:(?!\/\/)/, "file://"))
    : location;
  const log = join(dir, "_delta_log");
  const { parquetReadObjects } = await import("hyparquet");
  const live = new Map<string, AddAction & { partitionValues: Record<string, string | null> }>();
  const apply = (action: { add?: AddAction | null; remove?: { path: string } | null }): void => {
    if (action.add) {
      if (action.add.deletionVector) throw new Error(`${dir}: deletion vectors not supported`);
      live.set(decodeURIComponent(action.add.path), {
        ...action.add,
        partitionValues: partitionValues(action.add.partitionValues),
      });
    }
    if (action.remove) live.delete(decodeURIComponent(action.remove.path));
  };
  // A checkpoint (every 10 commits) holds the state at its version; later commits follow it.
  let from = -1;
  const last = join(log, "_last_checkpoint");
  if (existsSync(last)) {
    const cp = JSON.parse(readFileSync(last, "utf8")) as { version: number; parts?: number };
    if (cp.parts !== undefined) throw new Error(`${dir}: multi-part checkpoints not supported`);
    from = cp.version;
    const file = join(log, `${String(cp.version).padStart(20, "0")}.checkpoint.parquet`);
    const actions = await parquetReadObjects({
      file: parquetFile(file),
      columns: ["add", "remove"],
    });
    for (const a of actions) apply(a as { add?: AddAction; remove?: { path: string } });
  }
  const commits = readdirSync(log)
    .filter((f) => /^\d{20}\.json$/.test(f) && Number(f.slice(0, 20)) > from)
    .sort();
  if (commits.length === 0 && from < 0) throw new Error(`${dir}: no commits in _delta_log`);
  for (const c of commits) {
    for (const line of readFileSync(join(log, c), "utf8").split("\n").filter(Boolean)) {
      apply(JSON.parse(line) as { add?: AddAction; remove?: { path: string } });
    }
  }
  const rows: DeltaRow[] = [];
  for (const [path, add] of [...live.entries()].sort()) {
    for (const r of await parquetReadObjects({ file: parquetFile(join(dir, path)) }))
      rows.push({ ...add.partitionValues, ...r });
  }
  return rows;
}

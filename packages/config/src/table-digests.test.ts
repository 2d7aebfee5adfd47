/**
 * A table's content digest stands for the table in plan cache keys: equal digests must mean
 * equal tables (whichever way the estate was loaded: parsed, from the parse cache, from the
 * snapshot), and any change to the table's file, source or key must change it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Estate, Table } from "./estate";
import { readEstateSnapshot } from "./estate-snapshot";
import { loadEstate, type LoadResult } from "./load";
import { hasTableDigests, tableDigest } from "./table-digests";
import { indexTree } from "./tree-index";

const FIXTURE = join(__dirname, "..", "..", "..", "test", "fixtures", "base");
const TABLE = "sources/lab/tables/orders.yaml";

let dir: string;
let root: string;
let caches = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-table-digests-"));
  root = join(dir, "configs");
  cpSync(FIXTURE, root, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A load through a cache directory (`fresh`: a new, empty one). */
const load = (fresh = true, snapshot = false): LoadResult =>
  loadEstate(root, { cacheDir: join(dir, `cache-${fresh ? ++caches : caches}`), snapshot });

/** Each table's digest, by key. */
function digests(estate: Estate): Map<string, string> {
  return new Map(
    estate.tables.map((t) => {
      const d = tableDigest(estate, t);
      if (d === undefined) throw new Error(`no digest for ${t.key}`);
      return [t.key, d];
    }),
  );
}

const tableAt = (estate: Estate, file: string): Table => {
  const t = estate.tables.find((x) => x.origin.file === file);
  if (t === undefined) throw new Error(`no table from ${file}`);
  return t;
};

const edit = (file: string, change: (text: string) => string): void => {
  const abs = join(root, file);
  const before = readFileSync(abs, "utf8");
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(abs, after);
};

describe("table digests", () => {
  it("are known after a load through a cache, for every table, and not without one", () => {
    const plain = loadEstate(root);
    expect(plain.ok).toBe(true);
    expect(hasTableDigests(plain.estate)).toBe(false);
    expect(tableDigest(plain.estate, plain.estate.tables[0])).toBeUndefined();
    const cached = load();
    expect(hasTableDigests(cached.estate)).toBe(true);
    const all = digests(cached.estate);
    expect(all.size).toBe(cached.estate.tables.length);
    expect(new Set(all.values()).size).toBe(all.size);
  });

  it("are equal only for equal tables: parsed, from the parse cache, from the snapshot", () => {
    const parsed = load(true, true);
    const fromParseCache = load(false, false);
    const written = load(true, true); // a fresh cache: parsed again, its snapshot written
    const cache = join(dir, `cache-${caches}`);
    const fromSnapshot = readEstateSnapshot<LoadResult>(
      cache,
      indexTree(root, join(cache, "manifest")).digest,
    );
    if (fromSnapshot === undefined) throw new Error("no snapshot");
    for (const other of [fromParseCache, written, fromSnapshot]) {
      expect(hasTableDigests(other.estate)).toBe(true);
      expect(digests(other.estate)).toEqual(digests(parsed.estate));
      expect(other.estate.tables).toEqual(parsed.estate.tables);
    }
  });

  it.each([
    ["a description", (s: string) => s.replace("Lab orders", "Orders of the lab")],
    ["a column's type", (s: string) => s.replace("type: bigint", "type: int")],
    [
      "a column added",
      (s: string) =>
        `${s}\n`.replace("columns:\n", "columns:\n  - name: extra\n    type: string\n"),
    ],
    ["a column's nullability", (s: string) => s.replace("nullable: false", "nullable: true")],
    [
      "the load watermark",
      (s: string) => s.replace("watermark: ordered_at", "watermark: order_id"),
    ],
    [
      "a comment only (over-inclusive: another file, another digest)",
      (s: string) => `# note\n${s}`,
    ],
  ])("change with any change to the table's file (%s), and only that table's", (_, change) => {
    const before = digests(load().estate);
    edit(TABLE, change);
    const after = load();
    expect(after.ok).toBe(true);
    const edited = tableAt(after.estate, TABLE).key;
    const changed = [...digests(after.estate)].filter(([k, d]) => before.get(k) !== d);
    expect(changed.map(([k]) => k)).toEqual([edited]);
  });

  it("cover the source id and key the load gives a table", () => {
    const { estate } = load();
    const t = tableAt(estate, TABLE);
    const d = tableDigest(estate, t);
    expect(tableDigest(estate, { ...t })).toBe(d);
    expect(tableDigest(estate, { ...t, source: "elsewhere" })).not.toBe(d);
    expect(tableDigest(estate, { ...t, origin: { ...t.origin, file: "other.yaml" } })).not.toBe(d);
  });
});

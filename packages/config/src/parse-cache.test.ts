import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize } from "node:v8";
import { writeEstateSnapshot } from "./estate-snapshot";
import { loadEstate, loadEstateDeferringWrites, type LoadResult } from "./load";
import { indexTree } from "./tree-index";

const FIXTURE = join(__dirname, "..", "..", "..", "test", "fixtures", "base");
const TABLE = "sources/lab/tables/orders.yaml";

let dir: string;
let root: string;
let cache: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-parse-cache-"));
  root = join(dir, "configs");
  cpSync(FIXTURE, root, { recursive: true });
  cache = join(dir, "cache");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Everything a caller sees of a load, as text: equal text, equal answers. */
const answer = (r: LoadResult): string =>
  JSON.stringify({ ok: r.ok, estate: r.estate, errors: r.errors, skipped: r.skippedFiles });

const segments = (): string[] =>
  (existsSync(cache) ? readdirSync(cache) : []).filter((f) => f.startsWith("parsed-")).sort();

/** Every key (path and content hash) the segments on disk hold. */
function keys(): Set<string> {
  const out = new Set<string>();
  for (const name of segments()) {
    const seg = deserialize(readFileSync(join(cache, name))) as { entries: [string, unknown][] };
    for (const [k] of seg.entries) out.add(k);
  }
  return out;
}

/** Moves the manifest's scan time an hour ahead: every recorded stat counts as settled. */
function settle(): void {
  const file = join(cache, "manifest");
  const buf = readFileSync(file);
  const eol = buf.indexOf(10);
  const later = BigInt(Date.now() + 3_600_000) * 1_000_000n;
  const head = buf.toString("latin1", 0, eol).replace(/scan=\d+/, `scan=${later}`);
  writeFileSync(file, Buffer.concat([Buffer.from(head, "latin1"), buf.subarray(eol)]));
}

/**
 * Loads with the cache, checks the answer equals an uncached load, and returns the files it
 * parsed: those whose (path, content hash) the cache did not hold before.
 */
function loadAndCompare(): string[] {
  const before = keys();
  const cached = loadEstate(root, { cacheDir: cache });
  expect(answer(cached)).toBe(answer(loadEstate(root)));
  settle();
  return [...keys()]
    .filter((k) => !before.has(k))
    .map((k) => k.split("\0")[0])
    .sort();
}

describe("loadEstate with a parse cache", () => {
  it("parses every file once, then none while nothing changes", () => {
    const all = loadAndCompare();
    expect(all).toContain(TABLE);
    expect(all.length).toBeGreaterThan(5);
    const files = segments();
    expect(loadAndCompare()).toEqual([]);
    expect(segments()).toEqual(files); // nothing new: nothing written
  });

  it("re-parses only an edited file, even one rewritten with the same size and mtime", () => {
    loadAndCompare();
    const abs = join(root, TABLE);
    const text = readFileSync(abs, "utf8");
    const edited = text.replace("description: ", "description: X");
    writeFileSync(abs, edited);
    expect(loadAndCompare()).toEqual([TABLE]);
    const recorded = statSync(abs);
    // Same size, mtime set back to the recorded one: only ctime tells (the index re-reads it).
    const again = edited.replace("description: X", "description: Y");
    expect(again.length).toBe(edited.length);
    writeFileSync(abs, again);
    utimesSync(abs, recorded.atimeMs / 1000, recorded.mtimeMs / 1000);
    // Within the same mtime second as the recorded stat (to the filesystem's precision).
    expect(Math.abs(statSync(abs).mtimeMs - recorded.mtimeMs)).toBeLessThan(1);
    expect(statSync(abs).size).toBe(recorded.size);
    expect(loadAndCompare()).toEqual([TABLE]);
  });

  it("follows additions, deletions and renames, and keeps errors at file:line:col", () => {
    loadAndCompare();
    const copy = "sources/lab/tables/orders_copy.yaml";
    const text = readFileSync(join(root, TABLE), "utf8");
    writeFileSync(join(root, copy), text.replace(/^id: .*$/m, "id: orders_copy"));
    expect(loadAndCompare()).toEqual([copy]);
    const renamed = "sources/lab/tables/orders_renamed.yaml";
    renameSync(join(root, copy), join(root, renamed));
    // Same bytes, new path: results name their file, so it is parsed again under its new name.
    expect(loadAndCompare()).toEqual([renamed]);
    rmSync(join(root, renamed));
    expect(loadAndCompare()).toEqual([]);
    writeFileSync(join(root, TABLE), `${text}bogus: 1\n`);
    expect(loadAndCompare()).toEqual([TABLE]);
    const bad = loadEstate(root, { cacheDir: cache });
    expect(bad.ok).toBe(false);
    expect(bad.errors.length).toBeGreaterThan(0);
    expect(bad.errors[0]).toMatchObject({ file: TABLE, field: "bogus" });
    expect(bad.errors[0].line).toBeGreaterThan(1);
    // Served from the cache the second time: the same errors, same positions.
    expect(answer(loadEstate(root, { cacheDir: cache }))).toBe(answer(bad));
  });

  it("ignores a damaged segment and compacts when entries go unused", () => {
    const all = loadAndCompare();
    const [seg] = segments();
    writeFileSync(join(cache, seg), "not a segment");
    expect(() => keys()).toThrow(); // the test's own reader refuses it too
    rmSync(join(cache, seg));
    writeFileSync(join(cache, "parsed-0-damaged.v8"), "not a segment");
    const before = loadEstate(root, { cacheDir: cache });
    expect(answer(before)).toBe(answer(loadEstate(root)));
    // Everything parsed again, and the damaged segment compacted away.
    expect(segments()).toHaveLength(1);
    expect(keys().size).toBe(all.length);
    // Edit every table: over a fifth of the entries are old versions, so one segment replaces all.
    const tables = all.filter((f) => f.includes("/tables/"));
    expect(tables.length).toBeGreaterThan(1);
    for (const t of tables) {
      const abs = join(root, t);
      writeFileSync(abs, `${readFileSync(abs, "utf8")}# edited\n`);
    }
    expect(loadAndCompare()).toEqual(tables);
    expect(segments()).toHaveLength(1);
    expect(keys().size).toBe(all.length);
    expect(loadAndCompare()).toEqual([]);
  });

  it("keeps a snapshot of the whole result per tree digest, used only for that very tree", () => {
    const cold = answer(loadEstate(root));
    expect(answer(loadEstate(root, { cacheDir: cache, snapshot: true }))).toBe(cold);
    settle();
    expect(answer(loadEstate(root, { cacheDir: cache, snapshot: true }))).toBe(cold);
    // A doctored snapshot of this digest shows through: the snapshot is what answers.
    const digest = indexTree(root, join(cache, "manifest")).digest;
    const marker = { ok: true, estate: { root: "doctored" }, errors: [], skippedFiles: [] };
    writeEstateSnapshot(cache, digest, marker);
    expect(loadEstate(root, { cacheDir: cache, snapshot: true })).toEqual(marker);
    // Any edit: another digest, so the snapshot is not used (and is replaced).
    const abs = join(root, TABLE);
    writeFileSync(abs, readFileSync(abs, "utf8").replace("description: ", "description: Z"));
    const edited = loadEstate(root, { cacheDir: cache, snapshot: true });
    expect(answer(edited)).toBe(answer(loadEstate(root)));
    expect(answer(edited)).not.toBe(cold);
    settle();
    expect(answer(loadEstate(root, { cacheDir: cache, snapshot: true }))).toBe(answer(edited));
  });

  test("deferred writes are the very bytes loadEstate writes, done once, nothing before", () => {
    const inline = join(dir, "inline");
    const direct = loadEstate(root, { cacheDir: inline, snapshot: true });
    const deferred = loadEstateDeferringWrites(root, { cacheDir: cache, snapshot: true });
    expect(answer(deferred.result)).toBe(answer(direct));
    expect(deferred.result.digest).toBe(direct.digest);
    expect(segments()).toEqual([]);
    expect(existsSync(join(cache, "estate.v8"))).toBe(false);
    deferred.writeCaches();
    deferred.writeCaches();
    const contents = (d: string, f: (n: string) => boolean): Buffer[] =>
      readdirSync(d)
        .filter(f)
        .map((n) => readFileSync(join(d, n)));
    const parsed = (n: string): boolean => n.startsWith("parsed-");
    expect(contents(cache, parsed)).toEqual(contents(inline, parsed));
    expect(segments()).toHaveLength(1);
    expect(
      readFileSync(join(cache, "estate.v8")).equals(readFileSync(join(inline, "estate.v8"))),
    ).toBe(true);
    // What was written serves the next load: the same answer, nothing parsed or checked again.
    const again = loadEstateDeferringWrites(root, { cacheDir: cache, snapshot: true });
    expect(answer(again.result)).toBe(answer(direct));
    again.writeCaches();
    expect(segments()).toHaveLength(1);
  });
});

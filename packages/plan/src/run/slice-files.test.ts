/**
 * Slice-hash files in a shared plan cache: checkouts planned in turn keep each other's (the
 * most recently used few are kept), and the pruning keeps the newest.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { plan } from "../planner";
import { STANDIN_PROGRAM, tableYaml, tree, type Tree } from "../__fixtures__/trees";
import { pruneSliceFiles, SLICE_FILES_KEPT } from "./slice-files";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-slice-files-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("slice-hash files in a cache shared by two checkouts", () => {
  let a: Tree;
  let b: Tree;
  beforeEach(() => {
    a = tree();
    b = tree();
    // Another commit checked out: a different tree, so a different slice file.
    b.write("sources/lab/tables/specimens.yaml", tableYaml("specimens"));
  });
  afterEach(() => {
    a.cleanup();
    b.cleanup();
  });

  const planIn = (t: Tree) =>
    plan({ configs: t.configs, jobs: 0, cacheDir: join(dir, "cache"), program: STANDIN_PROGRAM });
  const sliceFiles = (): string[] =>
    readdirSync(join(dir, "cache", ".slices"))
      .filter((f) => f.endsWith(".json"))
      .sort();

  it("keeps both checkouts' files: planning one does not evict the other's", async () => {
    expect((await planIn(a)).problems).toEqual([]);
    const [fileA] = sliceFiles();
    expect(sliceFiles()).toHaveLength(1);
    const hashesA = readFileSync(join(dir, "cache", ".slices", fileA), "utf8");
    expect(Object.keys(JSON.parse(hashesA) as object).length).toBeGreaterThan(1);

    expect((await planIn(b)).problems).toEqual([]);
    expect(sliceFiles()).toHaveLength(2);
    expect(sliceFiles()).toContain(fileA);

    // Back in the first checkout: its hashes are read, not computed and written again.
    const again = await planIn(a);
    expect(again.stats.stacksCached).toBe(again.head.stacks.length);
    expect(sliceFiles()).toHaveLength(2);
    expect(readFileSync(join(dir, "cache", ".slices", fileA), "utf8")).toBe(hashesA);
  }, 120_000);
});

describe("pruneSliceFiles", () => {
  it("keeps the current file and the most recently used others, up to the bound", () => {
    const slices = join(dir, ".slices");
    rmSync(slices, { recursive: true, force: true });
    mkdirSync(slices);
    const n = SLICE_FILES_KEPT + 4;
    const names = Array.from({ length: n }, (_, i) => `tree-${String(i).padStart(2, "0")}.json`);
    names.forEach((f, i) => {
      writeFileSync(join(slices, f), "{}");
      // tree-00 is the oldest; the current one (tree-00 too) is kept however old it is.
      const at = new Date(Date.UTC(2026, 0, 1, 0, i));
      utimesSync(join(slices, f), at, at);
    });
    writeFileSync(join(slices, "tree-99.json.123.abc.tmp"), "{");
    pruneSliceFiles(join(slices, "tree-00.json"));
    expect(readdirSync(slices).sort()).toEqual(
      [
        "tree-00.json",
        ...names.slice(n - (SLICE_FILES_KEPT - 1)),
        "tree-99.json.123.abc.tmp",
      ].sort(),
    );
    expect(readdirSync(slices).filter((f) => f.endsWith(".json"))).toHaveLength(SLICE_FILES_KEPT);
  });

  it("does nothing without a directory", () => {
    expect(() => pruneSliceFiles(join(dir, "none", "x.json"))).not.toThrow();
    expect(existsSync(join(dir, "none"))).toBe(false);
  });
});

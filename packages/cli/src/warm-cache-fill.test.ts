/**
 * Filling the warm cache indexes the tree once: the answer is stored under the digest of the
 * load it was computed from (`loadEstate` says when every file's bytes were the index's), not
 * after indexing the tree a second time. The tree index is counted through a wrapped module.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as TreeIndex from "@hdp/config/tree-index";

const calls = { indexTree: 0, startIndexTree: 0 };
jest.mock("@hdp/config/tree-index", () => {
  const actual = jest.requireActual<typeof TreeIndex>("@hdp/config/tree-index");
  return {
    ...actual,
    indexTree: (...a: Parameters<typeof actual.indexTree>) => {
      calls.indexTree++;
      return actual.indexTree(...a);
    },
    startIndexTree: (...a: Parameters<typeof actual.startIndexTree>) => {
      calls.startIndexTree++;
      return actual.startIndexTree(...a);
    },
  };
});

// After the mock: the CLI and @hdp/config see the counting index.
import { run } from "./program";
import { WarmCache } from "./warm-cache";

const BASE = join(__dirname, "../../../test/fixtures/base");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-warm-fill-"));
  cpSync(BASE, join(dir, "configs"), { recursive: true });
  calls.indexTree = 0;
  calls.startIndexTree = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hdp = async (...argv: string[]) => {
  const out: string[] = [];
  const code = await run(argv, { stdout: (t) => out.push(t), stderr: () => undefined, cwd: dir });
  return { code, stdout: out.join("") };
};

describe("filling the warm cache", () => {
  it.each([[["validate"]], [["query", "SELECT key, file, line FROM tables ORDER BY key"]]])(
    "%j indexes the tree once, and the next run answers from what it stored",
    async (argv) => {
      const [name, ...rest] = argv;
      const args = [
        name,
        "--configs",
        join(dir, "configs"),
        "--cache-dir",
        join(dir, "cache"),
        ...rest,
      ];
      const cold = await hdp(name, "--configs", join(dir, "configs"), "--no-cache", ...rest);
      calls.indexTree = 0;
      calls.startIndexTree = 0;
      const filling = await hdp(...args);
      expect(calls).toEqual({ indexTree: 0, startIndexTree: 1 });
      expect(filling).toEqual(cold);
      const warm = await hdp(...args);
      expect(warm).toEqual(cold);
    },
  );

  it("stores nothing computed from a load of another tree, or of a tree that changed under it", () => {
    const configs = join(dir, "configs");
    const cache = new WarmCache(WarmCache.dirFor(join(dir, "cache"), configs), configs);
    expect(cache.write("validate", { ok: true }, {})).toBe(false);
    expect(cache.write("validate", { ok: true }, { digest: "0".repeat(64) })).toBe(false);
    expect(cache.read("validate")).toBeUndefined();
    expect(cache.write("validate", { ok: true }, { digest: cache.index.digest })).toBe(true);
    expect(cache.read("validate")).toEqual({ ok: true });
  });
});

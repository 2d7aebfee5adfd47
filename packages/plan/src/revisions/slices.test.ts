/**
 * A shard's slice takes its entries from an index by source (built once per estate) instead of
 * filtering the whole estate per shard: the same entries, the same objects, in the estate's
 * order, as the filters gave — so slice hashes, and with them plan cache keys, are unchanged.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasTableDigests, loadEstate, loadEstateOrThrow, type Estate } from "@hdp/config";
import { BASE_TREE, REPO_ROOT } from "../__fixtures__/trees";
import { findStack, sliceHash, stackSlice } from "./slices";

/** The shard slice's entry lists as the filters over the whole estate gave them. */
function filtered(estate: Estate, name: string): Record<string, readonly unknown[]> {
  const spec = findStack(estate, name)?.spec;
  if (spec === undefined) throw new Error(`no stack ${name}`);
  const own = new Set(spec.sources);
  const pipelines = estate.pipelines.filter((p) => own.has(p.source));
  const upstream = new Set(pipelines.flatMap((p) => p.dependsOn));
  return {
    sources: estate.sources.filter((s) => own.has(s.id)),
    tables: estate.tables.filter((t) => own.has(t.source)),
    pipelines,
    upstreamPipelines: estate.pipelines.filter((p) => !own.has(p.source) && upstream.has(p.key)),
  };
}

/** The estate with every stack's sources listed in reverse (the slice keeps the estate's order). */
const reversedStackSources = (estate: Estate): Estate => ({
  ...estate,
  environments: estate.environments.map((e) => ({
    ...e,
    stacks: e.stacks.map((s) => ({ ...s, sources: [...s.sources].reverse() })),
  })),
});

describe.each([
  ["the repository's configs", join(REPO_ROOT, "configs"), false],
  ["the repository's configs, stacks' sources reversed", join(REPO_ROOT, "configs"), true],
  ["the base fixture", BASE_TREE, false],
])("stackSlice over %s", (_, dir, reversed) => {
  it("gives every shard the same entries, the same objects in the same order, as filtering the estate", () => {
    const loaded = loadEstateOrThrow(dir);
    const estate = reversed ? reversedStackSources(loaded) : loaded;
    const shards = estate.environments
      .flatMap((e) => e.stacks)
      .filter((s) => s.shard !== undefined && s.shard !== "core");
    expect(shards.length).toBeGreaterThan(1);
    const seen = { sources: 0, tables: 0, pipelines: 0, upstreamPipelines: 0 };
    for (const s of shards) {
      const slice = stackSlice(estate, s.name) as Record<string, unknown>;
      const want = filtered(estate, s.name);
      for (const k of Object.keys(seen) as (keyof typeof seen)[]) {
        const got = slice[k] as readonly unknown[];
        expect(got).toHaveLength(want[k].length);
        got.forEach((x, i) => expect(x).toBe(want[k][i]));
        seen[k] += got.length;
      }
    }
    // Every list was exercised (upstream pipelines: a shard depending on another's pipeline).
    expect(seen.sources).toBeGreaterThan(1);
    expect(seen.tables).toBeGreaterThan(1);
    expect(seen.pipelines).toBeGreaterThan(0);
    if (dir.endsWith("configs")) expect(seen.upstreamPipelines).toBeGreaterThan(0);
  });
});

describe("sliceHash's ways of hashing tables", () => {
  it("hashes by files' digests only when asked and known; else every estate alike", () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "hdp-slices-"));
    const withDigests = loadEstate(BASE_TREE, { cacheDir });
    rmSync(cacheDir, { recursive: true, force: true });
    const without = loadEstate(BASE_TREE);
    expect(hasTableDigests(withDigests.estate)).toBe(true);
    expect(hasTableDigests(without.estate)).toBe(false);
    const stacks = withDigests.estate.environments.flatMap((e) => e.stacks.map((s) => s.name));
    for (const s of stacks) {
      const entries = sliceHash(without.estate, s);
      // Asked for their loaded form, tables of an estate with digests hash as without them.
      expect(sliceHash(withDigests.estate, s, "entries")).toBe(entries);
      expect(sliceHash(without.estate, s, "files")).toBe(entries);
      // By their digests: another hash of the same slice (a key of one way never meets the other's).
      expect(sliceHash(withDigests.estate, s)).not.toBe(entries);
    }
  });
});

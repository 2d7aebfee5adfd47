/**
 * The order stacks go to the workers: one environment after another, its core first, then its
 * shards largest first (so a worker holds one environment's memoized plan at a time).
 */
import {
  CORE_RESOURCES,
  estimateStackResources,
  loadEstateOrThrow,
  SHARD_OVERHEAD_RESOURCES,
  sourceResources,
} from "@hdp/config";
import { tree, type Tree } from "../__fixtures__/trees";
import { stackOrder } from "./schedule";

let t: Tree;
beforeAll(() => {
  t = tree();
});
afterAll(() => t.cleanup());

describe("stackOrder", () => {
  it("goes environment by environment, core first, then shards largest first", () => {
    const estate = loadEstateOrThrow(t.configs);
    const all = estate.environments.flatMap((e) => e.stacks.map((s) => s.name));
    expect(all.length).toBeGreaterThan(2);
    const size = estimateStackResources(estate, all);
    const order = stackOrder(estate, [...all].reverse());
    expect([...order].sort()).toEqual([...all].sort());
    const envOf = (s: string) =>
      estate.environments.findIndex((e) => e.stacks.some((x) => x.name === s));
    // Environments in the estate's order, each in one run.
    expect(order.map(envOf)).toEqual([...order.map(envOf)].sort((a, b) => a - b));
    for (const env of estate.environments) {
      const mine = order.filter((s) => env.stacks.some((x) => x.name === s));
      const core = env.stacks.find((s) => s.shard === undefined || s.shard === "core");
      expect(mine[0]).toBe(core?.name);
      const shards = mine.slice(1).map((s) => size.get(s) as number);
      expect(shards).toEqual([...shards].sort((a, b) => b - a));
    }
  });

  it("counts a shard by its own sources, a core by its shared part, an unsharded stack by the whole estate", () => {
    const estate = loadEstateOrThrow(t.configs);
    const prod = estate.environments.find((e) => e.stacks.length > 1);
    if (prod === undefined) throw new Error("the fixture has no sharded environment");
    const size = estimateStackResources(
      estate,
      prod.stacks.map((s) => s.name),
    );
    // @hdp/config's estimate per source (the one hdp simulate estate sizes shards with).
    // Tables disabled in an environment do not count there.
    const source = (id: string, env: string): number => {
      const tables = estate.tables.filter(
        (x) => x.source === id && x.environments[env]?.enabled !== false,
      );
      return sourceResources(
        tables.length,
        estate.pipelines.filter((p) => p.source === id).length,
        Math.max(0, ...tables.map((x) => x.layers.filter((l) => l !== "landing").length)),
      );
    };
    const shards = prod.stacks.filter((s) => s.shard !== "core");
    expect(shards.length).toBeGreaterThan(0);
    for (const s of shards) {
      expect(s.sources.length).toBeGreaterThan(0);
      expect(size.get(s.name)).toBe(
        SHARD_OVERHEAD_RESOURCES + s.sources.reduce((n, id) => n + source(id, prod.name), 0),
      );
    }
    const core = prod.stacks.find((s) => s.shard === "core")?.name as string;
    expect(size.get(core)).toBe(CORE_RESOURCES);
    const devEnv = estate.environments.find((e) => e.stacks.length === 1);
    const dev = devEnv?.stacks[0].name as string;
    const devSources = estate.sources.filter((s) => s.environments[dev]?.enabled !== false);
    expect(devSources.length).toBeGreaterThan(0);
    expect(estimateStackResources(estate, [dev]).get(dev)).toBe(
      CORE_RESOURCES + devSources.reduce((n, s) => n + source(s.id, dev), 0),
    );
    expect(estimateStackResources(estate, ["no-such-stack"]).get("no-such-stack")).toBe(0);
  });
});

/**
 * The order stacks go to the workers: one environment after another, its core first, then its
 * shards largest first (so a worker holds one environment's memoized plan at a time); a cold
 * plan's first stack goes to the worker waiting for it before the other stacks' keys are
 * prepared, with the same bytes, and a re-run serves every stack from the cache.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as config from "@hdp/config";
import {
  CORE_RESOURCES,
  DEFAULT_PROJECT,
  DEFAULT_PULUMI_ORG,
  estimateStackResources,
  loadEstateOrThrow,
  SHARD_OVERHEAD_RESOURCES,
  sourceResources,
} from "@hdp/config";
import { STANDIN_PROGRAM, tree, type Tree } from "../__fixtures__/trees";
import { workingTree } from "../revisions/revision";
import { workspace } from "../revisions/workspace";
import { PlanCache } from "./cache";
import { WorkerPool } from "./pool";
import { planStacks, stackOrder, type PlanEvent, type ScheduleContext } from "./schedule";

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

describe("planStacks", () => {
  it("hands a cold plan's first stack to the waiting worker before the other stacks' keys are prepared; the same bytes, then all from the cache", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hdp-schedule-"));
    const log: string[] = [];
    /** Logs each lookup: a stack's key is prepared right before it. */
    class LoggingCache extends PlanCache {
      override get(stack: string, key: string) {
        log.push(`key ${stack}`);
        return super.get(stack, key);
      }
    }
    const ws = workspace(t.configs, STANDIN_PROGRAM);
    const load = () => workingTree(ws, t.configs, config, join(dir, "configs"));
    const context = (pool: WorkerPool, cache: PlanCache | undefined): ScheduleContext => ({
      pool,
      cache,
      project: DEFAULT_PROJECT,
      organization: DEFAULT_PULUMI_ORG,
      fast: true,
      onEvent: (e: PlanEvent) => {
        if (e.kind === "started") log.push(`started ${e.stack}`);
      },
    });
    const plans = async (pool: WorkerPool, cache: PlanCache | undefined) => {
      try {
        const rev = load();
        const stacks = rev.estate.environments.flatMap((e) => e.stacks.map((s) => s.name));
        return {
          order: stackOrder(rev.estate, stacks),
          out: await planStacks(rev, stacks, context(pool, cache), true),
        };
      } finally {
        await pool.close();
      }
    };
    const json = (out: Awaited<ReturnType<typeof planStacks>>) =>
      [...out.values()].map((r) => (r.ok ? r.json() : r.messages.join("\n")));
    try {
      // Cold: one worker started ahead, the rest decided by the estimated work (here: workers).
      const pool = new WorkerPool({ size: 1, inProcessBelow: 1 });
      pool.prestart(STANDIN_PROGRAM);
      const cold = await plans(pool, new LoggingCache(join(dir, "plan")));
      const [first, second] = cold.order;
      expect(log.indexOf(`started ${first}`)).toBe(0);
      expect(log.indexOf(`key ${second}`)).toBeGreaterThan(0);
      expect(log).not.toContain(`key ${first}`); // planned without looking: nothing to find
      expect([...cold.out.values()].every((r) => r.ok && !r.cached)).toBe(true);
      // The same bytes as in this process without a cache.
      const here = await plans(new WorkerPool({ size: 0 }), undefined);
      expect(json(cold.out)).toEqual(json(here.out));
      // Unchanged: every stack from the cache, the first one's entry (written here) included.
      const again = await plans(new WorkerPool({ size: 0 }), new PlanCache(join(dir, "plan")));
      expect([...again.out.values()].every((r) => r.ok && r.cached)).toBe(true);
      expect(json(again.out)).toEqual(json(here.out));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/**
 * The planner end to end with a stand-in program (the real one is planned in test/plan*.test.ts):
 * stack selection, determinism, workers, cache, budget, program and config errors, and
 * --changed-since against a real git revision.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import {
  FAILING_PROGRAM,
  STANDIN_PROGRAM,
  gitInit,
  tableYaml,
  tree,
  type Tree,
} from "./__fixtures__/trees";
import { plan, PlanConfigError, PlanUsageError, type PlanOptions } from "./planner";

let t: Tree;
let cacheDir: string;
beforeEach(() => {
  t = tree();
  cacheDir = mkdtempSync(join(tmpdir(), "hdp-plan-cache-"));
});
afterEach(() => {
  t.cleanup();
  rmSync(cacheDir, { recursive: true, force: true });
});

const run = (o: Partial<PlanOptions> = {}) =>
  plan({ configs: t.configs, program: STANDIN_PROGRAM, jobs: 0, cacheDir: false, ...o });

describe("plan", () => {
  it("plans every stack by default, cores with their shards, and reports sorted stacks", async () => {
    const r = await run();
    expect(r.head.stacks.map((s) => s.stack)).toEqual([
      "dev",
      "prod-business",
      "prod-clinical",
      "prod-core",
    ]);
    expect(r.problems).toEqual([]);
    const clinical = r.head.stacks.find((s) => s.stack === "prod-clinical");
    if (!clinical?.ok) throw new Error("prod-clinical failed");
    // The shard read its core through the StackReference and got the core's exports.
    const inv = JSON.parse(clinical.json());
    const ref = inv.resources.find(
      (x: { type: string }) => x.type === "pulumi:pulumi:StackReference",
    );
    expect(ref.inputs.name).toBe("organization/health-data-platform/prod-core");
    const sse = inv.resources.find((x: { type: string }) =>
      x.type.endsWith("BucketServerSideEncryptionConfiguration"),
    );
    const coreResult = r.head.stacks.find((s) => s.stack === "prod-core");
    if (!coreResult?.ok) throw new Error("prod-core failed");
    const core = JSON.parse(coreResult.json());
    expect(sse.inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).toBe(
      core.exports.keyArn_clinical,
    );
    expect(sse.urn).toMatch(
      /^urn:pulumi:prod-clinical::health-data-platform::hdp:standin:TableStore\$aws:s3/,
    );
  });

  it("selects stacks by name and by environment, and names the valid ones on a typo", async () => {
    expect((await run({ stacks: ["prod-clinical"] })).head.stacks.map((s) => s.stack)).toEqual([
      "prod-clinical",
    ]);
    expect((await run({ envs: ["prod"] })).head.stacks).toHaveLength(3);
    await expect(run({ stacks: ["prod-clinicl"] })).rejects.toThrow(
      new PlanUsageError(
        'unknown stack "prod-clinicl"; did you mean "prod-clinical"? (stacks: dev, prod-core, prod-clinical, prod-business)',
      ),
    );
    await expect(run({ envs: ["qa"] })).rejects.toThrow(
      'unknown environment "qa" (environments: dev, prod)',
    );
  });

  it("gives the same bytes twice, and in worker processes as in this one", async () => {
    const a = (await run()).inventoryJson();
    const b = (await run()).inventoryJson();
    expect(b).toBe(a);
    const workers = await run({ jobs: 2 });
    expect(workers.inventoryJson()).toBe(a);
    expect(workers.stats.workers).toBe(2);
  });

  it("gives the same bytes with the workers started before the configs load, and runs a small plan here", async () => {
    const a = (await run({ jobs: 2 })).inventoryJson();
    const prestarted = await run({ jobs: 2, prestartWorkers: true });
    expect(prestarted.inventoryJson()).toBe(a);
    expect(prestarted.stats.workers).toBe(2);
    // Auto mode: the small plan runs in this process — but for its first stacks, which the
    // started workers (idle anyway: one per core) took before the decision; then they stop.
    const here = await run({ jobs: undefined, prestartWorkers: true, cacheDir });
    expect(here.inventoryJson()).toBe(a);
    expect(here.stats.workers).toBeGreaterThan(0);
    expect(here.stats.workers).toBeLessThanOrEqual(availableParallelism());
    expect(here.stats.stacksInProcess).toBe(here.stats.stacksPlanned - here.stats.workers);
    expect(here.stats.stacksInProcess).toBeGreaterThan(0);
  });

  it("serves unchanged stacks from the cache and re-plans only the shard whose source changed", async () => {
    const first = await run({ cacheDir });
    expect([first.stats.stacksPlanned, first.stats.stacksCached]).toEqual([4, 0]);
    const second = await run({ cacheDir });
    expect([second.stats.stacksPlanned, second.stats.stacksCached]).toEqual([0, 4]);
    expect(second.inventoryJson()).toBe(first.inventoryJson());

    t.edit("sources/payroll/tables/timesheets.yaml", (s) =>
      s.replace(/description: .*/, "description: Changed"),
    );
    const third = await run({ cacheDir });
    const planned = third.head.stacks.filter((s) => !s.cached).map((s) => s.stack);
    // payroll is in prod-business; dev holds every source.
    expect(planned).toEqual(["dev", "prod-business", "prod-core"]);
  });

  it("fails a stack over its resource budget, naming the stack, its count and where the budget is set", async () => {
    for (let i = 0; i < 20; i++)
      t.write(`sources/lab/tables/extra_${i}.yaml`, tableYaml(`extra_${i}`));
    t.edit("environments/dev.yaml", (s) => `${s}sharding:\n  resourceBudget: 100\n`);
    const r = await run({ stacks: ["dev"] });
    expect(r.problems.map((p) => [p.kind, p.stack])).toEqual([["budget", "dev"]]);
    const count = r.head.stacks[0].ok ? r.head.stacks[0].summary.resourceCount : 0;
    expect(count).toBeGreaterThan(100);
    expect(r.problems[0].message).toBe(
      `stack dev has ${count} resources, over its budget of 100 (sharding.resourceBudget in environments/dev.yaml): move sources to another shard or raise the budget`,
    );
  });

  it("reports a program that fails under mocks (in a worker, where rejections are collected)", async () => {
    const r = await run({ program: FAILING_PROGRAM, jobs: 1, stacks: ["dev"] });
    expect(r.problems.map((p) => p.kind)).toEqual(["program"]);
    expect(r.problems[0].message).toContain(
      "stack dev (working tree): the program failed under mocks:",
    );
    expect(r.problems[0].message).toContain("the dev stack cannot be built");
    expect(r.problems[0].message).toContain(
      "config entry behind it: sources/lab/source.yaml:17 (pipeline lab/results)",
    );
  });

  it("rejects configs with errors, with every error's file and line", async () => {
    t.edit("sources/lab/tables/orders.yaml", (s) =>
      s.replace("mode: incremental", "mode: sometimes"),
    );
    const e = await run().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PlanConfigError);
    expect((e as PlanConfigError).revision).toBe("working tree");
    expect((e as PlanConfigError).errors.map((x) => x.file)).toEqual([
      "sources/lab/tables/orders.yaml",
    ]);
    // With workers started before the load: the same error, and they stop (the plan returns).
    const prestarted = await run({ jobs: 2, prestartWorkers: true }).catch((x: unknown) => x);
    expect(prestarted).toBeInstanceOf(PlanConfigError);
    expect((prestarted as PlanConfigError).errors).toEqual((e as PlanConfigError).errors);
  });

  it("writes the config load's caches once a worker's first stack is back, and before returning", async () => {
    const written = (): string[] => {
      const configs = join(cacheDir, ".configs");
      if (!existsSync(configs)) return [];
      return readdirSync(configs)
        .flatMap((d) => readdirSync(join(configs, d)))
        .sort();
    };
    const seen: string[][] = [];
    const r = await run({
      cacheDir,
      jobs: 1,
      stacks: ["dev"],
      onEvent: (e) => {
        if (e.kind === "queued" || e.kind === "done") seen.push(written());
      },
    });
    expect(r.stats.stacksPlanned).toBe(1);
    // Only the tree index's manifest at `queued` and when the stack came back: the rest is
    // written after the listener saw the first stack.
    expect(seen).toEqual([["manifest"], ["manifest"]]);
    expect(written()).toEqual(["estate.v8", "manifest", expect.stringMatching(/^parsed-.*\.v8$/)]);
    // An unchanged tree is read back from that snapshot: the same plan, from the plan cache.
    const again = await run({ cacheDir, jobs: 1, stacks: ["dev"] });
    expect(again.stats.stacksCached).toBe(1);
    expect(again.inventoryJson()).toBe(r.inventoryJson());
  });

  it("writes the parse cache when the configs have errors, before rejecting", async () => {
    t.edit("sources/lab/tables/orders.yaml", (s) =>
      s.replace("mode: incremental", "mode: sometimes"),
    );
    await expect(run({ cacheDir })).rejects.toBeInstanceOf(PlanConfigError);
    const configs = join(cacheDir, ".configs");
    const files = readdirSync(configs).flatMap((d) => readdirSync(join(configs, d)));
    expect(files.filter((f) => f.startsWith("parsed-"))).toHaveLength(1);
  });

  it("plans only the stacks whose inputs changed since a git revision", async () => {
    gitInit(t);
    t.edit("sources/payroll/tables/timesheets.yaml", (s) =>
      s.replace(/description: .*/, "description: Changed"),
    );
    const r = await run({ changedSince: "HEAD", cacheDir });
    // A core's slice is its whole environment (cores are small); its exports did not change, so
    // the other shard is left out.
    expect(r.head.stacks.map((s) => s.stack)).toEqual(["dev", "prod-business", "prod-core"]);
    expect(r.unchanged).toEqual(["prod-clinical"]);
    await expect(run({ changedSince: "no-such-ref" })).rejects.toThrow(
      'unknown git revision "no-such-ref"',
    );
  });
});

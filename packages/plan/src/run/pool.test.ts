/**
 * The worker pool and its jobs, with the stand-in program: a worker writes its stack's cache
 * entry and sends back no inventory (the same bytes as planning in this process without a
 * cache), the JSON comes back when there is no cache or it cannot be written, a dead worker is a
 * failed outcome, the queue runs by priority, and auto mode plans small work in this process.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PROJECT, DEFAULT_PULUMI_ORG, loadEstateOrThrow, type Estate } from "@hdp/config";
import { CRASHING_PROGRAM, STANDIN_PROGRAM, tree, type Tree } from "../__fixtures__/trees";
import { PlanCache } from "./cache";
import { WorkerPool, workerExecArgv, type JobResult, type PoolJob } from "./pool";
import { runStack, type StackJob } from "./run-stack";

let t: Tree;
let estate: Estate;
let dir: string;
beforeAll(() => {
  t = tree();
  estate = loadEstateOrThrow(t.configs);
});
afterAll(() => t.cleanup());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-pool-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const job = (stack: string, program = STANDIN_PROGRAM): StackJob => ({
  programModule: program,
  stack,
  environment: stack,
  shard: undefined,
  resourceBudget: 3000,
  project: DEFAULT_PROJECT,
  organization: DEFAULT_PULUMI_ORG,
  stackOutputs: {},
});

const poolJob = (stack: string, extra: Partial<PoolJob> = {}): PoolJob => ({
  estateId: "e",
  estate,
  job: job(stack),
  sliceSources:
    estate.environments.flatMap((e) => e.stacks).find((s) => s.name === stack)?.sources ?? [],
  priority: [0],
  ...extra,
});

async function withPool<T>(
  options: ConstructorParameters<typeof WorkerPool>[0],
  f: (pool: WorkerPool) => Promise<T>,
): Promise<T> {
  const pool = new WorkerPool(options);
  try {
    return await f(pool);
  } finally {
    await pool.close();
  }
}

const planned = (r: JobResult) => {
  if (!r.outcome.ok) throw new Error(r.outcome.messages.join("\n"));
  return r.outcome;
};

describe("WorkerPool", () => {
  it("has the worker write the stack's cache entry and send back no inventory — the same bytes as in this process", async () => {
    const here = await runStack(estate, job("dev"));
    if (!here.ok) throw new Error(here.messages.join("\n"));
    expect(here.json.length).toBeGreaterThan(1000);
    const r = await withPool({ size: 1 }, (pool) =>
      pool.run(poolJob("dev", { cache: { dir, key: "k1" } })),
    );
    const out = planned(r);
    expect(out.json).toBeUndefined();
    expect(out.summary).toEqual(here.summary);
    expect(out.exports).toEqual(here.exports);
    const cache = new PlanCache(dir);
    expect(cache.inventory("dev", "k1")).toBe(here.json);
    const hit = cache.get("dev", "k1");
    expect(hit?.summary).toEqual(here.summary);
    expect(hit?.json()).toBe(here.json);
  }, 60_000);

  it("sends the inventory back when there is no cache, or when it cannot be written", async () => {
    const blocked = join(dir, "not-a-dir");
    writeFileSync(blocked, "a file where the cache directory should be");
    const [none, unwritable] = await withPool({ size: 2 }, (pool) =>
      Promise.all([
        pool.run(poolJob("dev")),
        pool.run(poolJob("dev", { cache: { dir: blocked, key: "k" } })),
      ]),
    );
    const a = planned(none);
    const b = planned(unwritable);
    expect(a.json?.length).toBeGreaterThan(1000);
    expect(b.json).toBe(a.json);
  }, 60_000);

  it("gives a failed outcome when the worker dies, and goes on with a new worker", async () => {
    const [dead, alive] = await withPool({ size: 1 }, (pool) =>
      Promise.all([
        pool.run(poolJob("dev", { job: job("dev", CRASHING_PROGRAM) })),
        pool.run(poolJob("dev", { job: job("dev"), priority: [1] })),
      ]),
    );
    expect(dead.outcome).toEqual({
      ok: false,
      stack: "dev",
      messages: [
        "the worker planning this stack exited (signal SIGKILL); out of memory? try --jobs 1 or a smaller shard",
      ],
      durationMs: 0,
    });
    expect(planned(alive).summary.resourceCount).toBeGreaterThan(0);
    expect(alive.worker).toBe(1);
  }, 60_000);

  it("runs queued jobs by priority, first come first among equals", async () => {
    const done: string[] = [];
    await withPool({ size: 1 }, async (pool) => {
      const one = (name: string, priority: number[]) =>
        pool.run(poolJob("dev", { priority })).then((r) => {
          planned(r);
          done.push(name);
        });
      // The first starts at once (an idle worker); the others wait and go by priority.
      await Promise.all([
        one("first", [9]),
        one("late", [1, 5]),
        one("early", [0, 7]),
        one("middle", [1, 2]),
        one("middle-too", [1, 2]),
      ]);
    });
    expect(done).toEqual(["first", "early", "middle", "middle-too", "late"]);
  }, 60_000);

  it("in auto mode plans small work in this process and larger work on workers", async () => {
    await withPool({ size: 2, inProcessBelow: 1000 }, async (pool) => {
      const pending = pool.run(poolJob("dev", { cache: { dir, key: "small" } }));
      pool.warm(STANDIN_PROGRAM, 1, 400);
      const small = planned(await pending);
      expect(small.json).toBeUndefined();
      expect(pool.ranHere).toBe(1);
      expect(pool.cpuMs).toEqual([]);
      // More work announced takes the total over the line: workers from now on.
      pool.warm(STANDIN_PROGRAM, 1, 5000);
      const large = planned(await pool.run(poolJob("dev", { cache: { dir, key: "large" } })));
      expect(pool.ranHere).toBe(1);
      expect(pool.cpuMs.length).toBe(1);
      expect(large.summary).toEqual(small.summary);
      const cache = new PlanCache(dir);
      expect(cache.inventory("dev", "large")).toBe(cache.inventory("dev", "small"));
    });
  }, 60_000);

  it("runs jobs on the workers prestarted before them, starting no others", async () => {
    await withPool({ size: 2, inProcessBelow: 1000 }, async (pool) => {
      pool.prestart(STANDIN_PROGRAM);
      expect(pool.started).toBe(2);
      const pending = [
        pool.run(poolJob("dev", { cache: { dir, key: "a" } })),
        pool.run(poolJob("dev", { cache: { dir, key: "b" }, priority: [1] })),
      ];
      pool.warm(STANDIN_PROGRAM, 2, 5000);
      const results = await Promise.all(pending);
      for (const r of results) planned(r);
      expect(results.map((r) => r.worker).sort()).toEqual([0, 1]);
      expect(pool.started).toBe(2);
      expect(pool.ranHere).toBe(0);
      const cache = new PlanCache(dir);
      expect(cache.inventory("dev", "a")).toBe(cache.inventory("dev", "b"));
    });
  }, 60_000);

  it("stops the prestarted workers when the plan turns out small and runs it here", async () => {
    await withPool({ size: 2, inProcessBelow: 1000 }, async (pool) => {
      pool.prestart(STANDIN_PROGRAM);
      expect(pool.running).toBe(2);
      pool.warm(STANDIN_PROGRAM, 1, 400);
      planned(await pool.run(poolJob("dev", { cache: { dir, key: "small" } })));
      expect(pool.ranHere).toBe(1);
      for (let i = 0; i < 600 && pool.running > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(pool.running).toBe(0);
      expect(pool.started).toBe(2);
      // Nothing more starts once jobs run here.
      pool.prestart(STANDIN_PROGRAM);
      expect(pool.started).toBe(2);
    });
  }, 60_000);

  it("hands a job to a prestarted worker before where jobs run is decided, and no second", async () => {
    await withPool({ size: 2, inProcessBelow: 1000 }, async (pool) => {
      pool.prestart(STANDIN_PROGRAM, 1);
      const started: string[] = [];
      const first = pool.run(
        poolJob("dev", { cache: { dir, key: "a" }, onStart: () => started.push("a") }),
      );
      const second = pool.run(
        poolJob("dev", {
          cache: { dir, key: "b" },
          priority: [1],
          onStart: () => started.push("b"),
        }),
      );
      // The idle worker took the first at once; the second waits, and no worker is started for it.
      expect(started).toEqual(["a"]);
      expect(pool.started).toBe(1);
      // The plan turns out small: what waits runs here, and the worker stops once done.
      pool.warm(STANDIN_PROGRAM, 1, 400);
      const [a, b] = await Promise.all([first, second]);
      expect(a.worker).toBe(0);
      expect(pool.cpuMs.length).toBe(1);
      expect(pool.ranHere).toBe(1);
      expect(started).toEqual(["a"]);
      planned(a);
      planned(b);
      const cache = new PlanCache(dir);
      expect(cache.inventory("dev", "a")).toBe(cache.inventory("dev", "b"));
      for (let i = 0; i < 600 && pool.running > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(pool.running).toBe(0);
    });
  }, 60_000);

  it("sends an estate offered to the started workers once, before any job of it", async () => {
    await withPool({ size: 2, inProcessBelow: 1000 }, async (pool) => {
      await pool.offer("e", estate); // no worker yet: nothing to send
      pool.prestart(STANDIN_PROGRAM);
      await pool.offer("e", estate);
      pool.warm(STANDIN_PROGRAM, 2, 5000);
      const results = await Promise.all([
        pool.run(poolJob("dev", { cache: { dir, key: "a" } })),
        pool.run(poolJob("dev", { cache: { dir, key: "b" } })),
      ]);
      expect(results.map((r) => r.worker).sort()).toEqual([0, 1]);
      for (const r of results) planned(r);
    });
  }, 60_000);
});

describe("workerExecArgv", () => {
  it("gives flags this Node accepts, with gc() exposed and the bench's extra flags last", () => {
    // Node refuses an unknown V8 flag ("bad option"): a flag renamed or dropped by a Node
    // upgrade would stop every worker from starting.
    const r = spawnSync(
      process.execPath,
      [...workerExecArgv(["--stack-size=2000"]), "-e", "process.stdout.write(typeof gc)"],
      { encoding: "utf8" },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("function");
    expect(workerExecArgv(["--stack-size=2000"]).at(-1)).toBe("--stack-size=2000");
  });
});

describe("PlanCache.prune", () => {
  it("keeps the newest entries and every key the run uses, and tolerates missing files", () => {
    const cache = new PlanCache(dir);
    const entry = (n: number) => ({
      summary: {} as never,
      exports: { outputs: { n }, secretOutputNames: [] },
      json: `{"n":${n}}`,
    });
    for (let i = 0; i < 7; i++) {
      cache.write("prod-a/b", `k${i}`, entry(i));
      const when = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
      utimesSync(join(dir, "prod-a_b", `k${i}.meta.json`), when, when);
    }
    cache.prune("prod-a/b", new Set(["k0", "k1"]));
    const left = [0, 1, 2, 3, 4, 5, 6].filter((i) => cache.get("prod-a/b", `k${i}`) !== undefined);
    // k0 and k1 are this run's; of the rest the two newest make four in all.
    expect(left).toEqual([0, 1, 5, 6]);
    expect(cache.get("prod-a/b", "k1")?.json()).toBe('{"n":1}');
    cache.prune("no-such-stack", new Set());
  });
});

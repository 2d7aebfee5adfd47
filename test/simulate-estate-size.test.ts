/**
 * `hdp simulate estate` sizes shards and prints resource counts from `estate/sizing.ts`'s count
 * per source: checked here against what the platform really creates, by planning a generated,
 * sharded estate with the real program.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { plan, type PlanResult } from "@hdp/plan";
import { generateEstate, writeEstate, type GeneratedEstate } from "@hdp/simulate";

let dir: string;
let estate: GeneratedEstate;
let result: PlanResult;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hdp-sim-size-"));
  // Sources of 36 tables on average: some need two Databricks jobs (pipelines), and each
  // environment needs shards.
  estate = generateEstate({ hospitals: 16, sources: 60, tablesPerSource: 36, seed: 3 });
  writeEstate(estate, join(dir, "configs"));
  result = await plan({ configs: join(dir, "configs"), envs: ["dev", "prod"], cacheDir: false });
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the generated estate plans without problems, every stack within its budget", () => {
  expect(result.problems.map((p) => p.message)).toEqual([]);
  expect(result.head.stacks.length).toBeGreaterThan(2);
  for (const s of result.head.stacks) {
    expect(s.ok).toBe(true);
    if (s.ok) expect(s.summary.resourceCount).toBeLessThanOrEqual(3000);
  }
  expect(estate.summary.pipelines).toBeGreaterThan(estate.summary.sources);
});

test.each(["dev", "prod"])(
  "the estimate of %s is the planned count, erring high only by the core's margin",
  (env) => {
    const planned = result.head.stacks
      .filter((s) => s.ok && s.summary.environment === env)
      .reduce((n, s) => n + (s.ok ? s.summary.resourceCount : 0), 0);
    expect(planned).toBeGreaterThan(0);
    expect(estate.summary.stacks[env]).toBe(
      result.head.stacks.filter((s) => s.ok && s.summary.environment === env).length,
    );
    const estimated = estate.summary.estimatedResources[env];
    // The core is estimated at 430 resources (it has ~400-420): nothing else may differ.
    expect(estimated - planned).toBeGreaterThanOrEqual(0);
    expect(estimated - planned).toBeLessThanOrEqual(40);
  },
);

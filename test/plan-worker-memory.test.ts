/**
 * What a plan worker does to hold less between stacks changes no byte: planning one environment
 * after another in one process lets go of the other environments' memos (`releaseEnvironments`);
 * an estate read through `v8.deserialize`, as a worker and the estate snapshot read it, has its
 * equal strings pointed at one instance (@hdp/config's `shareStrings`); a stack planned again
 * after another environment, from a fresh estate, or from a deserialized and shared one gives
 * the same inventory, and the estate stays the same data. (Workers also hold the estate without
 * its columns: test/plan-column-slices.test.ts.)
 */
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { loadEstateOrThrow, shareStrings, type Estate } from "@hdp/config";
import { runStack, type StackJob, type StackOutcome } from "@hdp/plan";

const CONFIGS = join(__dirname, "..", "configs");
const PROGRAM = require.resolve("@hdp/platform");

function job(estate: Estate, stack: string): StackJob {
  const env = estate.environments.find((e) => e.stacks.some((s) => s.name === stack));
  const spec = env?.stacks.find((s) => s.name === stack);
  if (env === undefined || spec === undefined) throw new Error(`no stack ${stack}`);
  return {
    programModule: PROGRAM,
    stack,
    environment: env.name,
    shard: spec.shard,
    resourceBudget: env.sharding.resourceBudget,
    project: "hdp",
    organization: "organization",
    stackOutputs: {},
  };
}

function planned(o: StackOutcome): string {
  if (!o.ok) throw new Error(o.messages.join("\n"));
  expect(o.summary.resourceCount).toBeGreaterThan(0);
  return o.json;
}

it("gives the same inventory after another environment, and from a fresh estate", async () => {
  const estate = loadEstateOrThrow(CONFIGS);
  const before = JSON.stringify(estate);
  const devFirst = planned(await runStack(estate, job(estate, "dev")));
  const stage = planned(await runStack(estate, job(estate, "stage")));
  const devAgain = planned(await runStack(estate, job(estate, "dev")));
  expect(devAgain).toBe(devFirst);
  expect(JSON.stringify(estate)).toBe(before);

  const fresh = loadEstateOrThrow(CONFIGS);
  expect(planned(await runStack(fresh, job(fresh, "stage")))).toBe(stage);

  const copy = deserialize(serialize(loadEstateOrThrow(CONFIGS))) as Estate;
  expect(shareStrings(copy)).toBeGreaterThan(1000);
  expect(JSON.stringify(copy)).toBe(before);
  expect(planned(await runStack(copy, job(copy, "stage")))).toBe(stage);
}, 300_000);

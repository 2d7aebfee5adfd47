/**
 * What a plan worker does to hold less between stacks changes no byte: planning one environment
 * after another in one process lets go of the other environments' memos (`releaseEnvironments`)
 * and points the estate's equal strings at one instance (`share-strings.ts`); a stack planned
 * again after another environment, or from a fresh estate, gives the same inventory, and the
 * estate stays the same data.
 */
import { join } from "node:path";
import { loadEstateOrThrow, type Estate } from "@hdp/config";
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
}, 300_000);

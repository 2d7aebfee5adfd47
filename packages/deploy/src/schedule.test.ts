import { runGraph, checkGraph } from "./schedule";
import type { StackNode } from "./order";

const node = (name: string, dependsOn: string[] = []): StackNode => ({
  name,
  environment: "prod",
  dependsOn,
});
const sharded = [
  node("prod-core"),
  node("prod-clinical", ["prod-core"]),
  node("prod-genomics", ["prod-core"]),
  node("prod-business", ["prod-core"]),
];

/** A controllable run: records starts and concurrency; each stack finishes when released. */
function harness(fail: string[] = [], throws: string[] = []) {
  const log: string[] = [];
  let running = 0;
  let peak = 0;
  const run = async (stack: string) => {
    running++;
    peak = Math.max(peak, running);
    log.push(`start ${stack}`);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    log.push(`end ${stack}`);
    if (throws.includes(stack)) throw new Error(`engine crashed on ${stack}`);
    return { ok: !fail.includes(stack), value: stack, reason: `${stack} broke` };
  };
  return { log, run, peak: () => peak };
}

describe("runGraph", () => {
  it("runs the core first and the shards only after it succeeded", async () => {
    const h = harness();
    const runs = await runGraph(sharded, 4, h.run);
    expect(h.log.slice(0, 2)).toEqual(["start prod-core", "end prod-core"]);
    expect(h.log.filter((l) => l.startsWith("start"))).toHaveLength(4);
    expect(runs.map((r) => [r.stack, r.status])).toEqual([
      ["prod-core", "succeeded"],
      ["prod-clinical", "succeeded"],
      ["prod-genomics", "succeeded"],
      ["prod-business", "succeeded"],
    ]);
  });

  it.each([1, 2, 3])("never runs more than %i stacks at once, and uses that many", async (jobs) => {
    const h = harness();
    const many = [node("core"), ...Array.from({ length: 6 }, (_, i) => node(`s${i}`, ["core"]))];
    await runGraph(many, jobs, h.run);
    expect(h.peak()).toBe(jobs);
  });

  it("skips the stacks that depend on a failed one and lets the independent ones finish", async () => {
    const h = harness(["a-core"]);
    const nodes = [
      node("a-core"),
      node("a-1", ["a-core"]),
      node("a-2", ["a-1"]),
      node("b"),
      node("c", ["b"]),
    ];
    const runs = await runGraph(nodes, 2, h.run);
    expect(runs).toEqual([
      { stack: "a-core", status: "failed", value: "a-core", reason: "a-core broke" },
      { stack: "a-1", status: "skipped", reason: "a-core failed" },
      { stack: "a-2", status: "skipped", reason: "a-1 was skipped" },
      { stack: "b", status: "succeeded", value: "b" },
      { stack: "c", status: "succeeded", value: "c" },
    ]);
    expect(h.log).not.toContain("start a-1");
  });

  it("counts a run that throws as failed, with the error", async () => {
    const h = harness([], ["prod-core"]);
    const runs = await runGraph(sharded, 2, h.run);
    expect(runs[0]).toEqual({
      stack: "prod-core",
      status: "failed",
      reason: "engine crashed on prod-core",
    });
    expect(runs.slice(1).map((r) => r.status)).toEqual(["skipped", "skipped", "skipped"]);
  });

  it("returns nothing for no stacks, and rejects bad graphs and job counts", async () => {
    await expect(runGraph([], 2, harness().run)).resolves.toEqual([]);
    await expect(runGraph(sharded, 0, harness().run)).rejects.toThrow("jobs must be 1 or more");
    expect(() => checkGraph([node("x", ["y"])])).toThrow('depends on "y", which is not in');
    expect(() => checkGraph([node("x", ["y"]), node("y")])).toThrow("does not come before it");
    expect(() => checkGraph([node("x"), node("x")])).toThrow("appears twice");
  });
});

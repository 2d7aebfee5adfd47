/**
 * `plan()` on the sample estate (configs/) with the real program, @hdp/platform's buildStack:
 * every stack plans within its budget, shards get their core's exports, the inventory is the
 * same bytes run after run and in worker processes, and the recorder's cost levers change
 * nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { plan, type PlanResult, type StackInventory } from "@hdp/plan";

const CONFIGS = join(__dirname, "..", "configs");

let inProcess: PlanResult;
beforeAll(async () => {
  inProcess = await plan({ configs: CONFIGS, jobs: 0, cacheDir: false });
}, 300_000);

/** Every stack of a plan planned (a failed stack has no inventory, so would compare equal). */
function expectAllPlanned(r: PlanResult, stacks: readonly string[]): void {
  expect(r.problems).toEqual([]);
  expect(r.head.stacks.map((s) => [s.stack, s.ok])).toEqual(stacks.map((s) => [s, true]));
  const inv = inventories(r);
  expect([...inv.keys()].sort()).toEqual([...stacks].sort());
  for (const s of inv.values()) expect(s.resources.length).toBeGreaterThan(0);
}

const inventories = (r: PlanResult): Map<string, StackInventory> =>
  new Map(
    (JSON.parse(r.inventoryJson()) as { stacks: StackInventory[] }).stacks.map((s) => [s.stack, s]),
  );

describe("the sample estate under hdp plan", () => {
  it("plans every stack without problems", () => {
    expect(inProcess.problems).toEqual([]);
    expect(inProcess.head.stacks.map((s) => s.stack)).toEqual([
      "dev",
      "prod-business",
      "prod-clinical",
      "prod-core",
      "prod-genomics",
      "stage",
    ]);
    for (const s of inProcess.head.stacks) {
      if (!s.ok) throw new Error(`${s.stack}: ${s.messages.join("\n")}`);
      expect(s.summary.resourceCount).toBeGreaterThan(0);
      expect(s.summary.resourceCount).toBeLessThanOrEqual(s.summary.resourceBudget);
    }
  });

  it("evaluates the policy pack on every stack: no violation, mandatory or advisory", () => {
    expect(inProcess.policy.stacks).toEqual(inProcess.head.stacks.map((s) => s.stack));
    expect(inProcess.policy.blocking).toBe(0);
    // Listed rather than counted, so a regression names the rule and the resource.
    expect(
      inProcess.policy.findings.map(
        (f) => `${f.level} ${f.rule} ${f.stack} ${f.name}: ${f.message}`,
      ),
    ).toEqual([]);
    expect(inProcess.policy.relaxations).toEqual([]);
  });

  it("serves each shard its core's exports through the StackReference", () => {
    const inv = inventories(inProcess);
    const core = inv.get("prod-core") as StackInventory;
    for (const shard of ["prod-business", "prod-clinical", "prod-genomics"]) {
      const refs = (inv.get(shard) as StackInventory).resources.filter(
        (r) => r.type === "pulumi:pulumi:StackReference",
      );
      expect(refs.map((r) => [r.name, r.inputs.name, r.read])).toEqual([
        ["core", "organization/health-data-platform/prod-core", true],
      ]);
    }
    // What a shard's objects are wired to is what the core exported, e.g. its domain's KMS key.
    const keys = core.exports.lakeKmsKeyArns as Record<string, string>;
    const clinical = JSON.stringify((inv.get("prod-clinical") as StackInventory).resources);
    expect(clinical).toContain(keys.clinical);
    expect(clinical).not.toContain(keys.genomics);
  });

  it("records engine URNs, parents and masked inputs", () => {
    const dev = inventories(inProcess).get("dev") as StackInventory;
    expect(dev.resources.filter((r) => r.parent !== null).length).toBeGreaterThan(100);
    const urns = new Set(dev.resources.map((r) => r.urn));
    expect(urns.size).toBe(dev.resources.length);
    for (const r of dev.resources) {
      expect(r.urn.startsWith("urn:pulumi:dev::health-data-platform::")).toBe(true);
      if (r.parent !== null) {
        expect(urns.has(r.parent)).toBe(true);
        // The engine qualifies a child's type with its parent's whole qualified type.
        const parentType = r.parent.split("::")[2];
        expect(r.urn.split("::")[2]).toBe(`${parentType}$${r.type}`);
      }
    }
  });

  it("gives the same bytes in worker processes, with the cost levers off, and run after run", async () => {
    const stacks = inProcess.head.stacks.map((s) => s.stack);
    expect(stacks).toHaveLength(6);
    expectAllPlanned(inProcess, stacks);
    const workers = await plan({ configs: CONFIGS, jobs: 2, cacheDir: false });
    expectAllPlanned(workers, stacks);
    expect(workers.inventoryJson()).toBe(inProcess.inventoryJson());
    expect(workers.policy).toEqual(inProcess.policy);
    const naive = await plan({
      configs: CONFIGS,
      jobs: 0,
      cacheDir: false,
      fast: false,
      stacks: ["prod-core", "prod-clinical"],
    });
    expectAllPlanned(naive, ["prod-clinical", "prod-core"]);
    const all = inventories(inProcess);
    for (const [stack, inv] of inventories(naive)) expect(inv).toEqual(all.get(stack));
  }, 300_000);

  it("writes each stack's cache entry in the worker that planned it, and plans a small estate in this process by default: the same bytes", async () => {
    const stacks = inProcess.head.stacks.map((s) => s.stack);
    const cacheDir = mkdtempSync(join(tmpdir(), "hdp-plan-estate-cache-"));
    try {
      const workers = await plan({ configs: CONFIGS, jobs: 2, cacheDir });
      expectAllPlanned(workers, stacks);
      expect([workers.stats.stacksInProcess, workers.stats.workerCpuMs.length]).toEqual([0, 2]);
      expect(workers.inventoryJson()).toBe(inProcess.inventoryJson());
      expect(workers.policy).toEqual(inProcess.policy);
      // On disk, each stack's one entry is its inventory entry as planned in this process.
      for (const s of inProcess.head.stacks) {
        if (!s.ok) throw new Error(s.stack);
        const files = readdirSync(join(cacheDir, s.stack)).filter((f) =>
          f.endsWith(".inventory.json"),
        );
        expect(files).toHaveLength(1);
        expect(readFileSync(join(cacheDir, s.stack, files[0]), "utf8")).toBe(s.json());
      }
      const again = await plan({ configs: CONFIGS, jobs: 2, cacheDir });
      expect([again.stats.stacksPlanned, again.stats.stacksCached]).toEqual([0, 6]);
      expect(again.inventoryJson()).toBe(inProcess.inventoryJson());
      expect(again.policy).toEqual(inProcess.policy);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    // By default a plan this small runs in this process (no worker start-up), same bytes.
    const auto = await plan({ configs: CONFIGS, cacheDir: false });
    expectAllPlanned(auto, stacks);
    expect([auto.stats.stacksInProcess, auto.stats.workerCpuMs.length]).toEqual([6, 0]);
    expect(auto.inventoryJson()).toBe(inProcess.inventoryJson());
    expect(auto.policy).toEqual(inProcess.policy);
  }, 300_000);
});

import { diffInventories } from "../inventory/diff";
import { inventoryResource, stackInventoryOf } from "../__fixtures__/inventory";
import type { InventoryResource, StackInventory } from "../inventory/inventory";
import { MARKDOWN_BUDGET, renderMarkdown } from "./markdown";
import type { PlanResult } from "../planner";

const res = (name: string): InventoryResource =>
  inventoryResource("dev", "aws:iam/role:Role", name, {
    inputs: { name, description: "x".repeat(200) },
  });

const inv = (resources: InventoryResource[]): StackInventory => stackInventoryOf("dev", resources);

function result(created: number): PlanResult {
  const after = inv(
    Array.from({ length: created }, (_, i) => res(`role-${String(i).padStart(5, "0")}`)),
  );
  return {
    project: "p",
    head: { label: "working tree", stacks: [] },
    base: { label: "main (0123456789)", stacks: [] },
    diff: diffInventories(new Map([["dev", inv([])]]), new Map([["dev", after]])),
    unchanged: [],
    problems: [],
    guard: undefined,
    policy: { findings: [], blocking: 0, relaxations: [], stacks: ["dev"] },
    stats: {
      stacksPlanned: 0,
      stacksCached: 0,
      resources: 0,
      durationMs: 0,
      workers: 0,
      workerPeakRss: [],
      workerCpuMs: [],
      stacksInProcess: 0,
      inProcessPeakRss: undefined,
    },
    inventoryJson: () => "",
    inventoryPieces: () => [],
  };
}

describe("renderMarkdown", () => {
  it("caps long lists with a count", () => {
    const md = renderMarkdown(result(100));
    expect(md).toContain(
      "**100 to create, 0 to update, 0 to delete, 0 replaced** (0 unchanged) in 1 stack.",
    );
    expect(md.match(/^- `aws:iam\/role:Role` role-/gm)).toHaveLength(25);
    expect(md).toContain("- …and 75 more");
  });

  it("stays under the comment budget however large the diff", () => {
    const md = renderMarkdown(result(20_000));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_BUDGET);
    expect(md).toContain("20,000 to create");
  });
});

/**
 * The plan cache and --changed-since trust a shard's config slice: whatever lies outside it
 * must not change the shard's plan. Checked here with the real program: details of another
 * shard's sources change (descriptions, columns, retention, owner, connection), the slice hash
 * of this shard stays the same, and so does its planned inventory. Both ways of hashing tables
 * are checked: by their loaded form (an estate loaded without a cache) and by their files'
 * digests (loaded through a cache, as `hdp plan` loads).
 */
import { join } from "node:path";
import { hasTableDigests, loadEstate } from "@hdp/config";
import { plan, sliceHash, type PlanResult } from "@hdp/plan";
import { tree, type Tree } from "../packages/plan/src/__fixtures__/trees";

let t: Tree;
beforeEach(() => {
  t = tree();
});
afterEach(() => t.cleanup());

const STACKS = ["prod-business", "prod-clinical"];
const planShards = (): Promise<PlanResult> =>
  plan({ configs: t.configs, stacks: STACKS, jobs: 0, cacheDir: false });
let loads = 0;
/** The shards' slice hashes; `byFile`: the estate loaded through a (fresh) cache. */
const hashesOf = (byFile: boolean): Record<string, string> => {
  const r = loadEstate(t.configs, byFile ? { cacheDir: join(t.dir, `cache-${++loads}`) } : {});
  if (!r.ok) throw new Error(`${r.errors.length} config errors`);
  expect(hasTableDigests(r.estate)).toBe(byFile);
  return Object.fromEntries(STACKS.map((s) => [s, sliceHash(r.estate, s)]));
};
const json = (r: PlanResult, stack: string): string => {
  const s = r.head.stacks.find((x) => x.stack === stack);
  if (!s?.ok) throw new Error(`${stack} did not plan`);
  return s.json();
};

describe.each([
  ["tables hashed by their loaded form", false],
  ["tables hashed by their files' digests", true],
])("a shard's config slice (%s)", (_, byFile) => {
  const hashes = (): Record<string, string> => hashesOf(byFile);
  it("holds everything that changes the shard's plan, and nothing of another shard's details", async () => {
    const before = { hashes: hashes(), plan: await planShards() };
    // payroll is prod-business's; lab is prod-clinical's.
    t.edit("sources/payroll/tables/employees.yaml", (s) =>
      s
        .replace(/description: .*/, "description: Someone else's table, described again")
        .replace("columns:\n", "columns:\n  - name: added_column\n    type: string\n"),
    );
    t.edit("sources/payroll/source.yaml", (s) =>
      s.replace(/email: [^ }]+/, "email: new-owner@example.org"),
    );
    const after = { hashes: hashes(), plan: await planShards() };

    expect(after.hashes["prod-clinical"]).toBe(before.hashes["prod-clinical"]);
    expect(json(after.plan, "prod-clinical")).toBe(json(before.plan, "prod-clinical"));
    // The changed source's own shard has a new slice (whether or not its plan changed).
    expect(after.hashes["prod-business"]).not.toBe(before.hashes["prod-business"]);
  });

  it("changes when the shard's own sources change", () => {
    const before = hashes();
    t.edit("sources/lab/tables/orders.yaml", (s) =>
      s.replace(/description: .*/, "description: New"),
    );
    const after = hashes();
    expect(after["prod-clinical"]).not.toBe(before["prod-clinical"]);
    expect(after["prod-business"]).toBe(before["prod-business"]);
  });
});

import { changedPaths, diffInventories } from "./diff";
import { inventoryResource, stackInventoryOf } from "../__fixtures__/inventory";
import type { InventoryResource } from "./inventory";

const res = (
  stack: string,
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  over: Partial<InventoryResource> = {},
): InventoryResource => inventoryResource(stack, type, name, { inputs, ...over });

const inv = stackInventoryOf;

const BUCKET = "aws:s3/bucket:Bucket";
const ROLE = "aws:iam/role:Role";
const JOB = "databricks:index/job:Job";

describe("changedPaths", () => {
  test.each([
    ["a changed scalar", { a: 1 }, { a: 2 }, ["a"]],
    [
      "a nested field",
      { tags: { owner: "x", env: "dev" } },
      { tags: { owner: "y", env: "dev" } },
      ["tags.owner"],
    ],
    ["an added field", { a: 1 }, { a: 1, b: 2 }, ["b"]],
    ["a removed field", { a: 1, b: 2 }, { a: 1 }, ["b"]],
    ["an array element", { l: [1, { x: 1 }] }, { l: [1, { x: 2 }] }, ["l[1].x"]],
    ["an array of another length", { l: [1] }, { l: [1, 2] }, ["l"]],
    [
      "a field inside JSON text",
      { policy: JSON.stringify({ Statement: [{ Resource: "a" }] }) },
      { policy: JSON.stringify({ Statement: [{ Resource: "b" }] }) },
      ["policy{Statement[0].Resource}"],
    ],
    ["JSON text reformatted only", { policy: '{"a":1}' }, { policy: '{ "a": 1 }' }, ["policy"]],
    ["nothing", { a: [1, { b: "c" }] }, { a: [1, { b: "c" }] }, []],
  ])("%s", (_, a, b, paths) => {
    expect(changedPaths(res("s", ROLE, "r", a), res("s", ROLE, "r", b))).toEqual(paths);
  });

  it("reports changed options", () => {
    const a = res("s", BUCKET, "b", {}, { protect: false, dependsOn: [] });
    const b = res("s", BUCKET, "b", {}, { protect: true, dependsOn: ["urn:x"] });
    expect(changedPaths(a, b)).toEqual(["options.protect", "options.dependsOn"]);
  });
});

describe("diffInventories", () => {
  it("finds created, updated, deleted and unchanged resources by URN", () => {
    const before = inv("dev", [
      res("dev", BUCKET, "keep", { bucket: "k" }),
      res("dev", JOB, "lab-ingest", { schedule: { quartzCronExpression: "0 0 2 * * ?" } }),
      res("dev", ROLE, "gone", { name: "gone-role" }),
    ]);
    const after = inv("dev", [
      res("dev", BUCKET, "keep", { bucket: "k" }),
      res("dev", JOB, "lab-ingest", { schedule: { quartzCronExpression: "0 0 3 * * ?" } }),
      res("dev", ROLE, "new", { name: "new-role" }),
    ]);
    const d = diffInventories(new Map([["dev", before]]), new Map([["dev", after]]));
    const s = d.stacks[0];
    expect(s.created.map((r) => r.name)).toEqual(["new"]);
    expect(s.updated.map((r) => [r.name, r.paths])).toEqual([
      ["lab-ingest", ["schedule.quartzCronExpression"]],
    ]);
    expect(s.deleted.map((r) => r.name)).toEqual(["gone"]);
    expect(s.replaced).toEqual([]);
    expect(s.unchanged).toBe(1);
    expect(d.totals).toEqual({ create: 1, update: 1, delete: 1, replace: 0, same: 1 });
    expect(s.byType[ROLE]).toEqual({ create: 1, update: 0, delete: 1, replace: 0, same: 0 });
  });

  it("reports a logical rename with the same physical name as a replacement, not delete + create", () => {
    const before = inv("dev", [
      res("dev", BUCKET, "old-name", { bucket: "shs-dev-lab" }, { protect: true }),
    ]);
    const after = inv("dev", [
      res("dev", BUCKET, "new-name", { bucket: "shs-dev-lab" }, { protect: true }),
    ]);
    const s = diffInventories(new Map([["dev", before]]), new Map([["dev", after]])).stacks[0];
    expect(s.created).toEqual([]);
    expect(s.deleted).toEqual([]);
    expect(s.replaced).toEqual([
      {
        type: BUCKET,
        cause: "rename",
        identity: "aws:s3/bucket:Bucket bucket=shs-dev-lab",
        forcedBy: [],
        paths: [],
        values: { before: "", after: "" },
        from: expect.objectContaining({ name: "old-name", stateful: true }),
        to: expect.objectContaining({ name: "new-name", stateful: true }),
      },
    ]);
  });

  it("keeps a rename that also changes the physical name as delete + create", () => {
    const before = inv("dev", [res("dev", BUCKET, "lab-orders", { bucket: "shs-dev-orders" })]);
    const after = inv("dev", [res("dev", BUCKET, "lab-requests", { bucket: "shs-dev-requests" })]);
    const s = diffInventories(new Map([["dev", before]]), new Map([["dev", after]])).stacks[0];
    expect([s.created.length, s.deleted.length, s.replaced.length]).toEqual([1, 1, 0]);
    expect(s.deleted[0].stateful).toBe(true);
  });

  it("matches a resource moved to another stack of the same environment, never across environments", () => {
    const before = new Map([
      [
        "prod-a",
        inv("prod-a", [res("prod-a", ROLE, "lab", { name: "shs-prod-ingest-lab" })], "prod"),
      ],
      ["prod-b", inv("prod-b", [], "prod")],
      ["dev", inv("dev", [res("dev", ROLE, "lab", { name: "shared-name" })], "dev")],
    ]);
    const after = new Map([
      ["prod-a", inv("prod-a", [], "prod")],
      [
        "prod-b",
        inv("prod-b", [res("prod-b", ROLE, "lab", { name: "shs-prod-ingest-lab" })], "prod"),
      ],
      ["dev", inv("dev", [], "dev")],
      ["stage", inv("stage", [res("stage", ROLE, "lab", { name: "shared-name" })], "stage")],
    ]);
    const d = diffInventories(before, after);
    const by = new Map(d.stacks.map((s) => [s.stack, s]));
    expect(by.get("prod-b")?.replaced.map((x) => [x.from.stack, x.to.stack])).toEqual([
      ["prod-a", "prod-b"],
    ]);
    expect(by.get("prod-a")?.deleted).toEqual([]);
    expect(by.get("dev")?.deleted.map((r) => r.name)).toEqual(["lab"]);
    expect(by.get("stage")?.created.map((r) => r.name)).toEqual(["lab"]);
  });

  it("treats a stack on one side only as all created or all deleted", () => {
    const d = diffInventories(
      new Map([["old", inv("old", [res("old", ROLE, "a", { name: "a" })])]]),
      new Map([["new", inv("new", [res("new", ROLE, "b", { name: "b" })])]]),
    );
    expect(d.stacks.map((s) => [s.stack, s.created.length, s.deleted.length])).toEqual([
      ["new", 1, 0],
      ["old", 0, 1],
    ]);
  });

  it("reports a changed input the provider cannot update in place as a replacement (same URN)", () => {
    const SCHEMA = "databricks:index/schema:Schema";
    const before = inv("stage", [
      res("stage", BUCKET, "lab", { bucket: "shs-stage-111-lab", tags: { a: "1" } }),
      res("stage", SCHEMA, "lab-bronze", {
        name: "lab_bronze",
        catalogName: "shs_stage",
        storageRoot: "s3://shs-stage-111-clinical-bronze/lab",
        comment: "x",
      }),
      res("stage", JOB, "lab-job", { name: "lab" }),
    ]);
    const after = inv("stage", [
      res("stage", BUCKET, "lab", { bucket: "shs-stage-222-lab", tags: { a: "2" } }),
      res("stage", SCHEMA, "lab-bronze", {
        name: "lab_bronze",
        catalogName: "shs_stage",
        storageRoot: "s3://shs-stage-111-finance-bronze/lab",
        comment: "y",
      }),
      res("stage", JOB, "lab-job", { name: "lab-renamed" }),
    ]);
    const s = diffInventories(new Map([["stage", before]]), new Map([["stage", after]])).stacks[0];
    expect(s.updated.map((u) => u.name)).toEqual(["lab-job"]);
    expect(
      s.replaced.map((x) => [x.cause, x.to.name, x.forcedBy, x.paths, x.from.urn === x.to.urn]),
    ).toEqual([
      ["inputs", "lab", ["bucket"], ["bucket", "tags.a"], true],
      ["inputs", "lab-bronze", ["storageRoot"], ["comment", "storageRoot"], true],
    ]);
    expect(s.replaced[0].values).toEqual({
      before: '"shs-stage-111-lab"',
      after: '"shs-stage-222-lab"',
    });
    expect(s.byType[BUCKET]).toEqual({ create: 0, update: 0, delete: 0, replace: 1, same: 0 });
  });
});

import { canonicalJson } from "./canonical-json";
import { renderInventory, renderStack, stackInventory, summarize } from "./inventory";
import type { RecordedResource } from "@hdp/recorder";

const rec = (name: string, type = "aws:iam/role:Role"): RecordedResource => ({
  urn: `urn:pulumi:dev::p::${type}::${name}`,
  type,
  name,
  parent: undefined,
  custom: true,
  read: false,
  inputs: { name },
  protect: false,
  retainOnDelete: false,
  deleteBeforeReplace: false,
  ignoreChanges: [],
  dependencies: [],
  dependsOn: [],
  provider: undefined,
  providerRef: undefined,
});

const inv = (names: string[]) =>
  stackInventory({
    stack: "dev",
    environment: "dev",
    shard: undefined,
    resourceBudget: 3000,
    resources: names.map((n) => rec(n)),
    exports: { b: 1, token: "s3cr3t", a: { x: 1 } },
    secretExports: ["token"],
  });

describe("the inventory", () => {
  it("sorts resources by URN and masks secret exports", () => {
    const i = inv(["b", "a", "c"]);
    expect(i.resources.map((r) => r.name)).toEqual(["a", "b", "c"]);
    expect(i.exports).toEqual({ a: { x: 1 }, b: 1, token: "[secret]" });
    expect(i.shard).toBeNull();
  });

  it("does not depend on the order resources were recorded in", () => {
    expect(renderStack(inv(["c", "a", "b"]))).toBe(renderStack(inv(["a", "b", "c"])));
  });

  it("pastes rendered stacks into the same document canonicalJson renders", () => {
    const a = inv(["a"]);
    const b = { ...inv(["z"]), stack: "stage" };
    const text = renderInventory("proj", [
      { stack: "stage", json: renderStack(b) },
      { stack: "dev", json: renderStack(a) },
    ]);
    expect(text).toBe(`${canonicalJson({ format: 1, project: "proj", stacks: [a, b] })}\n`);
    expect(renderInventory("proj", [])).toBe(
      `${canonicalJson({ format: 1, project: "proj", stacks: [] })}\n`,
    );
  });

  it("counts resources by type", () => {
    const i = stackInventory({
      stack: "dev",
      environment: "dev",
      shard: undefined,
      resourceBudget: 10,
      resources: [rec("a"), rec("b", "aws:s3/bucket:Bucket"), rec("c")],
      exports: {},
      secretExports: [],
    });
    expect(summarize(i)).toEqual({
      stack: "dev",
      environment: "dev",
      shard: null,
      resourceBudget: 10,
      resourceCount: 3,
      byType: { "aws:iam/role:Role": 2, "aws:s3/bucket:Bucket": 1 },
    });
  });
});

import { baseEstate } from "./__fixtures__";
import { coreStackName, stackReferenceName, stackRole, stackSpec } from "./stacks";

describe("stackSpec", () => {
  test.each([
    ["dev", "dev", undefined, ["lab", "payroll"], "all"],
    ["prod-core", "prod", "core", [], "core"],
    ["prod-clinical", "prod", "clinical", ["lab"], "shard"],
    ["prod-business", "prod", "business", ["payroll"], "shard"],
  ])("%s is environment %s, shard %s, sources %j (%s)", (name, env, shard, sources, role) => {
    const spec = stackSpec(baseEstate(), name);
    expect(spec).toEqual({ name, environment: env, shard, sources });
    expect(stackRole(spec)).toBe(role);
  });

  it("names the valid stacks when the stack is unknown", () => {
    expect(() => stackSpec(baseEstate(), "prod")).toThrow(
      'unknown stack "prod": the estate has the stacks dev, prod-core, prod-clinical, prod-business',
    );
  });
});

describe("coreStackName", () => {
  it("is <env>-core for a sharded environment and undefined otherwise", () => {
    expect(coreStackName(baseEstate(), "prod")).toBe("prod-core");
    expect(coreStackName(baseEstate(), "dev")).toBeUndefined();
  });

  it("throws on an unknown environment", () => {
    expect(() => coreStackName(baseEstate(), "qa")).toThrow(
      'unknown environment "qa" (have: dev, prod)',
    );
  });
});

test("stackReferenceName is <org>/<project>/<stack>", () => {
  expect(stackReferenceName("acme", "health-data-platform", "prod-core")).toBe(
    "acme/health-data-platform/prod-core",
  );
});

import { stacksNamed } from "./stacks";

/** Environments as `--stack` sees them: names and their stacks' names. */
const envs = (spec: Record<string, readonly string[]>) =>
  Object.entries(spec).map(([name, shards]) => ({
    name,
    stacks: (shards.length === 0 ? [name] : shards.map((s) => `${name}-${s}`)).map((n) => ({
      name: n,
      environment: name,
      shard: undefined,
      sources: [],
    })),
  }));

const small = envs({ dev: [], prod: ["core", "clinical", "business"] });
/** The health-system preset's shape: 222 stacks in three sharded environments. */
const large = envs(
  Object.fromEntries(
    ["dev", "stage", "prod"].map((e) => [
      e,
      ["core", ...Array.from({ length: 73 }, (_, i) => `shard-${i + 1}`)],
    ]),
  ),
);

describe("stacksNamed", () => {
  it("selects a stack by its name, and every stack of an environment by the environment's name", () => {
    expect(stacksNamed(small, ["prod-clinical"])).toEqual({
      stacks: ["prod-clinical"],
      errors: [],
    });
    expect(stacksNamed(small, ["prod"]).stacks).toEqual([
      "prod-core",
      "prod-clinical",
      "prod-business",
    ]);
    // Unsharded, the environment's name is its one stack's.
    expect(stacksNamed(small, ["dev"]).stacks).toEqual(["dev"]);
    const dev = stacksNamed(large, ["dev"]);
    expect(dev.errors).toEqual([]);
    expect(dev.stacks).toHaveLength(74);
    expect(dev.stacks.every((s) => s.startsWith("dev-"))).toBe(true);
    // In estate order, each once, whatever the order and repetition of the names.
    expect(stacksNamed(small, ["prod-business", "dev", "prod", "dev"]).stacks).toEqual([
      "dev",
      "prod-core",
      "prod-clinical",
      "prod-business",
    ]);
  });

  it("lists a few stacks on a typo, with the closest name", () => {
    expect(stacksNamed(small, ["prod-clinicl"]).errors).toEqual([
      'unknown stack "prod-clinicl"; did you mean "prod-clinical"? (stacks: dev, prod-core, prod-clinical, prod-business)',
    ]);
  });

  it("names the environments, not hundreds of stacks, in a large estate; every bad name at once", () => {
    const r = stacksNamed(large, ["stg", "prod-shard-7", "nothing-like-it"]);
    expect(r.stacks).toEqual(["prod-shard-7"]);
    expect(r.errors).toEqual([
      'unknown stack "stg"; did you mean "stage"? (222 stacks; an environment\'s name selects all of its stacks: dev, stage, prod)',
      'unknown stack "nothing-like-it" (222 stacks; an environment\'s name selects all of its stacks: dev, stage, prod)',
    ]);
    expect(r.errors.join("\n").length).toBeLessThan(300);
  });

  it("says which environment a stack is not in when the caller chose one (--env)", () => {
    const prod = large.filter((e) => e.name === "prod");
    expect(stacksNamed(prod, ["prod"]).stacks).toHaveLength(74);
    expect(stacksNamed(prod, ["prod-shrd-7"], "prod").errors).toEqual([
      'stack "prod-shrd-7" is not in environment "prod"; did you mean "prod-shard-7"? (74 stacks: prod-core, prod-shard-1, prod-shard-2, …; "prod" selects them all)',
    ]);
  });
});

import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import { deployGraph } from "./order";

const estate = loadEstateOrThrow(join(__dirname, "..", "..", "..", "configs"));

describe("deployGraph", () => {
  it("puts a sharded environment's core first and makes every shard depend on it", () => {
    const g = deployGraph(estate, "prod");
    expect(g.length).toBeGreaterThan(2);
    expect(g[0]).toEqual({ name: "prod-core", environment: "prod", dependsOn: [] });
    for (const n of g.slice(1)) expect(n.dependsOn).toEqual(["prod-core"]);
  });

  it("gives an unsharded environment one stack", () => {
    expect(deployGraph(estate, "dev")).toEqual([
      { name: "dev", environment: "dev", dependsOn: [] },
    ]);
  });

  it("keeps only the stacks asked for; a shard alone does not wait for an absent core", () => {
    expect(deployGraph(estate, "prod", ["prod-clinical"])).toEqual([
      { name: "prod-clinical", environment: "prod", dependsOn: [] },
    ]);
    expect(deployGraph(estate, "prod", ["prod-clinical", "prod-core"]).map((n) => n.name)).toEqual([
      "prod-core",
      "prod-clinical",
    ]);
  });

  it("takes the environment's name for all of its stacks, as hdp plan's --stack does", () => {
    expect(deployGraph(estate, "prod", ["prod"])).toEqual(deployGraph(estate, "prod"));
    expect(deployGraph(estate, "prod", ["prod", "prod-clinical"])).toEqual(
      deployGraph(estate, "prod"),
    );
  });

  it("names the known environments and stacks on a typo", () => {
    expect(() => deployGraph(estate, "prd")).toThrow(
      /unknown environment "prd"; did you mean "prod"\? \(environments: dev, /,
    );
    expect(() => deployGraph(estate, "prod", ["stage"])).toThrow(
      /stack "stage" is not in environment "prod".*\(stacks: prod-core, /,
    );
  });
});

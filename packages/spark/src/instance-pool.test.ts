import { findResource, record } from "@hdp/testing";
import { InstancePool, type InstancePoolArgs, validateInstancePoolArgs } from "./instance-pool";
import { HOUSE_TAGS, inventory } from "./__fixtures__";

const POOL = "databricks:index/instancePool:InstancePool";

const args = (over: Partial<InstancePoolArgs> = {}): InstancePoolArgs => ({
  nodeTypeId: "m6i.xlarge",
  maxCapacity: 20,
  tags: HOUSE_TAGS,
  ...over,
});

describe("InstancePool", () => {
  it("creates exactly one pool with idle auto-termination, capacity and tags", async () => {
    const { resources } = await record(() => new InstancePool("ingest", args()));
    expect(inventory(resources)).toEqual([
      [POOL, "ingest-pool", "ingest"],
      ["hdp:spark:InstancePool", "ingest", ""],
    ]);
    const pool = findResource(resources, POOL, "ingest-pool");
    expect(pool.inputs).toEqual({
      instancePoolName: "ingest",
      nodeTypeId: "m6i.xlarge",
      idleInstanceAutoterminationMinutes: 15,
      minIdleInstances: 0,
      maxCapacity: 20,
      enableElasticDisk: true,
      awsAttributes: { availability: "ON_DEMAND" },
      customTags: HOUSE_TAGS,
    });
  });

  it("passes overrides through", async () => {
    const { resources } = await record(
      () =>
        new InstancePool(
          "p",
          args({
            poolName: "hdp-prod-ingest",
            idleInstanceAutoterminationMinutes: 0,
            minIdleInstances: 2,
            preloadedSparkVersion: "15.4.x-scala2.12",
            availability: "SPOT",
            zoneId: "us-east-2a",
          }),
        ),
    );
    const pool = findResource(resources, POOL, "p-pool");
    expect(pool.inputs).toMatchObject({
      instancePoolName: "hdp-prod-ingest",
      idleInstanceAutoterminationMinutes: 0,
      minIdleInstances: 2,
      preloadedSparkVersions: ["15.4.x-scala2.12"],
      awsAttributes: { availability: "SPOT", zoneId: "us-east-2a" },
    });
  });

  it.each([
    [
      { idleInstanceAutoterminationMinutes: 10001 },
      "idleInstanceAutoterminationMinutes: 10001 must be an integer from 0 to 10000",
    ],
    [{ minIdleInstances: 30 }, "minIdleInstances: 30 is above maxCapacity 20"],
    [{ maxCapacity: 0 }, "maxCapacity: 0 must be an integer from 1 to 10000"],
    [
      { preloadedSparkVersion: "auto:latest-lts" },
      'preloadedSparkVersion: "auto:latest-lts" is not a runtime key',
    ],
    [{ nodeTypeId: " " }, "nodeTypeId: is empty"],
    [{ tags: {} }, 'tags: missing the house tag(s) "owner"'],
    [{ poolName: "p".repeat(100) }, "poolName:"],
  ] as [Partial<InstancePoolArgs>, string][])("rejects %p", (over, message) => {
    expect(validateInstancePoolArgs(over.poolName ?? "p", args(over)).join("\n")).toContain(
      message,
    );
    expect(() => new InstancePool("p", args(over))).toThrow(message);
  });

  it("refuses a non-LTS preloaded runtime (databricks-lts-runtime) unless accepted", async () => {
    expect(
      () => new InstancePool("clinical", args({ preloadedSparkVersion: "16.1.x-scala2.12" })),
    ).toThrow(
      'preloadedSparkVersion: databricks-lts-runtime: preloads non-LTS runtime 16.1.x-scala2.12 (the policy pack\'s rule; list "databricks-lts-runtime" in acceptInsecure to accept it knowingly)',
    );
    const { resources } = await record(() => [
      new InstancePool("lts", args({ preloadedSparkVersion: "16.4.x-scala2.12" })),
      new InstancePool(
        "accepted",
        args({
          preloadedSparkVersion: "16.1.x-scala2.12",
          acceptInsecure: ["databricks-lts-runtime"],
        }),
      ),
    ]);
    expect(findResource(resources, POOL, "accepted-pool").inputs.preloadedSparkVersions).toEqual([
      "16.1.x-scala2.12",
    ]);
    expect(findResource(resources, POOL, "lts-pool").inputs.preloadedSparkVersions).toEqual([
      "16.4.x-scala2.12",
    ]);
  });
});

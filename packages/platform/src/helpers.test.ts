import { baseEstate } from "./__fixtures__";
import { policyRuntime, preloadedRuntime } from "./core";
import { planStack } from "./plan";
import { awsProviderArgs } from "./providers";
import { schemaStorageRoot } from "./sources";

describe("compute settings", () => {
  test.each([
    [["auto:latest-lts"], "auto:latest-lts", {}],
    [["15.4.x-scala2.12"], ["15.4.x-scala2.12"], { preloadedSparkVersion: "15.4.x-scala2.12" }],
    [
      ["15.4.x-scala2.12", "16.4.x-scala2.12"],
      ["15.4.x-scala2.12", "16.4.x-scala2.12"],
      { preloadedSparkVersion: "15.4.x-scala2.12" },
    ],
  ])("sparkVersions %j: policy runtime %j, pool %j", (versions, runtime, pool) => {
    expect(policyRuntime(versions)).toEqual(runtime);
    expect(preloadedRuntime(versions)).toEqual(pool);
  });
});

describe("the AWS provider", () => {
  test.each([
    ["dev", "111111111111", "dev"],
    ["prod-core", "222222222222", "prod"],
    ["prod-business", "222222222222", "prod"],
  ])("of %s is locked to account %s, in the platform's region", (stack, account, env) => {
    expect(awsProviderArgs(baseEstate(), planStack(baseEstate(), stack))).toEqual({
      region: "us-east-2",
      allowedAccountIds: [account],
      defaultTags: { tags: { environment: env } },
    });
  });
});

test("a source's schemas keep their tables under managed/<source> of the layer bucket", () => {
  expect(schemaStorageRoot("tst-dev-clinical-bronze-111111111111", "lab")).toBe(
    "s3://tst-dev-clinical-bronze-111111111111/managed/lab",
  );
});

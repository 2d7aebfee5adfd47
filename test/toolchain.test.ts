import { dirname } from "node:path";

/**
 * Two copies of @pulumi/pulumi break the mock runtime (`resp.getUnknown is not a function`, hangs):
 * the provider packages must resolve the same copy as the program.
 */
describe("toolchain", () => {
  const sdkFrom = (from: string): string =>
    dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [from] }));

  it("has exactly one @pulumi/pulumi, shared by the program and every provider", () => {
    const program = sdkFrom(__dirname);
    const aws = sdkFrom(dirname(require.resolve("@pulumi/aws/package.json", { paths: [program] })));
    expect(aws).toBe(program);
  });
});

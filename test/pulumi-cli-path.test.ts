/**
 * The real Pulumi CLI path from this repository: `pulumi preview --policy-pack packages/policy`
 * (the README's command) starts the pack through @pulumi/pulumi's policy runner, which loads the
 * folder's package.json `main`. The published tarball is covered by test/packaging.test.ts.
 */
import { join } from "node:path";
import { startPolicyPack } from "./support/pulumi-runner";

const ROOT = join(__dirname, "..");

describe("pulumi preview --policy-pack packages/policy", () => {
  it("comes up from the sources with the README's NODE_OPTIONS, nothing built", async () => {
    const env = { ...process.env, NODE_OPTIONS: "--conditions=@hdp/source" };
    const started = await startPolicyPack(join(ROOT, "packages", "policy"), env);
    expect({ stderr: started.stderr, exitCode: started.exitCode }).toEqual({
      stderr: "",
      exitCode: null,
    });
    expect(started.port).toBeGreaterThan(0);
  }, 150_000);
});

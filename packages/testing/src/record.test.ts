import { spawnSync } from "node:child_process";
import * as pulumi from "@pulumi/pulumi";
import { findResource, record, valueOf } from "./record";

/** A concrete custom resource for tests (CustomResource is abstract). */
class Raw extends pulumi.CustomResource {
  constructor(
    type: string,
    name: string,
    props: pulumi.Inputs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(type, name, props, opts);
  }
}

/** A concrete provider for tests (ProviderResource is abstract). */
class RawProvider extends pulumi.ProviderResource {
  constructor(pkg: string, name: string) {
    super(pkg, name, {});
  }
}

class Thing extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:test:Thing", name, {}, opts);
    const first = new Raw(
      "aws:s3/bucket:Bucket",
      `${name}-a`,
      { bucket: `${name}-bucket` },
      { parent: this, protect: true },
    );
    new Raw(
      "aws:iam/role:Role",
      `${name}-b`,
      { name: "r", tags: { x: "1" } },
      { parent: this, dependsOn: [first], retainOnDelete: true },
    );
    this.registerOutputs({});
  }
}

describe("record", () => {
  it("records type, name, parent, inputs and options of every resource", async () => {
    const { resources } = await record(() => new Thing("t"));
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ["hdp:test:Thing", "t"],
      ["aws:s3/bucket:Bucket", "t-a"],
      ["aws:iam/role:Role", "t-b"],
    ]);
    const thing = findResource(resources, "hdp:test:Thing", "t");
    const bucket = findResource(resources, "aws:s3/bucket:Bucket", "t-a");
    const role = findResource(resources, "aws:iam/role:Role", "t-b");
    expect(bucket.parent).toBe(thing.urn);
    expect(bucket.protect).toBe(true);
    expect(bucket.inputs).toEqual({ bucket: "t-bucket" });
    expect(role.retainOnDelete).toBe(true);
    expect(role.dependencies).toContain(bucket.urn);
    expect(role.inputs.tags).toEqual({ x: "1" });
    expect(bucket.provider).toBeUndefined();
  });

  it("records the explicit provider of a custom resource as a reference to it", async () => {
    const { resources } = await record(() => {
      const provider = new RawProvider("aws", "main");
      new Raw("aws:s3/bucket:Bucket", "b", {}, { provider });
    });
    const provider = findResource(resources, "pulumi:providers:aws", "main");
    const bucket = findResource(resources, "aws:s3/bucket:Bucket", "b");
    expect(bucket.provider?.startsWith(`${provider.urn}::`)).toBe(true);
  });

  it("surfaces errors thrown inside apply() (outside jest, which intercepts them itself)", () => {
    const script = [
      'const pulumi = require("@pulumi/pulumi");',
      'const { record } = require("./record");',
      'record(() => { pulumi.output("x").apply(() => { throw new Error("boom in apply"); }); })',
      '  .then(() => { console.log("no error"); process.exit(0); },',
      '        (e) => { console.log("rejected: " + e.message); process.exit(3); });',
    ].join("\n");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--conditions=@hdp/source", "-e", script],
      {
        cwd: __dirname,
        encoding: "utf8",
      },
    );
    expect(run.stdout).toContain("rejected: the program failed under mocks:\nboom in apply");
    expect(run.status).toBe(3);
  });

  it("sets the project, stack and organization the program sees", async () => {
    const { result } = await record(
      () => [pulumi.getProject(), pulumi.getStack(), pulumi.getOrganization()],
      { project: "p", stack: "s", organization: "o" },
    );
    expect(result).toEqual(["p", "s", "o"]);
    const defaults = await record(() => pulumi.getOrganization());
    expect(defaults.result).toBe("organization");
  });

  it("runs several programs one after another with fresh state", async () => {
    const a = await record(() => new Thing("one"));
    const b = await record(() => new Thing("one"));
    expect(b.resources.map((r) => r.urn)).toEqual(a.resources.map((r) => r.urn));
  });

  it("serves the outputs given for a referenced stack to pulumi.StackReference, and records it", async () => {
    const { resources, result } = await record(
      () => {
        const ref = new pulumi.StackReference("core", { name: "org/proj/prod-core" });
        return { bucket: ref.requireOutput("bucket"), names: ref.getOutput("names") };
      },
      { stackOutputs: { "org/proj/prod-core": { bucket: "b-1", names: { a: "x" } } } },
    );
    expect(await valueOf(result.bucket)).toBe("b-1");
    expect(await valueOf(result.names)).toEqual({ a: "x" });
    const ref = findResource(resources, "pulumi:pulumi:StackReference", "core");
    expect(ref.inputs.name).toBe("org/proj/prod-core");
    expect(ref.custom).toBe(true);
  });

  it("gives a referenced stack it was given no outputs for no outputs", async () => {
    const { result } = await record(() =>
      new pulumi.StackReference("core", { name: "org/proj/other" }).getOutput("bucket"),
    );
    expect(await valueOf(result)).toBeUndefined();
  });
});

import { spawnSync } from "node:child_process";
import * as pulumi from "@pulumi/pulumi";
import { leversOf, recordProgram, type Levers, type RecordedResource } from "./record";
import { engineUrn, providerRefUrn, qualifiedType } from "./urn";

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

class Box extends pulumi.ComponentResource {
  readonly bucket: Raw;
  constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    this.bucket = new Raw(
      "aws:s3/bucket:Bucket",
      `${name}-bucket`,
      { bucket: `${name}-b` },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

/** Outer > Inner > Bucket, plus a role depending on the bucket explicitly and through an input. */
function program(): { arn: pulumi.Output<string> } {
  const outer = new (class extends pulumi.ComponentResource {
    constructor() {
      super("hdp:test:Outer", "outer", {});
      this.registerOutputs({});
    }
  })();
  const inner = new Box("hdp:test:Inner", "inner", { parent: outer });
  const other = new Raw("aws:kms/key:Key", "key", {});
  new Raw(
    "aws:iam/role:Role",
    "role",
    {
      name: "r",
      assumeRolePolicy: inner.bucket.urn.apply(() => "{}"),
      password: pulumi.secret("hunter2"),
      nested: { list: [1, pulumi.secret("x")], keep: "yes" },
    },
    { dependsOn: [other], protect: true, retainOnDelete: true, ignoreChanges: ["tags"] },
  );
  return { arn: inner.bucket.urn };
}

/**
 * A bucket whose property Outputs are read before its registration answers (`bucket`, into the
 * role's inputs), in an apply once its URN resolved (`password`, `tags`), and only after the run
 * (`token`: built from the settled registration).
 */
class Bucketish extends Raw {
  declare readonly bucket: pulumi.Output<string>;
  declare readonly password: pulumi.Output<string>;
  declare readonly token: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<Record<string, string>>;
}

function outputsProgram() {
  const bucket = new Bucketish("aws:s3/bucket:Bucket", "b", {
    bucket: "b-1",
    password: pulumi.secret("hunter2"),
    token: pulumi.secret("t-1"),
    tags: { a: "1" },
  });
  new Raw("aws:iam/role:Role", "early", { name: bucket.bucket });
  const later = bucket.urn.apply(() =>
    pulumi.all([bucket.bucket, bucket.password]).apply(([b, p]) => `${b}/${p}`),
  );
  new Raw("aws:iam/role:Role", "late", { name: later, secretName: bucket.password });
  const kind = (o: object, k: string) =>
    Object.getOwnPropertyDescriptor(o, k)?.get !== undefined ? "accessor" : "data";
  const before = kind(bucket, "tags");
  const unread = { before, after: "", output: false };
  void bucket.urn.apply(() => {
    unread.output = pulumi.Output.isInstance(bucket.tags);
    unread.after = kind(bucket, "tags");
  });
  return { bucket, later, unread };
}

class Point {
  constructor(
    readonly x = 1,
    readonly skipped: undefined = undefined,
  ) {}
}

class Keyish extends Raw {
  declare readonly description: pulumi.Output<string>;
}

/**
 * Every kind of input the SDK serializes: plain trees (with undefined members, undefined and
 * function list elements, class instances), Outputs and resources nested in plain objects, a
 * promise, a secret, an unknown, assets and archives, component and custom resources, an
 * explicit provider, and `id`/`urn` keys (which the SDK leaves out).
 */
function inputsProgram() {
  const provider = new (class extends pulumi.ProviderResource {
    constructor() {
      super("aws", "main", { region: "us-east-2", skip: undefined });
    }
  })();
  const box = new Box("hdp:test:Inner", "box");
  const key = new Keyish(
    "aws:kms/key:Key",
    "key",
    {
      description: "k",
      tags: { a: "1", skip: undefined },
      list: [1, undefined, "x", null, () => 1, [true, { n: 2.5 }]],
      fn: () => 2,
      deep: { a: { b: [{ c: true, d: "" }] } },
      instance: new Point(),
      empty: {},
      none: null,
      id: "left-out",
      urn: "left-out",
    },
    { provider },
  );
  // An SDK internal, exported: the value an Output holds when it is unknown.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const unknown = (require("@pulumi/pulumi/output") as { unknown: unknown }).unknown;
  new Raw(
    "aws:iam/role:Role",
    "mixed",
    {
      plain: { a: 1, b: ["x"] },
      nested: { id: key.id, list: ["a", key.urn], description: key.description },
      promise: Promise.resolve({ x: 1, y: [key.urn] }),
      secret: pulumi.secret({ s: "hunter2" }),
      secretInList: ["p", pulumi.secret("q")],
      unknown,
      resource: key,
      component: box,
      inList: [box, key],
      asset: new pulumi.asset.StringAsset("hello"),
      archive: new pulumi.asset.AssetArchive({ f: new pulumi.asset.StringAsset("x") }),
      duck: { __pulumiAsset: true, text: "duck-typed" },
      after: "last",
    },
    { dependsOn: [box], provider },
  );
  // A StackReference (a read) and its outputs, plain and secret, as inputs.
  const ref = new pulumi.StackReference("core", { name: "o/p/prod-core" });
  new Raw("aws:iam/role:Role", "from-ref", {
    bucket: ref.requireOutput("bucket"),
    token: ref.requireOutput("token"),
    both: { list: [ref.getOutput("bucket")], plain: "p" },
  });
  new Raw("aws:s3/bucket:Bucket", "unknown-only", { u: { deep: [unknown] }, a: "x" });
  new Raw("aws:s3/bucket:Bucket", "plain-only", { bucket: "p", tags: { t: "1" } }, { parent: box });
  return { key };
}

const byName = (rs: readonly RecordedResource[], name: string): RecordedResource => {
  const r = rs.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no ${name} in ${rs.map((x) => x.name).join(", ")}`);
  return r;
};

describe("engine URNs", () => {
  test.each([
    [undefined, "a:b:C", "urn:pulumi:s::p::a:b:C::n"],
    ["urn:pulumi:s::p::x:y:Z::parent", "a:b:C", "urn:pulumi:s::p::x:y:Z$a:b:C::n"],
    ["urn:pulumi:s::p::x:y:Z$u:v:W::parent", "a:b:C", "urn:pulumi:s::p::x:y:Z$u:v:W$a:b:C::n"],
  ])("under %s", (parent, type, urn) => {
    expect(engineUrn("s", "p", parent, type, "n")).toBe(urn);
  });

  it("reads qualified types and provider references", () => {
    expect(qualifiedType("urn:pulumi:s::p::a$b::n")).toBe("a$b");
    expect(() => qualifiedType("nope")).toThrow("not a URN");
    expect(providerRefUrn("urn:pulumi:s::p::pulumi:providers:aws::main::abc-123")).toBe(
      "urn:pulumi:s::p::pulumi:providers:aws::main",
    );
    expect(providerRefUrn("")).toBeUndefined();
  });
});

describe("recordProgram", () => {
  it("chains every ancestor's type into a URN, as the engine does", async () => {
    const { resources } = await recordProgram(program, { stack: "dev", project: "proj" });
    const bucket = byName(resources, "inner-bucket");
    expect(bucket.urn).toBe(
      "urn:pulumi:dev::proj::hdp:test:Outer$hdp:test:Inner$aws:s3/bucket:Bucket::inner-bucket",
    );
    expect(bucket.parent).toBe(byName(resources, "inner").urn);
    expect(byName(resources, "inner").parent).toBe(byName(resources, "outer").urn);
    expect(byName(resources, "outer").parent).toBeUndefined();
  });

  it("masks secrets, keeps plain inputs and records the options", async () => {
    const { resources } = await recordProgram(program);
    const role = byName(resources, "role");
    expect(role.inputs).toEqual({
      name: "r",
      assumeRolePolicy: "{}",
      password: "[secret]",
      nested: { list: [1, "[secret]"], keep: "yes" },
    });
    expect(JSON.stringify(resources)).not.toContain("hunter2");
    expect([role.protect, role.retainOnDelete, role.ignoreChanges]).toEqual([true, true, ["tags"]]);
    const key = byName(resources, "key");
    const bucket = byName(resources, "inner-bucket");
    // dependsOn holds the explicit dependency only; dependencies also the input's.
    expect(role.dependsOn).toEqual([key.urn]);
    expect(role.dependencies).toEqual([key.urn, bucket.urn].sort());
  });

  it("gives the same recording with and without the cost levers", async () => {
    const fast = await recordProgram(program, { fast: true });
    const sdk = await recordProgram(program, { fast: false });
    const sorted = (rs: readonly RecordedResource[]) =>
      [...rs].sort((a, b) => (a.urn < b.urn ? -1 : 1));
    expect(sorted(fast.resources)).toEqual(sorted(sdk.resources));
  });

  it("gives the same recording with each lever alone and with all but one", async () => {
    const all = leversOf(true);
    const names = Object.keys(all) as (keyof Levers)[];
    expect(names).toContain("lazyOutputs");
    const sorted = (rs: readonly RecordedResource[]) =>
      JSON.stringify([...rs].sort((a, b) => (a.urn < b.urn ? -1 : 1)));
    expect(names).toEqual(
      expect.arrayContaining(["syncSerialize", "sharedInputs", "emptyDependencies"]),
    );
    const programs: (() => unknown)[] = [outputsProgram, inputsProgram];
    const stackOutputs = {
      "o/p/prod-core": { outputs: { bucket: "b-1", token: "t" }, secretOutputNames: ["token"] },
    };
    for (const run of programs) {
      const reference = sorted((await recordProgram(run, { fast: false, stackOutputs })).resources);
      expect(reference).toContain("[secret]");
      for (const name of names) {
        const alone = await recordProgram(run, { fast: { [name]: true }, stackOutputs });
        expect(sorted(alone.resources)).toBe(reference);
        const allBut = await recordProgram(run, {
          fast: { ...all, [name]: false },
          stackOutputs,
        });
        expect(sorted(allBut.resources)).toBe(reference);
      }
    }
  });

  it("builds a resource's property Outputs when read, equal to the SDK's (lazyOutputs)", async () => {
    const observe = async (fast: boolean) => {
      const { result } = await recordProgram(outputsProgram, { fast });
      const { bucket, later, unread } = result;
      const value = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));
      return {
        value: await value(bucket.bucket),
        secret: await pulumi.isSecret(bucket.password),
        password: await value(bucket.password),
        later: await value(later),
        token: await value(bucket.token),
        tokenSecret: await pulumi.isSecret(bucket.token),
        // An SDK internal, read to compare the dependencies the Output carries.
        tokenResources: (
          await (
            bucket.token as unknown as { allResources(): Promise<Set<unknown>> }
          ).allResources()
        ).has(bucket),
        unread,
      };
    };
    const { unread, ...lazy } = await observe(true);
    const { unread: sdkUnread, ...sdk } = await observe(false);
    expect(lazy).toEqual(sdk);
    expect(lazy).toEqual({
      value: "b-1",
      secret: true,
      password: "hunter2",
      later: "b-1/hunter2",
      token: "t-1",
      tokenSecret: true,
      tokenResources: true,
    });
    // Never read during the run: an accessor (no Output built) until read, then a data property
    // holding an Output, as the SDK's own property always is.
    expect(unread).toEqual({ before: "accessor", after: "data", output: true });
    expect(sdkUnread).toEqual({ before: "data", after: "data", output: true });
  });

  it("restores stack traces and the SDK's promise wrapper after a run", async () => {
    const limit = Error.stackTraceLimit;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable");
    const wrapper = debuggable.debuggablePromise;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const rpc = require("@pulumi/pulumi/runtime/rpc");
    const serialize = rpc.serializeResourceProperties;
    let during: unknown;
    await recordProgram(() => {
      during = rpc.serializeResourceProperties;
      program();
    });
    expect(Error.stackTraceLimit).toBe(limit);
    expect(debuggable.debuggablePromise).toBe(wrapper);
    // The serialization lever is in place only while the recorder runs a program.
    expect(during).not.toBe(serialize);
    expect(rpc.serializeResourceProperties).toBe(serialize);
  });

  it("fails loudly when the SDK's serialization internals changed shape (syncSerialize)", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const rpc = require("@pulumi/pulumi/runtime/rpc");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable");
    const wrapper = debuggable.debuggablePromise;
    const listeners = process.listenerCount("unhandledRejection");
    const serializeProperty = rpc.serializeProperty;
    rpc.serializeProperty = undefined;
    try {
      await expect(
        recordProgram(program, { fast: { noPromiseDebugging: true, syncSerialize: true } }),
      ).rejects.toThrow("update packages/recorder/src/sync-serialize.ts");
    } finally {
      rpc.serializeProperty = serializeProperty;
    }
    // The levers installed before it are undone, and the run's rejection handler removed.
    expect(debuggable.debuggablePromise).toBe(wrapper);
    expect(process.listenerCount("unhandledRejection")).toBe(listeners);
    // Without the lever the run does not touch it.
    rpc.serializeProperty = undefined;
    try {
      await expect(
        recordProgram(program, { fast: { syncSerialize: false } }),
      ).resolves.toBeDefined();
    } finally {
      rpc.serializeProperty = serializeProperty;
    }
  });

  it("walks dependencies only where there are some, and fails loudly if the SDK's walk changed shape (emptyDependencies)", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dependsOn = require("@pulumi/pulumi/runtime/dependsOn");
    const walk = dependsOn.getAllTransitivelyReferencedResourceURNs;
    const asked: number[] = [];
    dependsOn.getAllTransitivelyReferencedResourceURNs = (r: Set<unknown>, e: Set<unknown>) => {
      asked.push(r.size);
      return walk(r, e);
    };
    try {
      const fast = await recordProgram(program, { fast: { emptyDependencies: true } });
      const withLever = asked.splice(0);
      const sdk = await recordProgram(program, { fast: false });
      // The SDK walks every property's set, mostly empty; with the lever only the others.
      expect(asked.filter((n) => n === 0).length).toBeGreaterThan(0);
      expect(withLever.length).toBeGreaterThan(0);
      expect(withLever.every((n) => n > 0)).toBe(true);
      expect([...withLever].sort()).toEqual(asked.filter((n) => n > 0).sort());
      const role = (rs: readonly RecordedResource[]) => byName(rs, "role");
      expect(role(fast.resources)).toEqual(role(sdk.resources));
      expect(role(fast.resources).dependencies.length).toBe(2);
    } finally {
      dependsOn.getAllTransitivelyReferencedResourceURNs = walk;
    }
    dependsOn.getAllTransitivelyReferencedResourceURNs = undefined;
    try {
      await expect(recordProgram(program, { fast: { emptyDependencies: true } })).rejects.toThrow(
        "update packages/recorder/src/empty-dependencies.ts",
      );
    } finally {
      dependsOn.getAllTransitivelyReferencedResourceURNs = walk;
    }
    expect(dependsOn.getAllTransitivelyReferencedResourceURNs).toBe(walk);
  });

  it("serves a referenced stack's outputs, secrets as secrets, and records the read", async () => {
    const { resources, result } = await recordProgram(
      () => {
        const ref = new pulumi.StackReference("core", { name: "o/p/prod-core" });
        const name = ref.requireOutput("bucket");
        const token = ref.requireOutput("token");
        return { name, token, secret: pulumi.isSecret(token), plain: pulumi.isSecret(name) };
      },
      {
        stackOutputs: {
          "o/p/prod-core": { outputs: { bucket: "b-1", token: "t" }, secretOutputNames: ["token"] },
        },
      },
    );
    const value = await new Promise((r) => result.name.apply(r));
    expect(value).toBe("b-1");
    expect(await result.secret).toBe(true);
    expect(await result.plain).toBe(false);
    const ref = byName(resources, "core");
    expect([ref.type, ref.read, ref.inputs.name]).toEqual([
      "pulumi:pulumi:StackReference",
      true,
      "o/p/prod-core",
    ]);
  });

  it("fails on two resources with the same URN (the engine refuses them)", async () => {
    await expect(
      recordProgram(() => {
        new Raw("aws:s3/bucket:Bucket", "same", {});
        new Raw("aws:s3/bucket:Bucket", "same", {});
      }),
    ).rejects.toThrow("duplicate URN urn:pulumi:test::hdp::aws:s3/bucket:Bucket::same");
  });

  it("turns a program that throws into a failed run", async () => {
    await expect(
      recordProgram(() => {
        throw new Error("no such source");
      }),
    ).rejects.toThrow("the program failed under mocks:\nno such source");
  });

  it("fails a program whose inputs do not serialize as the SDK does, with each lever (outside jest)", () => {
    const script = [
      'const pulumi = require("@pulumi/pulumi");',
      'const { recordProgram } = require("./record");',
      "class Raw extends pulumi.CustomResource { constructor(t, n, p) { super(t, n, p); } }",
      "const program = () => {",
      '  new Raw("aws:s3/bucket:Bucket", "getter", { ok: "1", bad: { get boom() { throw new Error("boom in getter"); } } });',
      '  new Raw("aws:s3/bucket:Bucket", "apply", { v: { n: pulumi.output("x").apply(() => { throw new Error("boom in apply"); }) } });',
      "};",
      'const run = (fast) => recordProgram(program, { fast }).then(() => "no error", (e) => e.message);',
      "(async () => {",
      "  const out = [];",
      "  for (const fast of [false, { syncSerialize: true }, true]) out.push(await run(fast));",
      "  console.log(JSON.stringify(out));",
      "  process.exit(0);",
      "})();",
    ].join("\n");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--conditions=@hdp/source", "-e", script],
      { cwd: __dirname, encoding: "utf8" },
    );
    expect(run.status).toBe(0);
    const [sdk, alone, all] = JSON.parse(run.stdout.trim().split("\n").pop() ?? "[]") as string[];
    expect(sdk).toContain('error serializing property "bad": boom in getter');
    expect(sdk).toContain("boom in apply");
    expect(alone).toBe(sdk);
    expect(all).toBe(sdk);
  });

  it("collects errors thrown inside apply() (outside jest, which intercepts them itself)", () => {
    const script = [
      'const pulumi = require("@pulumi/pulumi");',
      'const { recordProgram } = require("./record");',
      'recordProgram(() => { pulumi.output("x").apply(() => { throw new Error("boom in apply"); }); })',
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
});

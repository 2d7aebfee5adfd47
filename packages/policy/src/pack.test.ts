/**
 * The pack entry as the Pulumi CLI runs it: the analyzer process serves the policies over gRPC,
 * takes the per-environment config through `Configure`, and reports through `Analyze` and
 * `AnalyzeStack` what the offline evaluator reports. And nothing but the entry starts a server.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import * as services from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { PROD, bucketSet, contextFor, kmsKey, replace } from "./__fixtures__/resources";
import { evaluate, policyPackConfig, ruleNames, type EvaluatedResource } from "./index";

const PACK_DIR = path.resolve(__dirname, "..");
const fromPulumi = (id: string): unknown =>
  // The gRPC runtime and protobuf well-known types of the SDK (not dependencies of this package).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(require.resolve(id, { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }));
const grpc = fromPulumi("@grpc/grpc-js") as {
  credentials: { createInsecure(): ConstructorParameters<typeof services.AnalyzerClient>[1] };
};
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(o: object): never };
};
const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb") as {
  Empty: new () => never;
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe("the pack entry", () => {
  it("shares the workspace's one @pulumi/pulumi with @pulumi/policy", () => {
    const fromPolicy = require.resolve("@pulumi/pulumi", {
      paths: [path.dirname(require.resolve("@pulumi/policy"))],
    });
    expect(fromPolicy).toBe(require.resolve("@pulumi/pulumi"));
  });

  it("is the only module that constructs a PolicyPack", () => {
    const constructing = sources(path.join(PACK_DIR, "src"))
      .filter((f) => /new\s+PolicyPack\s*\(/.test(readFileSync(f, "utf8")))
      .map((f) => path.relative(PACK_DIR, f));
    expect(constructing).toEqual(["src/pack.ts"]);
    expect(readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")).toMatch(
      /^main: src\/pack\.ts$/m,
    );
  });

  it("is not reached by importing the package: a process importing it exits by itself", () => {
    const run = spawnSync(
      process.execPath,
      [
        "--conditions=@hdp/source",
        "--import",
        "tsx",
        "-e",
        'require("@hdp/policy"); console.log("done")',
      ],
      { cwd: PACK_DIR, encoding: "utf8", timeout: 60_000 },
    );
    expect(run.stderr).toBe("");
    // A PolicyPack would have printed its port and kept the process alive past the timeout.
    expect([run.status, run.stdout.trim()]).toEqual([0, "done"]);
  });
});

describe("the pack served as the Pulumi CLI runs it", () => {
  let child: ChildProcess;
  let client: services.AnalyzerClient;

  beforeAll(async () => {
    child = spawn(
      process.execPath,
      ["--conditions=@hdp/source", "--import", "tsx", "src/pack.ts"],
      { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] },
    );
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolve(out.trim());
      });
      child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
      child.on("exit", (code) => reject(new Error(`pack exited with ${code}: ${err}`)));
    });
    expect(port).toMatch(/^\d+$/);
    client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }, 60_000);

  afterAll(() => {
    client?.close();
    child?.kill();
  });

  const call = <Req, Res>(
    method: (req: Req, cb: (e: Error | null, r: Res) => void) => unknown,
    req: Req,
  ): Promise<Res> =>
    new Promise((resolve, reject) =>
      method.call(client, req, (e: Error | null, r: Res) => (e ? reject(e) : resolve(r))),
    );

  const options = () => new analyzer.AnalyzerResourceOptions().setProtect(false);
  const LEVEL = ["advisory", "mandatory", "disabled", "remediate"];
  const diagnostics = (r: analyzer.AnalyzeResponse) =>
    r
      .getDiagnosticsList()
      .map((d) => [d.getPolicyname(), LEVEL[d.getEnforcementlevel()], d.getMessage(), d.getUrn()])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

  async function configure(config: Record<string, { enforcementLevel: string } & object>) {
    const req = new analyzer.ConfigureAnalyzerRequest();
    for (const [name, { enforcementLevel, ...props }] of Object.entries(config)) {
      const level =
        enforcementLevel === "mandatory"
          ? analyzer.EnforcementLevel.MANDATORY
          : analyzer.EnforcementLevel.ADVISORY;
      req
        .getPolicyconfigMap()
        .set(
          name,
          new analyzer.PolicyConfig()
            .setEnforcementlevel(level)
            .setProperties(Struct.fromJavaScript(props)),
        );
    }
    await call(client.configure, req);
  }

  async function analyze(r: EvaluatedResource) {
    const req = new analyzer.AnalyzeRequest()
      .setType(r.type)
      .setName(r.name)
      .setUrn(r.urn)
      .setProperties(Struct.fromJavaScript(r.inputs))
      .setOptions(options());
    return diagnostics(await call(client.analyze, req));
  }

  async function analyzeStack(resources: EvaluatedResource[]) {
    const req = new analyzer.AnalyzeStackRequest().setResourcesList(
      resources.map((r) =>
        new analyzer.AnalyzerResource()
          .setType(r.type)
          .setName(r.name)
          .setUrn(r.urn)
          .setProperties(Struct.fromJavaScript(r.inputs))
          .setOptions(options()),
      ),
    );
    return diagnostics(await call(client.analyzeStack, req));
  }

  it("serves every rule, mandatory by default", async () => {
    const info = await call<never, analyzer.AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
    expect(info.getName()).toBe("hdp");
    expect(info.getPoliciesList().map((p) => p.getName())).toEqual(ruleNames);
    expect(new Set(info.getPoliciesList().map((p) => p.getEnforcementlevel()))).toEqual(
      new Set([analyzer.EnforcementLevel.MANDATORY]),
    );
  });

  it("reports what evaluate reports, at the level the environment's config gives", async () => {
    const key = kmsKey({
      enableKeyRotation: false,
      tags: { ...(kmsKey().inputs.tags as object), environment: "dev" },
    });
    const dev = contextFor("dev");
    await configure(policyPackConfig(dev));
    const offline = evaluate([key], dev).map((r) => [r.rule, r.level, r.message]);
    expect(offline).toEqual([["kms-key-rotation", "advisory", expect.any(String)]]);
    const [[rule, level, message]] = await analyze(key);
    // The engine prefixes the rule's description.
    expect([rule, level, message]).toEqual([
      "kms-key-rotation",
      "advisory",
      `Symmetric customer-managed KMS keys rotate automatically.\n${offline[0]?.[2]}`,
    ]);
  });

  it("reports relaxed findings at advisory even where the environment is mandatory", async () => {
    const key = kmsKey({ enableKeyRotation: false });
    const ctx = {
      ...PROD,
      relaxations: [
        {
          rule: "kms-key-rotation",
          resource: "lake-key",
          reason: "archive key, SEC-412",
          approvedBy: "ciso@example.org",
          expires: "2099-12-31",
        },
      ],
    };
    await configure(policyPackConfig(ctx));
    expect(await analyze(key)).toEqual([
      [
        "kms-key-rotation",
        "advisory",
        "Symmetric customer-managed KMS keys rotate automatically.\nrelaxed: archive key, SEC-412 — enableKeyRotation is not true: the key material never rotates",
        key.urn,
      ],
    ]);
    expect(evaluate([key], ctx)[0]?.message).toBe(
      "relaxed: archive key, SEC-412 — enableKeyRotation is not true: the key material never rotates",
    );
  });

  it("catches a bucket without versioning in the stack analysis", async () => {
    await configure(policyPackConfig(PROD));
    const resources = replace(bucketSet("gold"), "gold-versioning", undefined);
    const got = await analyzeStack(resources);
    expect(got).toEqual([
      [
        "s3-bucket-versioning",
        "mandatory",
        'Every bucket has versioning enabled.\nbucket "hdp-acme-prod-gold" has no aws.s3.BucketVersioning',
        resources[0]?.urn,
      ],
    ]);
    expect(evaluate(resources, PROD).map((r) => [r.rule, r.urn])).toEqual([
      ["s3-bucket-versioning", resources[0]?.urn],
    ]);
  });
});

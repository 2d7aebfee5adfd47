import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fakeEngine } from "./__fixtures__/fake-engine";
import { deploy, deployExitCode, nodeOptions, renderDeployText, stackTarget } from "./deploy";
import type { UpRequest } from "./engine";
import { parseLedger } from "./ledger";
import { fileLedger } from "./ledger-store";
import type { StackNode } from "./order";

const nodes: StackNode[] = [
  { name: "prod-core", environment: "prod", dependsOn: [] },
  { name: "prod-clinical", environment: "prod", dependsOn: ["prod-core"] },
  { name: "prod-genomics", environment: "prod", dependsOn: ["prod-core"] },
];
const SHA = "0123456789abcdef0123456789abcdef01234567";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-deploy-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (
  engine: ReturnType<typeof fakeEngine>,
  over: Partial<Parameters<typeof deploy>[0]> = {},
) =>
  deploy({
    environment: "prod",
    nodes,
    jobs: 2,
    preview: false,
    kind: "deploy",
    workDir: "/work/repo",
    revision: { sha: SHA, dirty: false },
    engine,
    ledger: fileLedger(join(dir, "ledger.jsonl")),
    runId: "run-1",
    now: () => new Date("2026-12-01T10:00:00Z"),
    ...over,
  });

describe("stackTarget", () => {
  it("adds the source condition to the user's NODE_OPTIONS instead of replacing them", () => {
    const t = stackTarget("/r", "prod-core", "prod", { NODE_OPTIONS: "--max-old-space-size=8192" });
    expect(t.env.NODE_OPTIONS).toBe("--max-old-space-size=8192 --conditions=@hdp/source");
    expect(stackTarget("/r", "dev", "dev", {}).env.NODE_OPTIONS).toBe("--conditions=@hdp/source");
    expect(nodeOptions("--conditions=@hdp/source")).toBe("--conditions=@hdp/source");
    expect(t.policyPack).toBe("/r/packages/policy");
  });
});

describe("deploy", () => {
  it("deploys every stack with the policy pack of its environment and records each in the ledger", async () => {
    const engine = fakeEngine({ changes: { "prod-core": { create: 4, same: 10, delete: 1 } } });
    const s = await run(engine);
    expect(deployExitCode(s)).toBe(0);
    expect(engine.calls.map((c) => c.stack)).toEqual([
      "prod-core",
      "prod-clinical",
      "prod-genomics",
    ]);
    const req = engine.calls[0].request as UpRequest;
    expect(req).toMatchObject({
      stack: "prod-core",
      workDir: "/work/repo",
      policyPack: "/work/repo/packages/policy",
      preview: false,
      message: "hdp deploy prod at 0123456789ab",
      env: {
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        NODE_OPTIONS: nodeOptions(process.env.NODE_OPTIONS),
      },
    });
    const ledger = parseLedger(await fileLedger(join(dir, "ledger.jsonl")).read(), "l");
    expect(ledger.map((e) => [e.stack, e.result, e.resources])).toEqual([
      ["prod-core", "succeeded", 14],
      ["prod-clinical", "succeeded", 3],
      ["prod-genomics", "succeeded", 3],
    ]);
    expect(ledger[0]).toEqual({
      format: 1,
      run: "run-1",
      kind: "deploy",
      environment: "prod",
      stack: "prod-core",
      revision: SHA,
      dirty: false,
      time: "2026-12-01T10:00:00.000Z",
      result: "succeeded",
      changes: { create: 4, same: 10, delete: 1 },
      resources: 14,
    });
  });

  it("skips the shards when the core fails, records why, and exits 1", async () => {
    const engine = fakeEngine({ fail: ["prod-core"] });
    const s = await run(engine);
    expect(engine.calls.map((c) => c.stack)).toEqual(["prod-core"]);
    expect(deployExitCode(s)).toBe(1);
    const ledger = parseLedger(await fileLedger(join(dir, "ledger.jsonl")).read(), "l");
    expect(ledger.map((e) => [e.stack, e.result, e.reason])).toEqual([
      ["prod-core", "failed", "error: prod-core: creating S3 Bucket: AccessDenied"],
      ["prod-clinical", "skipped", "prod-core failed"],
      ["prod-genomics", "skipped", "prod-core failed"],
    ]);
    expect(renderDeployText(s)).toBe(
      [
        "✘ prod-core: failed: error: prod-core: creating S3 Bucket: AccessDenied",
        "- prod-clinical: skipped (prod-core failed)",
        "- prod-genomics: skipped (prod-core failed)",
        "",
        `prod at 0123456789ab: 0 deployed, 1 failed, 2 skipped`,
        `ledger: ${join(dir, "ledger.jsonl")} (run run-1)`,
        "",
      ].join("\n"),
    );
  });

  it("lets the other shards finish when one shard fails", async () => {
    const s = await run(fakeEngine({ fail: ["prod-clinical"] }));
    expect(s.runs.map((r) => r.status)).toEqual(["succeeded", "failed", "succeeded"]);
  });

  it("records a preview as a preview, a dirty tree as dirty, and an engine crash as failed", async () => {
    const engine = fakeEngine();
    engine.up = () =>
      Promise.reject(new Error("stack process for prod-core exited (SIGKILL) without a reply"));
    const s = await run(engine, { preview: true, revision: { sha: SHA, dirty: true } });
    const ledger = parseLedger(await fileLedger(join(dir, "ledger.jsonl")).read(), "l");
    expect(ledger.map((e) => [e.kind, e.dirty, e.result])).toEqual([
      ["preview", true, "failed"],
      ["preview", true, "skipped"],
      ["preview", true, "skipped"],
    ]);
    expect(ledger[0].reason).toContain("SIGKILL");
    expect(renderDeployText(s)).toContain(
      "prod at 0123456789ab (uncommitted changes): 0 previewed, 1 failed, 2 skipped",
    );
  });

  it("says which stacks were left out as unchanged", async () => {
    const s = await run(fakeEngine(), { nodes: [{ ...nodes[1], dependsOn: [] }] });
    expect(renderDeployText(s, ["prod-core", "prod-genomics"])).toContain(
      "· prod-core: unchanged since the given revision, not run\n· prod-genomics: unchanged since the given revision, not run\n\nprod at 0123456789ab: 1 deployed, 0 failed, 0 skipped, 2 unchanged",
    );
  });
});

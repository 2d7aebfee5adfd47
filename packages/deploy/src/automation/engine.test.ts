/**
 * The real engine: each call forks a stack process that drives the Pulumi CLI through the
 * Automation API. The process plumbing is tested everywhere; the Pulumi runs need the `pulumi`
 * CLI on PATH and are reported as skipped, with the reason in their names, without it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { automationEngine } from "./engine";
import type { StackTarget } from "../engine";

const REPO = join(__dirname, "..", "..", "..", "..");
const pulumiOnPath = spawnSync("pulumi", ["version"], { encoding: "utf8" }).status === 0;
const withPulumi = pulumiOnPath ? it : it.skip;
const SKIP_REASON = pulumiOnPath ? "" : " [skipped: no `pulumi` CLI on PATH]";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-automation-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const target = (workDir: string, stack = "dev"): StackTarget => ({
  stack,
  workDir,
  policyPack: join(REPO, "packages", "policy"),
  policyPackConfig: join(REPO, "packages", "policy", "config", "dev.json"),
  env: {
    PULUMI_BACKEND_URL: `file://${join(dir, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "test-only",
    NODE_OPTIONS: "--conditions=@hdp/source",
  },
});

/** A Pulumi YAML project with no resources (no provider plugin to download). */
function yamlProject(): string {
  const project = join(dir, "project");
  mkdirSync(project, { recursive: true });
  mkdirSync(join(dir, "state"), { recursive: true });
  writeFileSync(
    join(project, "Pulumi.yaml"),
    "name: hdp-automation-test\nruntime: yaml\noutputs:\n  greeting: hello\n",
  );
  return project;
}

describe("automationEngine", () => {
  it("runs each call in its own process and turns a failure there into a failed outcome", async () => {
    const outputs: string[] = [];
    const engine = automationEngine({ onOutput: (s, t) => outputs.push(`${s}: ${t}`) });
    const missing = await engine.up({
      ...target(join(dir, "no-project")),
      preview: false,
      message: "m",
    });
    expect(missing).toEqual({
      ok: false,
      changes: {},
      policy: [],
      error: expect.stringContaining("no-project' does not exist"),
    });
    const drift = await engine.refreshPreview(target(join(dir, "no-project")));
    expect(drift).toMatchObject({
      ran: false,
      steps: [],
      error: expect.stringContaining("does not exist"),
    });
    if (!pulumiOnPath) {
      // A real project without the CLI: the Automation API's own error comes back, not a crash.
      const up = await engine.up({ ...target(yamlProject()), preview: true, message: "m" });
      expect(up).toMatchObject({ ok: false, error: expect.stringMatching(/pulumi/i) });
    }
  });

  withPulumi(
    `deploys, reads the state of and refresh-previews a real stack on a file backend${SKIP_REASON}`,
    async () => {
      const project = yamlProject();
      const engine = automationEngine();
      const up = await engine.up({ ...target(project), preview: false, message: "test" });
      expect(up).toMatchObject({ ok: true });
      expect(up.changes.create).toBe(1);
      const state = await engine.state(target(project));
      expect(state.map((r) => r.type)).toContain("pulumi:pulumi:Stack");
      const drift = await engine.refreshPreview(target(project));
      expect(drift.ran).toBe(true);
      expect(drift.steps.filter((s) => s.op !== "same" && s.op !== "refresh")).toEqual([]);
      expect(await engine.state(target(project, "never-created"))).toEqual([]);
    },
    300_000,
  );
});

/**
 * `hdp deploy`, `hdp drift` and `hdp rollback` end to end in-process, on a git repository
 * holding the sample estate, with the fake engine in place of the Automation API (`--engine`).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { refreshPreviewEvents } from "../packages/deploy/src/__fixtures__/events";
import { hdp } from "./support/hdp";

const ROOT = join(__dirname, "..");
const ENGINE = join(__dirname, "fixtures", "fake-engine.ts");

let repo: string;
const git = (...args: string[]) => {
  const r = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "hdp-deploy-cli-"));
  cpSync(join(ROOT, "configs"), join(repo, "configs"), { recursive: true });
  cpSync(join(ROOT, "Pulumi.yaml"), join(repo, "Pulumi.yaml"));
  git("init", "--quiet", "--initial-branch=main");
  git(
    "-c",
    "user.email=t@example.org",
    "-c",
    "user.name=t",
    "commit",
    "--quiet",
    "--allow-empty",
    "-m",
    "empty",
  );
  git("add", "-A");
  git("-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "--quiet", "-m", "estate");
  delete process.env.HDP_FAKE_ENGINE;
});
afterEach(() => {
  rmSync(repo, { recursive: true, force: true });
  delete process.env.HDP_FAKE_ENGINE;
});

const ledgerLines = () =>
  readFileSync(join(repo, "ledger.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("hdp deploy", () => {
  it("deploys core then shards, skips the shards when the core fails, and appends to the ledger", async () => {
    process.env.HDP_FAKE_ENGINE = JSON.stringify({ fail: ["prod-core"] });
    const r = await hdp(repo, [
      "deploy",
      "--env",
      "prod",
      "--ledger",
      "ledger.jsonl",
      "--engine",
      ENGINE,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "✘ prod-core: failed: error: prod-core: creating S3 Bucket: AccessDenied\n- prod-clinical: skipped (prod-core failed)",
    );
    expect(r.stdout).toMatch(
      /prod at [0-9a-f]{12}: 0 deployed, 1 failed, 3 skipped\nledger: .*ledger\.jsonl/,
    );
    const head = git("rev-parse", "HEAD");
    expect(ledgerLines().map((e) => [e.stack, e.result, e.revision, e.dirty])).toEqual([
      ["prod-core", "failed", head, false],
      ["prod-clinical", "skipped", head, false],
      ["prod-genomics", "skipped", head, false],
      ["prod-business", "skipped", head, false],
    ]);
  });

  it("deploys a whole environment and exits 0", async () => {
    const r = await hdp(repo, [
      "deploy",
      "--env",
      "stage",
      "--ledger",
      "ledger.jsonl",
      "--engine",
      ENGINE,
    ]);
    expect([r.code, r.stdout.split("\n")[0]]).toEqual([0, "✔ stage: deployed (3 same)"]);
    expect(r.stderr).toContain("deploying stage…");
  });

  it("deploys only the stacks whose inputs changed since a revision (the planner's slices)", async () => {
    // A table of the clinical shard: its slice and the core's (the whole environment) change;
    // the other shards' slices do not, and the core's exports are the same at both revisions.
    const file = join(repo, "configs", "sources", "sunquest-lab", "tables", "lab_orders.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        /^description: .*$/m,
        "description: Lab orders, as the LIS records them",
      ),
    );
    const r = await hdp(repo, [
      "deploy",
      "--env",
      "prod",
      "--changed-since",
      "HEAD",
      "--ledger",
      "ledger.jsonl",
      "--engine",
      ENGINE,
    ]);
    expect(r.stderr).not.toContain("Error");
    expect(r.code).toBe(0);
    expect(ledgerLines().map((e) => [e.stack, e.result, e.dirty])).toEqual([
      ["prod-core", "succeeded", true],
      ["prod-clinical", "succeeded", true],
    ]);
    expect(r.stdout).toContain(
      "· prod-genomics: unchanged since the given revision, not run\n· prod-business: unchanged since the given revision, not run",
    );
    expect(r.stdout).toContain("2 deployed, 0 failed, 0 skipped, 2 unchanged");
  });

  it("takes stacks as hdp plan does: the environment's name in --stack is all of its stacks", async () => {
    const list = async (...stacks: string[]) => {
      const r = await hdp(repo, ["deploy", "--env", "prod", "--list", "--stack", ...stacks]);
      expect(r.code).toBe(0);
      return r.stdout;
    };
    const all = (await hdp(repo, ["deploy", "--env", "prod", "--list"])).stdout;
    expect(all).toContain("prod-clinical");
    expect(await list("prod")).toBe(all);
    expect(await list("prod-clinical")).not.toContain("prod-core");
  });

  it("rejects an unknown environment or stack as bad usage, writing nothing", async () => {
    const a = await hdp(repo, [
      "deploy",
      "--env",
      "prd",
      "--ledger",
      "ledger.jsonl",
      "--engine",
      ENGINE,
    ]);
    expect([a.code, a.stderr]).toEqual([
      2,
      expect.stringContaining('unknown environment "prd"; did you mean "prod"?'),
    ]);
    const b = await hdp(repo, [
      "deploy",
      "--env",
      "prod",
      "--stack",
      "prod-clinicl",
      "--ledger",
      "ledger.jsonl",
      "--engine",
      ENGINE,
    ]);
    expect([b.code, b.stderr]).toEqual([
      2,
      expect.stringContaining(
        'stack "prod-clinicl" is not in environment "prod"; did you mean "prod-clinical"?',
      ),
    ]);
    const c = await hdp(repo, ["deploy", "--env", "prod", "--jobs", "0"]);
    expect(c.code).toBe(2);
    expect(existsSync(join(repo, "ledger.jsonl"))).toBe(false);
  });
});

const pulumiOnPath = spawnSync("pulumi", ["version"]).status === 0;
(pulumiOnPath ? it.skip : it)(
  "says the pulumi CLI is missing, once, before running any stack",
  async () => {
    const r = await hdp(repo, ["drift", "--env", "prod"]);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toContain("hdp: the pulumi CLI is not on PATH: install it");
  },
);

describe("hdp drift", () => {
  it("reports drifted resources with their config origin, writes markdown, and exits 1", async () => {
    process.env.HDP_FAKE_ENGINE = JSON.stringify({ events: { "prod-core": refreshPreviewEvents } });
    const r = await hdp(repo, [
      "drift",
      "--env",
      "prod",
      "--markdown",
      "drift.md",
      "--engine",
      ENGINE,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /~ update aws:s3\/bucketVersioning:BucketVersioning {2}clinical-bronze-versioning {2}\(versioningConfiguration\) {2}platform\.yaml:\d+:\d+/,
    );
    expect(readFileSync(join(repo, "drift.md"), "utf8")).toContain("## Drift in `prod`");
  });

  it("writes the markdown to stdout with --markdown -, the text report to stderr", async () => {
    process.env.HDP_FAKE_ENGINE = JSON.stringify({ events: { "prod-core": refreshPreviewEvents } });
    const r = await hdp(repo, ["drift", "--env", "prod", "--markdown", "-", "--engine", ENGINE]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^## Drift in `prod`/);
    expect(r.stderr).toMatch(/~ update aws:s3\/bucketVersioning:BucketVersioning/);
    expect(existsSync(join(repo, "-"))).toBe(false);
  });

  it("exits 0 without drift", async () => {
    const r = await hdp(repo, ["drift", "--env", "dev", "--engine", ENGINE]);
    expect([r.code, r.stdout.split("\n")[0]]).toEqual([0, "dev: no drift"]);
  });
});

describe("hdp rollback", () => {
  it("says there is nothing to roll back to when the ledger has no earlier good run", async () => {
    const d = await hdp(repo, [
      "deploy",
      "--env",
      "dev",
      "--ledger",
      "ledger.jsonl",
      "--engine",
      ENGINE,
    ]);
    expect(d.code).toBe(0);
    const r = await hdp(repo, [
      "rollback",
      "--env",
      "dev",
      "--ledger",
      "ledger.jsonl",
      "--engine",
      ENGINE,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the ledger has no good deploy of "dev" at a revision other than');
  });

  it("rejects an unknown --to revision as bad usage", async () => {
    const r = await hdp(repo, [
      "rollback",
      "--env",
      "dev",
      "--to",
      "no-such-rev",
      "--ledger",
      "ledger.jsonl",
      "--engine",
      ENGINE,
    ]);
    expect([r.code, r.stderr]).toEqual([
      2,
      expect.stringContaining('unknown git revision "no-such-rev"'),
    ]);
  });

  it("reports a corrupt ledger with the line, and deploys nothing", async () => {
    writeFileSync(join(repo, "ledger.jsonl"), "{oops\n");
    const d = await hdp(repo, [
      "deploy",
      "--env",
      "dev",
      "--ledger",
      "ledger.jsonl",
      "--engine",
      ENGINE,
    ]);
    expect([d.code, d.stdout]).toEqual([1, ""]);
    expect(d.stderr).toContain("ledger.jsonl:1: not JSON");
    expect(readFileSync(join(repo, "ledger.jsonl"), "utf8")).toBe("{oops\n");
    const r = await hdp(repo, [
      "rollback",
      "--env",
      "dev",
      "--ledger",
      "ledger.jsonl",
      "--engine",
      ENGINE,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ledger.jsonl:1: not JSON");
  });
});

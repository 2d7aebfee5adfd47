/**
 * The destructive-change guard of `hdp plan --base`, end to end with the real program and a
 * real git base: removing a prod source, renaming a prod table id and moving a bucket to
 * another logical name (a program change, on a clone of this repository) each fail with the
 * finding named; the same change with a reviewed `policies.allowDestroy` entry passes and the
 * report shows the allowance and its reason; the same change in dev passes.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { plan, renderMarkdown, type GuardFinding, type PlanResult } from "@hdp/plan";
import {
  BASE_TREE,
  gitInit,
  linkDependencies,
  tree,
  type Tree,
} from "../packages/plan/src/__fixtures__/trees";
import { hdp as runHdp } from "./support/hdp";

const ROOT = join(__dirname, "..");

const hdp = (cwd: string, ...argv: string[]) =>
  runHdp(cwd, ["plan", "--jobs", "0", "--no-cache", "--base", "HEAD", ...argv]);

const planHead = (configs: string, stacks: string[], program?: string): Promise<PlanResult> =>
  plan({
    configs,
    base: "HEAD",
    stacks,
    jobs: 0,
    cacheDir: false,
    onOutput: () => undefined,
    ...(program !== undefined ? { program } : {}),
  });

const finding = (f: GuardFinding): string =>
  `${f.stack} ${f.kind} ${f.type} ${f.name}${f.to !== undefined ? ` -> ${f.to.name}` : ""}`;

/** Appends reviewed allow entries to an environment file (`rel`, relative to configs/). */
function allowIn(
  write: (rel: string, f: (s: string) => string) => void,
  env: string,
  entries: readonly string[],
) {
  write(
    `environments/${env}.yaml`,
    (s) =>
      `${s}policies:\n  allowDestroy:\n${entries
        .map((r) => `    - resource: ${r}\n      reason: "CHG-2291: ${r} retired, data archived"\n`)
        .join("")}`,
  );
}

/** Problems other than the guard's would fail the plan for another reason: none expected. */
function expectOnlyGuard(r: PlanResult) {
  expect(r.problems.filter((p) => p.kind !== "destroy")).toEqual([]);
  expect(r.problems.filter((p) => p.kind === "destroy")).toHaveLength(
    r.guard?.findings.length ?? -1,
  );
}

describe("on config changes", () => {
  let t: Tree;
  beforeEach(() => {
    t = tree();
    gitInit(t);
  });
  afterEach(() => t.cleanup());

  const prodStacks = ["prod-core", "prod-business", "prod-clinical"];

  it("removing a prod source fails, naming its data; the same change with allow entries passes", async () => {
    t.remove("sources/payroll");
    const r = await planHead(t.configs, prodStacks);
    expectOnlyGuard(r);
    const blocked = (r.guard?.findings ?? []).map(finding);
    // Its tables (written by the ingest jobs, so no Pulumi resource), its schemas, and the
    // workforce domain's lake, which has no source left.
    expect(blocked).toEqual(
      expect.arrayContaining([
        "prod-business table table payroll/employees",
        "prod-business table table payroll/timesheets",
        "prod-business delete databricks:index/schema:Schema payroll-bronze",
        "prod-business delete databricks:index/schema:Schema payroll-silver",
        "prod-core delete aws:kms/key:Key workforce-key-key",
        "prod-core delete aws:s3/bucket:Bucket workforce-landing-bucket",
        "prod-core delete databricks:index/externalLocation:ExternalLocation unity-catalog-workforce-landing",
      ]),
    );
    // Nothing of the clinical domain, and the bucket's settings go with the bucket.
    expect(blocked.filter((b) => /clinical|lab/.test(b))).toEqual([]);
    const landing = r.guard?.findings.find((f) => f.name === "workforce-landing-bucket");
    expect(landing?.with).toEqual(
      expect.arrayContaining(["workforce-landing-versioning", "workforce-landing-policy"]),
    );

    const cli = await hdp(t.dir, "--env", "prod");
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(
      "stack prod-business (prod): dropping table payroll/timesheets is blocked by the destructive-change guard",
    );
    expect(cli.stdout).toContain(
      "stack prod-core (prod): deleting aws:s3/bucket:Bucket workforce-landing-bucket (with ",
    );
    expect(cli.stdout).toContain("why: S3 bucket: its objects would be deleted");
    expect(cli.stdout).toMatch(
      /to allow them, add to environments\/prod\.yaml .*:\n {4}policies:\n {6}allowDestroy:\n {8}- resource: payroll-bronze\n/,
    );

    // Following the report's advice: one entry per finding.
    allowIn(t.edit, "prod", [...new Set(r.guard?.findings.map((f) => f.fix.resource))]);
    const allowed = await hdp(t.dir, "--env", "prod", "--markdown", "plan.md");
    expect(allowed.stderr).not.toContain("problem");
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain(
      `  allowed  prod-business  drop     table payroll/timesheets: allowed by policies.allowDestroy in environments/prod.yaml: CHG-2291: payroll/timesheets retired, data archived`,
    );
    expect(allowed.stdout).toContain(
      "destructive-change guard: 0 blocked, 14 allowed, 0 unused allow entries",
    );
    const md = readFileSync(join(t.dir, "plan.md"), "utf8");
    expect(md).toContain("#### Destructive-change guard");
    expect(md).toContain(
      "allowed by `policies.allowDestroy` in `environments/prod.yaml`: CHG-2291: workforce-landing-bucket retired, data archived",
    );
  });

  it("an entry naming a component or a source covers everything it holds", async () => {
    t.remove("sources/payroll");
    // The source (its schemas and tables), the domain's lake, the catalog's storage (locations).
    allowIn(t.edit, "prod", ["payroll", "workforce", "unity-catalog"]);
    const r = await planHead(t.configs, prodStacks);
    expect(r.problems).toEqual([]);
    expect(r.guard?.findings).toEqual([]);
    const by = (name: string) => r.guard?.allowed.find((a) => a.name === name)?.allowedBy;
    expect(by("payroll/timesheets")).toBe("payroll");
    expect(by("payroll-bronze")).toBe("payroll");
    expect(by("workforce-landing-bucket")).toBe("workforce");
    expect(by("workforce-key-key")).toBe("workforce");
    expect(by("unity-catalog-workforce-landing")).toBe("unity-catalog");
    expect(r.guard?.allowed).toHaveLength(14);
    expect(r.guard?.unusedAllowances).toEqual([]);
  });

  it("removing the same source in dev passes: dev is not guarded", async () => {
    t.remove("sources/payroll");
    const r = await planHead(t.configs, ["dev"]);
    expect(r.problems).toEqual([]);
    expect(r.guard?.findings).toEqual([]);
    expect(r.guard?.environments).toEqual([
      { name: "dev", tier: "dev", guarded: false, configFrom: "head" },
    ]);
    // The buckets do go: only the guard lets it through.
    const deleted = r.diff?.stacks[0].deleted ?? [];
    expect(deleted.filter((d) => d.stateful).map((d) => d.name)).toContain(
      "workforce-landing-bucket",
    );
    expect((await hdp(t.dir, "--stack", "dev")).code).toBe(0);
  });

  it("renaming a prod table id fails (its data is orphaned); allowed by the old key, it passes", async () => {
    const text = t.read("sources/payroll/tables/timesheets.yaml");
    t.remove("sources/payroll/tables/timesheets.yaml");
    t.write(
      "sources/payroll/tables/time_entries.yaml",
      text.replace("id: timesheets", "id: time_entries"),
    );
    const r = await planHead(t.configs, ["prod-business"]);
    expectOnlyGuard(r);
    expect(r.guard?.findings.map(finding)).toEqual([
      "prod-business table table payroll/timesheets",
    ]);
    // Pulumi sees only a job deleted and another created.
    expect(r.diff?.stacks[0].deleted.every((d) => !d.stateful)).toBe(true);
    const [f] = r.guard?.findings ?? [];
    expect(f.why).toContain("removed or renamed in sources/payroll/tables/");
    expect(f.why).toContain("tst_prod.payroll_bronze.timesheets");

    const cli = await hdp(t.dir, "--stack", "prod-business");
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("dropping table payroll/timesheets is blocked");
    expect(cli.stdout).toContain("        - resource: payroll/timesheets\n");

    allowIn(t.edit, "prod", ["payroll/timesheets"]);
    const allowed = await hdp(t.dir, "--stack", "prod-business");
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain(
      "allowed by policies.allowDestroy in environments/prod.yaml: CHG-2291: payroll/timesheets retired, data archived",
    );
  });

  it("renaming the same table id in dev passes", async () => {
    t.edit("sources/lab/tables/orders.yaml", (s) => s.replace("id: orders", "id: lab_orders"));
    t.edit("sources/lab/tables/results.yaml", (s) => s.replace("lab/orders", "lab/lab_orders"));
    const r = await planHead(t.configs, ["dev"]);
    expect(r.problems).toEqual([]);
    expect(r.guard?.findings).toEqual([]);
  });
});

describe("on a program change: a bucket moved to another logical name", () => {
  let clone: string;
  const configs = (): string => join(clone, "guard-configs");
  // The clone's own program (changed below), which plans only when named: by default the
  // program is this installation's, whatever repository the configs sit in.
  const ownProgram = (): string => join(clone, "packages/platform/src/index.ts");
  const CLONE_PROGRAM = ["--program", "packages/platform/src/index.ts"];
  beforeAll(() => {
    clone = join(mkdtempSync(join(tmpdir(), "hdp-guard-clone-")), "repo");
    execFileSync("git", ["clone", "-q", "--local", ROOT, clone]);
    linkDependencies(ROOT, clone);
    cpSync(BASE_TREE, configs(), { recursive: true });
    execFileSync("git", ["add", "guard-configs"], { cwd: clone });
    execFileSync(
      "git",
      ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "fixture configs"],
      { cwd: clone },
    );
    // The working tree renames the catalog's root bucket component; its physical name stays.
    const core = join(clone, "packages/platform/src/core.ts");
    const before = readFileSync(core, "utf8");
    const after = before.replace('"catalog-root",', '"catalog-storage",');
    expect(after).not.toBe(before);
    writeFileSync(core, after);
  }, 120_000);
  afterAll(() => rmSync(join(clone, ".."), { recursive: true, force: true }));

  const restoreProd = (): void =>
    cpSync(join(BASE_TREE, "environments/prod.yaml"), join(configs(), "environments/prod.yaml"));
  afterEach(restoreProd);

  const edit = (rel: string, f: (s: string) => string): void =>
    writeFileSync(join(configs(), rel), f(readFileSync(join(configs(), rel), "utf8")));

  it("fails in prod as a replacement, with the alias that would keep it", async () => {
    const r = await planHead(configs(), ["prod-core"], ownProgram());
    expectOnlyGuard(r);
    expect(r.guard?.findings.map(finding)).toEqual([
      "prod-core replace aws:s3/bucket:Bucket catalog-root-bucket -> catalog-storage-bucket",
    ]);
    const [f] = r.guard?.findings ?? [];
    expect(f.with).toEqual(
      expect.arrayContaining(["catalog-root-versioning", "catalog-root-encryption"]),
    );
    expect(f.why).toContain(
      'aliases: ["urn:pulumi:prod-core::health-data-platform::hdp:lake:SecureBucket$aws:s3/bucket:Bucket::catalog-root-bucket"]',
    );

    const cli = await hdp(
      clone,
      ...CLONE_PROGRAM,
      "--configs",
      "guard-configs",
      "--stack",
      "prod-core",
    );
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(
      "stack prod-core (prod): replacing aws:s3/bucket:Bucket catalog-root-bucket -> catalog-storage-bucket (with ",
    );
    expect(cli.stdout).toContain("        - resource: catalog-root-bucket\n");
  }, 120_000);

  it("passes in prod with an allow entry naming the new bucket, and shows the reason", async () => {
    allowIn(edit, "prod", ["catalog-storage-bucket"]);
    const r = await planHead(configs(), ["prod-core"], ownProgram());
    expect(r.problems).toEqual([]);
    expect(r.guard?.allowed.map((a) => [a.kind, a.name, a.allowedBy])).toEqual([
      ["replace", "catalog-root-bucket", "catalog-storage-bucket"],
    ]);
    const md = renderMarkdown(r);
    expect(md).toContain(
      "- `prod-core` replace `aws:s3/bucket:Bucket` catalog-root-bucket → catalog-storage-bucket (with ",
    );
    expect(md).toContain(
      "allowed by `policies.allowDestroy` in `environments/prod.yaml`: CHG-2291: catalog-storage-bucket retired, data archived",
    );
    const cli = await hdp(
      clone,
      ...CLONE_PROGRAM,
      "--configs",
      "guard-configs",
      "--stack",
      "prod-core",
    );
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain("  allowed  prod-core  replace  aws:s3/bucket:Bucket");
  }, 120_000);

  it("passes in dev", async () => {
    const r = await planHead(configs(), ["dev"], ownProgram());
    expect(r.problems).toEqual([]);
    expect(r.diff?.stacks[0].replaced.map((x) => x.from.name)).toContain("catalog-root-bucket");
    expect(r.guard?.findings).toEqual([]);
  }, 120_000);
});

/**
 * The policy pack in `hdp plan`: every plan evaluates it over the working tree's stacks; findings
 * are reported grouped by rule with the resource, the config entry's file:line and the fix, in
 * text and markdown; mandatory findings fail the plan (exit 1), advisory ones and findings relaxed
 * by a reviewed config entry do not; stale relaxations are flagged; cached stacks keep their
 * findings, and a changed relaxation re-evaluates.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { plan } from "@hdp/plan";
import { gitInit, tree, type Tree } from "../packages/plan/src/__fixtures__/trees";
import { hdp as runHdp } from "./support/hdp";

const PROGRAM = join(
  __dirname,
  "..",
  "packages",
  "plan",
  "src",
  "__fixtures__",
  "unrotated-key-program.ts",
);

let t: Tree;
beforeEach(() => {
  t = tree();
});
afterEach(() => t.cleanup());

const hdp = (...argv: string[]) => runHdp(t.dir, argv);

const planKey = (...argv: string[]) =>
  hdp("plan", "--configs", "configs", "--jobs", "0", "--program", PROGRAM, ...argv);

const relax = (rule: string, resource: string, reason: string, expires = "2099-12-31"): void =>
  t.edit(
    "environments/prod.yaml",
    (s) =>
      `${s}policies:\n  relaxations:\n    - rule: ${rule}\n      resource: ${resource}\n      reason: "${reason}"\n      approvedBy: ciso@example.org\n      expires: "${expires}"\n`,
  );

describe("hdp plan and the policy pack", () => {
  it("fails on a mandatory violation and shows rule, resource, config entry and fix", async () => {
    const r = await planKey("--stack", "prod-core", "--no-cache", "--markdown", "plan.md");
    expect(r.code).toBe(1);
    const envLine = `configs/environments/prod.yaml:1`;
    expect(r.stdout).toContain(
      [
        "policy: 1 mandatory, 0 advisory in 1 stack: 1 violation must be fixed",
        "  kms-key-rotation — Symmetric customer-managed KMS keys rotate automatically. (1 finding, 1 mandatory)",
        `    MANDATORY  prod-core  aws:kms/key:Key  archive-key  (${envLine})`,
        "      enableKeyRotation is not true: the key material never rotates",
        "    fix: Set enableKeyRotation: true on the aws.kms.Key (LakeKey always does).",
      ].join("\n"),
    );
    const md = readFileSync(join(t.dir, "plan.md"), "utf8");
    expect(md).toContain(
      "> [!CAUTION]\n> 1 mandatory violation of the policy pack (see Policy below)",
    );
    expect(md).toContain(
      `| MANDATORY | prod-core | \`aws:kms/key:Key\` archive-key | \`${envLine}\` | enableKeyRotation is not true: the key material never rotates |`,
    );
    expect(md).toContain("**Fix:** Set enableKeyRotation: true");
  });

  it("reports the same finding as advisory in dev, and exits 0", async () => {
    const r = await planKey("--stack", "dev", "--no-cache");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("policy: 0 mandatory, 1 advisory in 1 stack: nothing blocks");
    expect(r.stdout).toContain("    advisory  dev  aws:kms/key:Key  archive-key");
  });

  it("passes with a reviewed relaxation, showing it and its reason in the report", async () => {
    relax("kms-key-rotation", "archive-key", "2019 archive; re-encryption planned (SEC-412)");
    const r = await planKey("--stack", "prod-core", "--no-cache", "--markdown", "plan.md");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "policy: 0 mandatory, 0 advisory, 1 relaxed in 1 stack: nothing blocks",
    );
    expect(r.stdout).toContain(
      "      relaxed: 2019 archive; re-encryption planned (SEC-412) — enableKeyRotation is not true",
    );
    expect(r.stdout).toContain(
      "  prod  kms-key-rotation  archive-key: 2019 archive; re-encryption planned (SEC-412)  (approved by ciso@example.org, until 2099-12-31; configs/environments/prod.yaml)\n",
    );
    const md = readFileSync(join(t.dir, "plan.md"), "utf8");
    expect(md).toContain(
      "- prod: `kms-key-rotation` on `archive-key` — 2019 archive; re-encryption planned (SEC-412) (approved by ciso@example.org, until 2099-12-31)\n",
    );
  });

  it("flags a relaxation that relaxes nothing, without failing", async () => {
    relax("kms-key-rotation", "old-key", "key retired in 2024, entry left behind");
    const r = await planKey("--stack", "prod-core", "--no-cache");
    expect(r.code).toBe(1); // archive-key itself is still unrelaxed
    expect(r.stdout).toContain(
      "  prod  kms-key-rotation  old-key: key retired in 2024, entry left behind  (approved by ciso@example.org, until 2099-12-31; configs/environments/prod.yaml)  — relaxed nothing in the stacks planned: remove it if it is stale",
    );
  });

  it("an expired relaxation relaxes nothing and is a mandatory finding itself", async () => {
    relax(
      "kms-key-rotation",
      "archive-key",
      "2019 archive; re-encryption planned (SEC-412)",
      "2021-06-30",
    );
    const r = await planKey("--stack", "prod-core", "--no-cache");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("policy: 2 mandatory, 0 advisory in 1 stack");
    expect(r.stdout).toContain(
      "    MANDATORY  prod-core  aws:kms/key:Key  archive-key  (configs/environments/prod.yaml:1)",
    );
    expect(r.stdout).toContain(
      "the relaxation of kms-key-rotation for archive-key (approved by ciso@example.org: 2019 archive; re-encryption planned (SEC-412)) expired on 2021-06-30: the rule applies again",
    );
    expect(r.stdout).toContain("EXPIRED on 2021-06-30");
  });

  it.each([
    ["a blank reason", "            ", "must explain the exception"],
    ["the placeholder", "<why the rule may be waived here>", "placeholder"],
  ])(
    "refuses a relaxation with %s, at its line (exit 1: a config error)",
    async (_, reason, message) => {
      relax("mwaa-private-webserver", "airflow", reason);
      const r = await planKey("--stack", "prod-core", "--no-cache");
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toMatch(
        new RegExp(
          `environments/prod\\.yaml:\\d+:\\d+  policies\\.relaxations\\[0\\]\\.reason  .*${message}`,
        ),
      );
    },
  );

  it("refuses a relaxation without approver or expiry", async () => {
    t.edit(
      "environments/prod.yaml",
      (s) =>
        `${s}policies:\n  relaxations:\n    - rule: kms-key-rotation\n      resource: archive-key\n      reason: "2019 archive; re-encryption planned"\n`,
    );
    const r = await planKey("--stack", "prod-core", "--no-cache");
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain("policies.relaxations[0].approvedBy");
    expect(out).toContain("policies.relaxations[0].expires");
  });
});

describe("plan() and the policy pack", () => {
  it("keeps findings in the cache, and re-evaluates when a relaxation changes", async () => {
    const cacheDir = join(t.dir, "cache");
    const options = {
      configs: t.configs,
      stacks: ["prod-core"],
      jobs: 0,
      cacheDir,
      program: PROGRAM,
    };
    const first = await plan(options);
    expect(first.stats.stacksPlanned).toBe(1);
    expect(first.policy.findings.map((f) => [f.rule, f.level, f.name])).toEqual([
      ["kms-key-rotation", "mandatory", "archive-key"],
    ]);
    expect(first.policy.findings[0].origin).toEqual({
      file: "environments/prod.yaml",
      line: 1,
      column: 1,
    });

    const cached = await plan(options);
    expect(cached.stats).toMatchObject({ stacksPlanned: 0, stacksCached: 1 });
    expect(cached.policy).toEqual(first.policy);

    relax("kms-key-rotation", "archive-key", "2019 archive; re-encryption planned (SEC-412)");
    const relaxed = await plan(options);
    expect(relaxed.stats).toMatchObject({ stacksPlanned: 1, stacksCached: 0 });
    expect(relaxed.policy.blocking).toBe(0);
    expect(relaxed.policy.findings.map((f) => [f.rule, f.level, f.relaxed])).toEqual([
      ["kms-key-rotation", "advisory", "2019 archive; re-encryption planned (SEC-412)"],
    ]);
  });

  it("counts account quotas over every stack of an environment, once", async () => {
    // prod: 3 roles in core (MWAA, Unity Catalog, the off-account copy's backup role), 1 in each
    // shard; 2 jobs in each shard.
    t.edit(
      "environments/prod.yaml",
      (s) =>
        `${s}policies:\n  quotas:\n    iamRolesPerAccount: 3\n    databricksJobsPerWorkspace: 1\n`,
    );
    const r = await plan({ configs: t.configs, envs: ["prod"], jobs: 0, cacheDir: false });
    expect(
      r.policy.findings.map((f) => [f.rule, f.level, f.stack, f.message, f.origin?.file]),
    ).toEqual([
      [
        "stack-service-quotas",
        "mandatory",
        "prod-business",
        "2 Databricks jobs in the workspace, over the quota of 1 (databricksJobsPerWorkspace)",
        "environments/prod.yaml",
      ],
      [
        "stack-service-quotas",
        "mandatory",
        "prod-clinical",
        "2 Databricks jobs in the workspace, over the quota of 1 (databricksJobsPerWorkspace)",
        "environments/prod.yaml",
      ],
      [
        "stack-service-quotas",
        "mandatory",
        "prod",
        "5 IAM roles in the account, over the quota of 3 (iamRolesPerAccount), counting all 3 stacks of prod",
        "environments/prod.yaml",
      ],
    ]);
    // One stack alone cannot see the account: nothing account-wide without its siblings.
    const alone = await plan({
      configs: t.configs,
      stacks: ["prod-core"],
      jobs: 0,
      cacheDir: false,
    });
    expect(alone.policy.findings).toEqual([]);
  });

  it("evaluates the working tree only: a base revision's stacks are planned for the diff", async () => {
    gitInit(t);
    const r = await plan({
      configs: t.configs,
      stacks: ["dev"],
      base: "HEAD",
      jobs: 0,
      cacheDir: false,
      program: PROGRAM,
    });
    expect(r.policy.stacks).toEqual(["dev"]);
    expect(r.policy.findings.map((f) => f.stack)).toEqual(["dev"]);
    expect(r.base?.stacks.every((s) => s.ok && s.policy === undefined)).toBe(true);
  });
});

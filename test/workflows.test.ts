/**
 * The GitHub Actions workflows users run (.github/workflows): actionlint (pinned, installed from
 * the Go module proxy by the test command into .hdp/tools) finds nothing; every command they
 * call exists (hdp subcommands and their options, package scripts); credentials come only
 * through OIDC.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { hdp } from "./support/hdp";

const ROOT = join(__dirname, "..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const files = readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  steps: Step[];
  permissions?: Record<string, string>;
  environment?: string;
}
const workflows = files.map((f) => ({
  file: f,
  text: readFileSync(join(WORKFLOWS, f), "utf8"),
  jobs: (parse(readFileSync(join(WORKFLOWS, f), "utf8")) as { jobs: Record<string, Job> }).jobs,
}));
const steps = workflows.flatMap((w) =>
  Object.entries(w.jobs).flatMap(([job, j]) => j.steps.map((s) => ({ file: w.file, job, j, s }))),
);

/**
 * Every `pnpm … <word> <args>` a run script calls (continuation lines joined). Options a script
 * collects in a bash array first (`args+=(--to "$TO")`) count as the call's arguments.
 */
function pnpmCalls(): { file: string; word: string; args: string[] }[] {
  const out: { file: string; word: string; args: string[] }[] = [];
  for (const { file, s } of steps) {
    if (s.run === undefined) continue;
    const arrayed = [...s.run.matchAll(/\+?=\((--[a-z][a-z-]*)/g)].map((m) => m[1]);
    for (const line of s.run.replace(/\\\n\s*/g, " ").split("\n")) {
      for (const m of line.matchAll(/pnpm@12\.4\.2\s+(?:--silent\s+)?([a-z:-]+)([^|;&>)]*)/g)) {
        const args = m[2].trim().split(/\s+/).filter(Boolean);
        out.push({
          file,
          word: m[1],
          args: args.some((a) => a.includes("[@]")) ? [...args, ...arrayed] : args,
        });
      }
    }
  }
  return out;
}

describe("GitHub Actions workflows", () => {
  it("has the pull-request, deploy, nightly drift and rollback workflows", () => {
    expect(files).toEqual(["deploy.yml", "drift.yml", "pull-request.yml", "rollback.yml"]);
  });

  it("passes actionlint (pinned)", () => {
    const install = spawnSync(process.execPath, [join(ROOT, "scripts", "install-actionlint.mjs")], {
      encoding: "utf8",
    });
    expect(install.stderr).not.toMatch(/could not install/);
    const bin = install.stdout.trim();
    expect(bin).toMatch(/actionlint-v1\.7\.12[/\\]actionlint(\.exe)?$/);
    const version = spawnSync(bin, ["-version"], { encoding: "utf8" });
    expect(version.stdout.split("\n")[0]).toBe("v1.7.12");
    const r = spawnSync(bin, ["-no-color", ...files.map((f) => join(WORKFLOWS, f))], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  }, 300_000);

  it("calls only hdp subcommands and options that exist", async () => {
    const calls = pnpmCalls().filter((c) => c.word === "hdp");
    const subcommands = new Set(calls.map((c) => c.args[0]));
    expect([...subcommands].sort()).toEqual(["deploy", "drift", "plan", "rollback", "validate"]);
    const arrayed = calls.filter((c) => c.args.includes("--to") || c.args.includes("--preview"));
    expect(arrayed.map((c) => c.args[0])).toEqual(["rollback"]);
    const help = new Map<string, string>();
    for (const sub of subcommands) {
      const r = await hdp(ROOT, [sub, "--help"]);
      expect([sub, r.code]).toEqual([sub, 0]);
      help.set(sub, r.stdout);
    }
    for (const c of calls) {
      for (const opt of c.args.filter((a) => a.startsWith("--"))) {
        expect([c.file, c.args[0], opt, help.get(c.args[0])?.includes(`${opt} `)]).toEqual([
          c.file,
          c.args[0],
          opt,
          true,
        ]);
      }
    }
  });

  it("calls only package scripts or bins that exist (or pnpm's own install)", () => {
    const readJson = (file: string) =>
      JSON.parse(readFileSync(file, "utf8")) as {
        scripts?: Record<string, string>;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
        bin?: Record<string, string>;
      };
    const root = readJson(join(ROOT, "package.json"));
    // `pnpm <word>` runs the root's script of that name, else the bin of a root dependency.
    const bins = Object.keys({ ...root.dependencies, ...root.devDependencies })
      .filter((name) => name.startsWith("@hdp/"))
      .flatMap((name) =>
        Object.keys(
          readJson(join(ROOT, "packages", name.slice("@hdp/".length), "package.json")).bin ?? {},
        ),
      );
    const runnable = [...Object.keys(root.scripts ?? {}), ...bins];
    const words = [...new Set(pnpmCalls().map((c) => c.word))].sort();
    expect(words).toEqual(["hdp", "install", "test"]);
    for (const w of words.filter((x) => x !== "install")) expect(runnable).toContain(w);
  });

  it("uses OIDC only: a role per environment, no long-lived keys, id-token where AWS is assumed", () => {
    const aws = steps.filter((x) => x.s.uses?.startsWith("aws-actions/configure-aws-credentials"));
    expect(aws.length).toBeGreaterThanOrEqual(5);
    for (const { file, job, j, s } of aws) {
      expect([file, job, s.uses]).toEqual([file, job, "aws-actions/configure-aws-credentials@v6"]);
      expect(s.with?.["role-to-assume"]).toBe("${{ vars.AWS_ROLE_ARN }}");
      expect(Object.keys(s.with ?? {})).not.toContain("aws-access-key-id");
      expect([file, job, j.permissions?.["id-token"]]).toEqual([file, job, "write"]);
      expect(j.environment).toEqual(expect.any(String));
    }
    for (const w of workflows) {
      expect([w.file, w.text.match(/secrets\.[A-Z_]+/g)]).toEqual([w.file, null]);
      expect(w.text).not.toMatch(/AWS_SECRET_ACCESS_KEY|DATABRICKS_TOKEN|PULUMI_ACCESS_TOKEN/);
    }
    const pulumi = steps.filter((x) => x.s.uses?.startsWith("pulumi/actions"));
    expect(pulumi.length).toBeGreaterThanOrEqual(4);
    for (const { s } of pulumi) expect(s.uses).toBe("pulumi/actions@v7");
    // Databricks through workload identity federation wherever Pulumi runs.
    for (const w of workflows) expect(w.text).toContain("DATABRICKS_AUTH_TYPE: github-oidc");
  });

  it("previews with the policy pack of each stack's environment", () => {
    const preview = steps.filter(
      (x) => x.s.uses === "pulumi/actions@v7" && x.s.with?.command === "preview",
    );
    expect(preview).toHaveLength(1);
    expect(preview[0].s.with).toMatchObject({
      policyPacks: "packages/policy",
      policyPackConfigs: "packages/policy/config/${{ matrix.env }}.json",
    });
  });
});

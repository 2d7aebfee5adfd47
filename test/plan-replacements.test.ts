/**
 * Replacements the mock runtime cannot show, end to end with the real program and a git base:
 * a config change that renames a bucket (the account id) or moves a schema's storage root (a
 * source's domain) keeps every URN, so only the table of replacing inputs
 * (packages/plan/src/inventory/replacements.ts) tells the plan that Pulumi would replace them. The diff
 * shows them as replacements (`+-`), the guard blocks them in prod naming the config line that
 * changed, and the same change in dev passes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  plan,
  renderMarkdown,
  REPLACEMENT_FREE_TYPES,
  REPLACEMENT_RULES,
  type PlanResult,
} from "@hdp/plan";
import { gitInit, tree, type Tree } from "../packages/plan/src/__fixtures__/trees";
import { hdp as runHdp } from "./support/hdp";

const planHead = (configs: string, stacks: string[]): Promise<PlanResult> =>
  plan({ configs, base: "HEAD", stacks, jobs: 0, cacheDir: false, onOutput: () => undefined });

describe("replacements forced by changed inputs", () => {
  let t: Tree;
  beforeEach(() => {
    t = tree();
    gitInit(t);
  });
  afterEach(() => t.cleanup());

  it("a new prod account id replaces every bucket: blocked, naming the config line", async () => {
    t.edit("environments/prod.yaml", (s) => s.replace('"222222222222"', '"444444444444"'));
    const r = await planHead(t.configs, ["prod-core"]);
    const [d] = r.diff?.stacks ?? [];
    const buckets = d.replaced.filter((x) => x.type === "aws:s3/bucket:Bucket");
    expect(buckets.length).toBeGreaterThan(0);
    for (const x of buckets) {
      expect(x.cause).toBe("inputs");
      expect(x.forcedBy).toEqual(["bucket"]);
      expect(x.values.before).toContain("222222222222");
      expect(x.values.after).toContain("444444444444");
    }
    // Not counted as updates any more.
    expect(d.updated.filter((u) => u.type === "aws:s3/bucket:Bucket")).toEqual([]);
    const findings = (r.guard?.findings ?? []).filter((f) => f.type === "aws:s3/bucket:Bucket");
    expect(findings.length).toBe(buckets.length);
    for (const f of findings) {
      expect(f.kind).toBe("replace");
      expect(f.causes.map((c) => `${c.file}:${c.line} ${c.field}`)).toEqual([
        "environments/prod.yaml:3 aws.accountId",
      ]);
      expect(f.why).toContain(
        'environments/prod.yaml:3:14  aws.accountId  "222222222222" -> "444444444444"',
      );
      expect(f.why).toContain("registry.terraform.io/providers/hashicorp/aws");
    }
    expect(r.problems.some((p) => p.kind === "destroy")).toBe(true);

    const md = renderMarkdown(r);
    expect(md).toContain("**Replace** (`+-`");
    expect(md).toMatch(/- `\+-` `aws:s3\/bucket:Bucket` airflow-dags-bucket: `bucket` ⚠️/);

    const cli = await runHdp(t.dir, [
      "plan",
      "--jobs",
      "0",
      "--no-cache",
      "--base",
      "HEAD",
      "--stack",
      "prod-core",
      "--markdown",
      "plan.md",
    ]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(
      "  +- aws:s3/bucket:Bucket  airflow-dags-bucket  (replace: bucket cannot change in place)  [stateful]",
    );
    expect(cli.stdout).toContain("replacing aws:s3/bucket:Bucket clinical-landing-bucket");
    expect(readFileSync(join(t.dir, "plan.md"), "utf8")).toContain("aws.accountId");
  });

  it("moving a prod source to another domain replaces its schemas (new storage root)", async () => {
    t.edit("sources/payroll/source.yaml", (s) =>
      s.replace("domain: workforce", "domain: clinical"),
    );
    const r = await planHead(t.configs, ["prod-core", "prod-business", "prod-clinical"]);
    const schemas = (r.guard?.findings ?? []).filter(
      (f) => f.type === "databricks:index/schema:Schema",
    );
    expect(schemas.map((f) => `${f.kind} ${f.name}`)).toEqual(
      expect.arrayContaining(["replace payroll-bronze"]),
    );
    const bronze = schemas.find((f) => f.name === "payroll-bronze");
    expect(bronze?.why).toContain("`storageRoot` changed");
    expect(bronze?.causes.map((c) => `${c.file} ${c.field} ${c.before} -> ${c.after}`)).toEqual([
      "sources/payroll/source.yaml domain workforce -> clinical",
    ]);
  });

  it("the same account change in dev is shown as replacements but not blocked", async () => {
    t.edit("environments/dev.yaml", (s) => s.replace('"111111111111"', '"444444444444"'));
    const r = await planHead(t.configs, ["dev"]);
    expect(r.diff?.stacks[0].replaced.filter((x) => x.cause === "inputs").length).toBeGreaterThan(
      0,
    );
    expect(r.guard?.findings).toEqual([]);
    expect(r.problems).toEqual([]);
  });
});

it("every cloud resource type the program creates is in the table or known to update in place", async () => {
  const t = tree();
  try {
    const r = await plan({
      configs: t.configs,
      stacks: ["prod-core", "prod-clinical", "dev"],
      jobs: 0,
      cacheDir: false,
      onOutput: () => undefined,
    });
    const inv = JSON.parse(r.inventoryJson()) as {
      stacks: Record<string, { resources: { type: string; custom: boolean; read: boolean }[] }>;
    };
    const types = new Set(
      Object.values(inv.stacks).flatMap((s) =>
        s.resources
          .filter((x) => x.custom && !x.read && !x.type.startsWith("pulumi:providers:"))
          .map((x) => x.type),
      ),
    );
    expect(types.size).toBeGreaterThan(10);
    const unknown = [...types].filter(
      (x) => REPLACEMENT_RULES[x] === undefined && !REPLACEMENT_FREE_TYPES.includes(x),
    );
    expect(unknown).toEqual([]);
  } finally {
    t.cleanup();
  }
});

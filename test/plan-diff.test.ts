/**
 * `plan({ base })` with the real program on crafted before/after config pairs: the base is a
 * real git revision of a temporary repository (read through git, working tree untouched), the
 * head its working tree. Each change shows as the creates, updates and deletes it causes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { plan, renderMarkdown, type PlanResult, type StackDiff } from "@hdp/plan";
import { gitInit, tableYaml, tree, type Tree } from "../packages/plan/src/__fixtures__/trees";

let t: Tree;
beforeEach(() => {
  t = tree();
  gitInit(t);
});
afterEach(() => t.cleanup());

const planAgainstHead = (stacks: string[]): Promise<PlanResult> =>
  plan({ configs: t.configs, base: "HEAD", stacks, jobs: 0, cacheDir: false });

function stackDiff(r: PlanResult, stack: string): StackDiff {
  expect(r.problems).toEqual([]);
  const d = r.diff?.stacks.find((s) => s.stack === stack);
  if (d === undefined) throw new Error(`no diff for ${stack}`);
  return d;
}

const names = (rs: readonly { type: string; name: string }[]): string[] =>
  rs.map((r) => `${r.type.split(":").pop() ?? r.type} ${r.name}`).sort();

describe("the diff against a git revision", () => {
  it("shows nothing when nothing changed, and leaves the working tree alone", async () => {
    const before = readFileSync(join(t.configs, "sources/lab/source.yaml"), "utf8");
    const r = await planAgainstHead(["dev"]);
    const d = stackDiff(r, "dev");
    expect([d.created, d.updated, d.deleted, d.replaced]).toEqual([[], [], [], []]);
    expect(d.unchanged).toBeGreaterThan(100);
    expect(r.base?.label).toMatch(/^HEAD \([0-9a-f]{10}\)$/);
    expect(readFileSync(join(t.configs, "sources/lab/source.yaml"), "utf8")).toBe(before);
  });

  it("adds a table with its own schedule: a new ingest job, its spec, its DAG, and the source's role may write its prefix", async () => {
    t.write(
      "sources/lab/tables/specimens.yaml",
      tableYaml("specimens", 'schedule:\n  cron: "*/30 * * * *"\n'),
    );
    const d = stackDiff(await planAgainstHead(["dev"]), "dev");
    expect(names(d.created)).toEqual([
      "BucketObjectv2 dags-lab-specimens-py-d93afcbc",
      "IngestJob lab--specimens",
      "Job lab--specimens-job",
      "WorkspaceFile lab-specs-specimens-json-ad714058",
    ]);
    expect(d.deleted).toEqual([]);
    const policy = d.updated.find((u) => u.name === "lab-policy-1");
    expect(policy?.paths.some((p) => p.startsWith("policy{Statement"))).toBe(true);
  });

  it("changes a schedule the source's pipelines follow: their DAG objects are updated, nothing else (no job has a schedule)", async () => {
    t.edit("sources/lab/source.yaml", (s) => s.replace('cron: "0 4 * * 0"', 'cron: "0 5 * * 0"'));
    const d = stackDiff(await planAgainstHead(["dev"]), "dev");
    expect([d.created, d.deleted, d.replaced]).toEqual([[], [], []]);
    expect(d.updated.map((u) => [u.type, u.name, u.paths])).toEqual([
      [
        "aws:s3/bucketObjectv2:BucketObjectv2",
        "dags-lab-ingest-py-3de6e7a0",
        ["content", "sourceHash"],
      ],
      [
        "aws:s3/bucketObjectv2:BucketObjectv2",
        "dags-lab-results-py-de163f4f",
        ["content", "sourceHash"],
      ],
    ]);
  });

  it("changes one table's schedule: exactly one DAG object changes, and nothing else", async () => {
    t.edit("sources/payroll/tables/timesheets.yaml", (s) =>
      s.replace('cron: "@hourly"', 'cron: "*/30 * * * *"'),
    );
    const r = await planAgainstHead(["prod-business"]);
    const d = stackDiff(r, "prod-business");
    expect([d.created, d.deleted, d.replaced]).toEqual([[], [], []]);
    expect(d.updated).toHaveLength(1);
    const [u] = d.updated;
    expect(u?.type).toBe("aws:s3/bucketObjectv2:BucketObjectv2");
    expect(u?.name).toBe("dags-payroll-timesheets-py-b6ec755a");
    expect(u?.paths).toEqual(["content", "sourceHash"]);
  });

  it("removes a source: its objects are deleted, stateful ones flagged", async () => {
    t.remove("sources/payroll");
    const r = await planAgainstHead(["dev"]);
    const d = stackDiff(r, "dev");
    expect(d.created).toEqual([]);
    expect(names(d.deleted)).toEqual(
      expect.arrayContaining(["Role payroll-role", "SourceIngestRole payroll"]),
    );
    // The workforce domain has no source left: its lake goes too, and its buckets are stateful.
    const buckets = d.deleted.filter((r) => r.type === "aws:s3/bucket:Bucket");
    expect(buckets.map((b) => b.name)).toContain("workforce-landing-bucket");
    expect(buckets.every((b) => b.stateful)).toBe(true);
    const md = renderMarkdown(r);
    expect(md).toContain("stateful resource");
    expect(md).toContain("`aws:s3/bucket:Bucket` workforce-landing-bucket");
  });

  it("renames a table id: the resources named after it are deleted and created again", async () => {
    const text = t.read("sources/payroll/tables/timesheets.yaml");
    t.remove("sources/payroll/tables/timesheets.yaml");
    t.write(
      "sources/payroll/tables/time_entries.yaml",
      text.replace("id: timesheets", "id: time_entries"),
    );
    // The old table's data is orphaned: the guard wants a reviewed entry (plan-guard.test.ts).
    t.edit(
      "environments/prod.yaml",
      (s) =>
        `${s}policies:\n  allowDestroy:\n    - resource: payroll/timesheets\n      reason: "renamed to time_entries (CHG-7)"\n`,
    );
    const r = await planAgainstHead(["prod-business"]);
    const d = stackDiff(r, "prod-business");
    expect(names(d.deleted)).toEqual([
      "BucketObjectv2 dags-payroll-timesheets-py-b6ec755a",
      "IngestJob payroll--timesheets",
      "Job payroll--timesheets-job",
      "WorkspaceFile payroll-specs-timesheets-json-dee973d5",
    ]);
    expect(names(d.created).filter((n) => !n.startsWith("BucketObjectv2"))).toEqual([
      "IngestJob payroll--time-entries",
      "Job payroll--time-entries-job",
      "WorkspaceFile payroll-specs-time-entries-json-a0e879f1",
    ]);
    expect(d.replaced).toEqual([]);
  });
});

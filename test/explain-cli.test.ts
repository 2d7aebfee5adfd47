/**
 * `hdp explain` over the repository's own configs/ (the real program, planned in worker
 * processes, one cache shared by the runs of this file): a table answered in one screen (where it
 * lands, who writes it, which job loads it and when, its DAG) as text and JSON; a resource traced
 * back to the config lines that decide it; bad targets.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hdp } from "./support/hdp";

const ROOT = join(__dirname, "..");
let cache: string;
beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), "hdp-explain-cache-"));
});
afterAll(() => rmSync(cache, { recursive: true, force: true }));

const explain = (...argv: string[]) =>
  hdp(ROOT, ["explain", ...argv, "--configs", "configs", "--cache-dir", cache, "--jobs", "1"]);

interface EntryJson {
  kind: string;
  entry: string;
  declaredAt: string;
  environments: {
    environment: string;
    enabled: boolean;
    enabledBy: unknown;
    stacks: string[];
    lands: { layer: string; location: string; storage?: string }[];
    writers: { who: string; what: string; resource: { name: string; type: string } }[];
    loaders: {
      pipeline: string;
      job?: { name: string; type: string; stack: string };
      tasks: string[];
      when: {
        cron: string;
        timezone: string;
        quartz?: string;
        setting: string;
        decidedBy: { at: string; field: string };
      };
      dag: { id: string; file?: unknown };
    }[];
    resources: { type: string; name: string; origin?: string }[];
  }[];
}

describe("hdp explain <source>/<table>", () => {
  it("answers where lab_orders lands, who writes it, which job loads it and when (JSON)", async () => {
    const r = await explain("sunquest-lab/lab_orders", "--env", "dev", "--format", "json");
    expect(r.stderr).not.toContain("failed");
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as EntryJson;
    expect(e.kind).toBe("entry");
    expect(e.entry).toBe("sunquest-lab/lab_orders");
    expect(e.declaredAt).toBe("sources/sunquest-lab/tables/lab_orders.yaml:2:1");
    expect(e.environments.map((x) => x.environment)).toEqual(["dev"]);
    const dev = e.environments[0];
    expect(dev).toMatchObject({ enabled: true, enabledBy: "default", stacks: ["dev"] });

    expect(dev.lands.map((l) => [l.layer, l.location])).toEqual([
      ["landing", "s3://shs-dev-clinical-landing-318745203961/sunquest-lab/lab_orders/"],
      ["bronze", "shs_dev.sunquest_lab_bronze.lab_orders"],
      ["silver", "shs_dev.sunquest_lab_silver.lab_orders"],
    ]);
    expect(dev.lands[1].storage).toBe(
      "s3://shs-dev-clinical-bronze-318745203961/managed/sunquest-lab",
    );

    const who = dev.writers.map((w) => w.who);
    expect(who).toContain("role shs-dev-ingest-sunquest-lab");
    expect(who).toContain("job shs-dev-sunquest_lab__results");
    const ingest = dev.writers.find((w) => w.who === "role shs-dev-ingest-sunquest-lab");
    expect(ingest?.what).toBe("s3:PutObject on landing");
    expect(ingest?.resource).toMatchObject({
      type: "aws:iam/policy:Policy",
      name: "sunquest-lab-policy-1",
    });
    // Another source's role never writes this table's prefix.
    expect(who.filter((w) => w.startsWith("role ") && /ingest-(?!sunquest-lab)/.test(w))).toEqual(
      [],
    );

    expect(dev.loaders).toHaveLength(1);
    const l = dev.loaders[0];
    expect(l.pipeline).toBe("sunquest-lab/results");
    expect(l.job).toMatchObject({
      type: "databricks:index/job:Job",
      name: "sunquest-lab--results-job",
      stack: "dev",
    });
    expect(l.tasks).toEqual(["lab_orders__bronze", "lab_orders__silver"]);
    // The job has no schedule of its own: its DAG triggers it (one scheduler of record).
    expect(l.when?.quartz).toBeUndefined();
    // Dev's overlay of the source decides the schedule (source.yaml: environments.dev.schedule).
    expect(l.when).toMatchObject({
      cron: "0 * * * *",
      timezone: "America/Chicago",
      setting: "source-overlay",
      decidedBy: {
        at: "sources/sunquest-lab/source.yaml:53:7",
        field: "environments.dev.schedule",
      },
    });
    // The DAG file the platform uploads for the pipeline (rendered by @hdp/dags).
    expect(l.dag).toEqual({
      id: "sunquest_lab__results",
      file: expect.objectContaining({
        type: "aws:s3/bucketObjectv2:BucketObjectv2",
        name: "dags-sunquest-lab-results-py-ff260f98",
        stack: "dev",
      }),
    });

    expect(dev.resources.map((x) => `${x.type} ${x.name}`).sort()).toEqual([
      "aws:iam/policy:Policy sunquest-lab-policy-1",
      "databricks:index/job:Job sunquest-lab--results-job",
      // The table's spec, which the job's tasks read.
      expect.stringMatching(
        /^databricks:index\/workspaceFile:WorkspaceFile sunquest-lab-specs-lab-orders-json-[0-9a-f]{8}$/,
      ),
    ]);
    for (const x of dev.resources)
      expect(x.origin).toMatch(/^sources\/sunquest-lab\/source\.yaml:\d+:\d+$/);
  });

  it("prints the same answer as one screen of text, and prod's schedule from the source's default", async () => {
    const r = await explain("sunquest-lab/lab_orders", "--env", "dev", "prod");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(r.stdout).toContain(
      "sunquest-lab/lab_orders  (phi)  declared at sources/sunquest-lab/tables/lab_orders.yaml:2:1",
    );
    expect(r.stdout).toContain("dev: enabled (default); stack dev");
    expect(r.stdout).toContain("prod: enabled (default); stack prod-clinical");
    expect(r.stdout).toContain(
      "lands in  landing s3://shs-dev-clinical-landing-318745203961/sunquest-lab/lab_orders/",
    );
    expect(r.stdout).toContain(
      "written by role shs-dev-ingest-sunquest-lab: s3:PutObject on landing",
    );
    expect(r.stdout).toContain("loaded by  pipeline sunquest-lab/results");
    expect(r.stdout).toContain(
      "from the source's overlay for this environment: environments.dev.schedule at sources/sunquest-lab/source.yaml:53:7",
    );
    expect(r.stdout).toContain(`when       "*/30 * * * *" America/Chicago\n`);
    expect(r.stdout).toContain(
      "from the source's schedule (default for its pipelines): schedule at sources/sunquest-lab/source.yaml:35:3",
    );
    expect(r.stdout).toContain(
      "DAG        sunquest_lab__results: uploaded by aws:s3/bucketObjectv2:BucketObjectv2 dags-sunquest-lab-results-py-ff260f98",
    );
  });

  it("a pipeline's own schedule wins over the environment's overlay of its source", async () => {
    const r = await explain("sunquest-lab/micro_cultures", "--env", "dev", "--format", "json");
    expect(r.code).toBe(0);
    const l = (JSON.parse(r.stdout) as EntryJson).environments[0].loaders;
    expect(l.map((x) => [x.pipeline, x.when.cron, x.when.setting, x.when.decidedBy.field])).toEqual(
      [
        [
          "sunquest-lab/microbiology",
          "15 * * * *",
          "pipeline",
          "pipelines[id=microbiology].schedule",
        ],
      ],
    );
    expect(l[0].when.decidedBy.at).toMatch(/^sources\/sunquest-lab\/source\.yaml:4\d:7$/);
  });
});

describe("hdp explain <resource>", () => {
  it("traces a job back to its pipeline entry and the line deciding its schedule", async () => {
    const r = await explain("sunquest-lab--results-job", "--env", "dev", "--format", "json");
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as {
      kind: string;
      matches: {
        resource: { urn: string; stack: string };
        entry: string;
        component: string;
        decidedBy: { at: string; field: string }[];
      }[];
    };
    expect(e.kind).toBe("resource");
    expect(e.matches).toHaveLength(1);
    const m = e.matches[0];
    expect(m.resource.stack).toBe("dev");
    expect(m.component).toBe("hdp:spark:IngestJob sunquest-lab--results");
    expect(m.entry).toBe("pipeline sunquest-lab/results");
    expect(m.decidedBy.map((d) => d.at)).toEqual([
      "sources/sunquest-lab/source.yaml:37:5",
      "sources/sunquest-lab/source.yaml:53:7",
    ]);

    // The same resource by URN plans only its stack and gives the same answer.
    const byUrn = await explain(m.resource.urn, "--format", "json");
    expect(byUrn.code).toBe(0);
    expect(JSON.parse(byUrn.stdout)).toEqual({ ...e, query: m.resource.urn });
  });

  it("names the environment's file for a resource made from its defaults", async () => {
    const r = await explain("airflow-sg", "--env", "dev");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("aws:ec2/securityGroup:SecurityGroup airflow-sg  (stack dev)");
    expect(r.stdout).toContain("made for   environment dev (its defaults)");
    expect(r.stdout).toMatch(/decided by environments\/dev\.yaml:\d+:\d+ {2}\(entry\)/);
  });

  it("exits 1 for a resource no planned stack has, 2 for an unknown table (with a suggestion)", async () => {
    const missing = await explain("no-such-resource", "--env", "dev");
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("no resource named no-such-resource in the planned stacks\n");
    const typo = await explain("sunquest-lab/lab_order", "--env", "dev");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'hdp: source sunquest-lab has no table "lab_order"; did you mean "lab_orders"?\n',
    );
    expect(typo.stdout).toBe("");
    const env = await explain("sunquest-lab", "--env", "qa");
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('unknown environment "qa"');
  });
});

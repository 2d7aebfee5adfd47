import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { findResource, record, type RecordedResource } from "@hdp/testing";
import { DagFiles } from "./dag-files";
import { dagObjectName, type DagFile } from "./dag-files-plan";

const OBJ = "aws:s3/bucketObjectv2:BucketObjectv2";
const files: DagFile[] = [
  { path: "epic/encounters.py", content: "from airflow import DAG\n" },
  { path: "lab/results.py", content: "from airflow import DAG  # lab\n" },
  { path: "sql/load.sql", content: "select 1;\n" },
];

class Settings extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Settings", name, {});
  }
}

async function render(list: readonly DagFile[]) {
  return record(() => {
    const settings = new Settings("bucket-policy");
    return new DagFiles("dags", {
      bucket: { bucketName: "hdp-acme-prod-airflow-dags", settings: [settings] },
      files: list,
      tags: { owner: "data-platform" },
    });
  });
}

const objects = (rs: readonly RecordedResource[]) => rs.filter((r) => r.type === OBJ);

describe("DagFiles", () => {
  it("creates exactly one object per file, named from its path, under the component", async () => {
    const { resources } = await render(files);
    const component = findResource(resources, "hdp:airflow:DagFiles", "dags");
    expect(
      resources
        .filter((r) => r.type !== "test:index:Settings")
        .map((r) => [r.type, r.name, r.parent])
        .sort(),
    ).toEqual(
      [
        ["hdp:airflow:DagFiles", "dags", undefined],
        ...files.map((f) => [OBJ, dagObjectName("dags", f.path), component.urn]),
      ].sort(),
    );
  });

  it("uploads content to dags/<path> with a content type, a content hash, tags, after the bucket settings", async () => {
    const { resources } = await render(files);
    const settings = findResource(resources, "test:index:Settings", "bucket-policy");
    const o = findResource(resources, OBJ, dagObjectName("dags", "epic/encounters.py"));
    expect(o.inputs).toEqual({
      bucket: "hdp-acme-prod-airflow-dags",
      key: "dags/epic/encounters.py",
      content: "from airflow import DAG\n",
      contentType: "text/x-python",
      sourceHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      tags: { owner: "data-platform" },
    });
    expect(o.inputs.etag).toBeUndefined(); // SSE-KMS ETags are not MD5s: etag would always diff
    expect(o.dependencies).toContain(settings.urn);
    const sql = findResource(resources, OBJ, dagObjectName("dags", "sql/load.sql"));
    expect(sql.inputs.contentType).toBe("application/sql");
  });

  it("keeps every URN when files are reordered, and others' URNs when one is added", async () => {
    const urns = async (list: readonly DagFile[]) =>
      new Map(objects((await render(list)).resources).map((r) => [r.inputs.key, r.urn]));
    const base = await urns(files);
    expect(await urns([...files].reverse())).toEqual(base);
    const grown = await urns([{ path: "aaa/first.py", content: "x" }, ...files]);
    for (const [key, urn] of base) expect(grown.get(key)).toBe(urn);
    expect(grown.size).toBe(base.size + 1);
  });

  it("changes only the edited object's inputs when content changes", async () => {
    const before = objects((await render(files)).resources);
    const edited = files.map((f) =>
      f.path === "lab/results.py" ? { ...f, content: "changed\n" } : f,
    );
    const after = objects((await render(edited)).resources);
    const changed = after.filter(
      (a) =>
        JSON.stringify(a.inputs) !== JSON.stringify(before.find((b) => b.urn === a.urn)?.inputs),
    );
    expect(changed.map((c) => c.inputs.key)).toEqual(["dags/lab/results.py"]);
  });

  it("rejects bad and duplicate paths and too many tags, all at once", async () => {
    await expect(
      record(
        () =>
          new DagFiles("dags", {
            bucket: { bucketName: "b" },
            files: [
              { path: "../x.py", content: "" },
              { path: "a.py", content: "" },
              { path: "a.py", content: "" },
            ],
            tags: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`t${i}`, "v"])),
          }),
      ),
    ).rejects.toThrow(
      /"\.\.\/x\.py" must be relative[\s\S]*"a\.py" appears twice[\s\S]*11 given; S3 allows at most 10/,
    );
  });
});

describe("DagFiles with contents known only at deploy time", () => {
  it("uploads an Output's text with the sha256 of that text as sourceHash", async () => {
    const text = 'JOB_ID = "42"\n';
    const { resources } = await record(
      () =>
        new DagFiles("dags", {
          bucket: { bucketName: "hdp-acme-prod-airflow-dags" },
          files: [
            { path: "a.py", content: pulumi.output("42").apply((id) => `JOB_ID = "${id}"\n`) },
          ],
        }),
    );
    const obj = findResource(resources, OBJ, dagObjectName("dags", "a.py"));
    expect(obj.inputs.content).toBe(text);
    expect(obj.inputs.key).toBe("dags/a.py");
    expect(obj.inputs.sourceHash).toBe(createHash("sha256").update(text).digest("hex"));
  });
});

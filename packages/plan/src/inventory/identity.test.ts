import { isStateful, physicalIdentity } from "./identity";

const r = (type: string, inputs: Record<string, unknown>, custom = true) => ({
  type,
  inputs,
  custom,
  read: false,
  protect: false,
  retainOnDelete: false,
});

describe("physicalIdentity", () => {
  test.each([
    ["aws:s3/bucket:Bucket", { bucket: "shs-dev-x" }, "aws:s3/bucket:Bucket bucket=shs-dev-x"],
    [
      "aws:s3/bucketVersioning:BucketVersioning",
      { bucket: "shs-dev-x", versioningConfiguration: {} },
      "aws:s3/bucketVersioning:BucketVersioning bucket=shs-dev-x",
    ],
    [
      "aws:s3/bucketObjectv2:BucketObjectv2",
      { bucket: "b", key: "dags/a.py" },
      "aws:s3/bucketObjectv2:BucketObjectv2 bucket=b key=dags/a.py",
    ],
    [
      "aws:iam/role:Role",
      { name: "shs-dev-ingest-lab" },
      "aws:iam/role:Role name=shs-dev-ingest-lab",
    ],
    [
      "databricks:index/schema:Schema",
      { catalogName: "shs_dev", name: "lab_bronze" },
      "databricks:index/schema:Schema catalogName=shs_dev name=lab_bronze",
    ],
    [
      "databricks:index/grants:Grants",
      { schema: "shs_dev.lab_bronze" },
      "databricks:index/grants:Grants schema=shs_dev.lab_bronze",
    ],
    ["vendor:x/y:Unknown", { name: "n" }, "vendor:x/y:Unknown name=n"],
    ["aws:kms/key:Key", { description: "a key" }, undefined],
    ["aws:s3/bucket:Bucket", { bucket: "[unknown]" }, undefined],
  ])("%s %j", (type, inputs, id) => {
    expect(physicalIdentity(r(type, inputs))).toBe(id);
  });

  it("gives components and reads none", () => {
    expect(physicalIdentity(r("hdp:lake:LakeBuckets", { name: "x" }, false))).toBeUndefined();
    expect(
      physicalIdentity({ ...r("pulumi:pulumi:StackReference", { name: "o/p/s" }), read: true }),
    ).toBeUndefined();
  });
});

describe("isStateful", () => {
  test.each([
    ["aws:s3/bucket:Bucket", false, true],
    ["aws:kms/key:Key", false, true],
    ["databricks:index/catalog:Catalog", false, true],
    ["aws:iam/role:Role", false, false],
    ["aws:iam/role:Role", true, true],
  ])("%s protect=%s -> %s", (type, protect, stateful) => {
    expect(isStateful({ type, protect, retainOnDelete: false })).toBe(stateful);
  });
});

import { REPLACEMENT_FREE_TYPES, REPLACEMENT_RULES, replacingPaths } from "./replacements";

describe("the table of replacing inputs", () => {
  const entries = Object.entries(REPLACEMENT_RULES);

  it("covers the physical names the platform sets", () => {
    expect(entries.length).toBeGreaterThan(20);
    for (const [type, inputs] of [
      ["aws:s3/bucket:Bucket", ["bucket"]],
      ["aws:s3/bucketVersioning:BucketVersioning", ["bucket"]],
      ["aws:iam/role:Role", ["name", "path"]],
      ["aws:kms/alias:Alias", ["name"]],
      ["aws:mwaa/environment:Environment", ["name", "networkConfiguration.subnetIds"]],
      ["databricks:index/catalog:Catalog", ["storageRoot"]],
      ["databricks:index/schema:Schema", ["name", "catalogName", "storageRoot"]],
      ["databricks:index/externalLocation:ExternalLocation", ["name"]],
      ["databricks:index/storageCredential:StorageCredential", ["name"]],
    ] as const) {
      expect(REPLACEMENT_RULES[type]?.inputs).toEqual(expect.arrayContaining([...inputs]));
    }
  });

  it.each(entries)("%s names its provider source", (_, rule) => {
    expect(rule.inputs.length).toBeGreaterThan(0);
    expect(rule.source).toMatch(/^https:\/\/(registry\.terraform\.io|github\.com)\//);
  });

  it("keeps types that update in place out of the table", () => {
    expect(REPLACEMENT_FREE_TYPES.length).toBeGreaterThan(0);
    for (const t of REPLACEMENT_FREE_TYPES) expect(REPLACEMENT_RULES[t]).toBeUndefined();
    // A catalog renames in place (the provider's update sets the new name).
    expect(REPLACEMENT_RULES["databricks:index/catalog:Catalog"].inputs).not.toContain("name");
  });
});

describe("replacingPaths", () => {
  test.each([
    ["a bucket's name", "aws:s3/bucket:Bucket", ["bucket", "tags.x"], ["bucket"]],
    ["a bucket's tags only", "aws:s3/bucket:Bucket", ["tags.x"], []],
    ["a field named like a prefix", "aws:s3/bucket:Bucket", ["bucketx"], []],
    [
      "an MWAA subnet",
      "aws:mwaa/environment:Environment",
      ["networkConfiguration.subnetIds[1]", "networkConfiguration.securityGroupIds[0]"],
      ["networkConfiguration.subnetIds[1]"],
    ],
    ["a role's trust policy", "aws:iam/role:Role", ["assumeRolePolicy{Statement[0]}"], []],
    ["a type without an entry", "databricks:index/job:Job", ["name"], []],
  ])("%s", (_, type, paths, forced) => {
    expect(replacingPaths(type, paths)).toEqual(forced);
  });
});

import fc from "fast-check";
import {
  validateBucketName,
  validateDagId,
  validateIamRoleName,
  validateKmsAlias,
  validateMwaaEnvironmentName,
  validateUnityCatalogName,
} from "./rules";
import { joinName, slug } from "./build";

describe("validateBucketName", () => {
  it.each(["hdp-prod-clinical-bronze-1a2b3c4d", "abc", "a".repeat(63), "123-logs"])(
    "accepts %s",
    (name) => expect(validateBucketName(name)).toEqual([]),
  );

  it.each([
    ["ab", "is 2 characters; S3 allows 3 to 63"],
    ["a".repeat(64), "is 64 characters; S3 allows 3 to 63"],
    ["Hdp-bucket", 'may contain only lowercase letters, digits, "." and "-"'],
    ["hdp_bucket", 'may contain only lowercase letters, digits, "." and "-"'],
    ["-hdp", "must start and end with a lowercase letter or digit"],
    ["hdp-", "must start and end with a lowercase letter or digit"],
    ["hdp..x", 'must not contain "..", ".-" or "-."'],
    ["192.168.5.4", "must not look like an IP address"],
    ["xn--hdp", 'must not start with "xn--"'],
    ["sthree-hdp", 'must not start with "sthree-"'],
    ["amzn-s3-demo-hdp", 'must not start with "amzn-s3-demo-"'],
    ["hdp-s3alias", 'must not end with "-s3alias"'],
    ["hdp--ol-s3", 'must not end with "--ol-s3"'],
    ["hdp.mrap", 'must not end with ".mrap"'],
    ["hdp--x-s3", 'must not end with "--x-s3"'],
    ["hdp.lake", 'must not contain "." (Unity Catalog rejects such buckets)'],
  ])("rejects %s: %s", (name, message) => {
    expect(validateBucketName(name).join("\n")).toContain(message);
  });

  it("allows dots when the bucket is not used by Unity Catalog", () => {
    expect(validateBucketName("hdp.lake", { unityCatalog: false })).toEqual([]);
  });
});

describe("other services", () => {
  it.each([
    [validateIamRoleName, "hdp-prod-ingest-epic", true],
    [validateIamRoleName, "r".repeat(65), false],
    [validateIamRoleName, "has space", false],
    [validateKmsAlias, "alias/hdp/prod/clinical", true],
    [validateKmsAlias, "alias/aws/s3", false],
    [validateKmsAlias, "hdp/prod", false],
    [validateUnityCatalogName, "hdp_prod", true],
    [validateUnityCatalogName, "Epic-Clarity", false],
    [validateUnityCatalogName, "1abc", false],
    [validateMwaaEnvironmentName, "hdp-prod-airflow", true],
    [validateMwaaEnvironmentName, "1hdp", false],
    [validateDagId, "epic_clarity.encounters", true],
    [validateDagId, "has space", false],
  ] as const)("%p(%s) valid=%s", (validate, name, valid) => {
    expect(validate(name).length === 0).toBe(valid);
  });
});

describe("joinName", () => {
  it("keeps short names as they are", () => {
    expect(joinName(["hdp", "prod", "clinical"], 63)).toBe("hdp-prod-clinical");
  });

  it("shortens long names to the limit, stably and uniquely", () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9]{1,30}$/), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 20, max: 64 }),
        (parts, max) => {
          const name = joinName(parts, max);
          expect(name.length).toBeLessThanOrEqual(max);
          expect(joinName(parts, max)).toBe(name);
        },
      ),
    );
    const a = joinName(["x".repeat(40), "alpha"], 32);
    const b = joinName(["x".repeat(40), "beta"], 32);
    expect(a).not.toBe(b);
  });
});

describe("slug", () => {
  it.each([
    ["Epic Clarity", "epic-clarity"],
    ["  lab__LIS  ", "lab-lis"],
  ])("%s -> %s", (input, out) => expect(slug(input)).toBe(out));
});

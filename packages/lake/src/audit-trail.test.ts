import { findResource, record } from "@hdp/testing";
import { AuditTrail, validateAuditTrailArgs, type AuditTrailArgs } from "./audit-trail";
import { trailArn } from "./audit-policies";

const args: AuditTrailArgs = {
  trailName: "hdp-acme-prod-phi-access",
  bucketName: "hdp-acme-prod-audit",
  keyAliasName: "alias/hdp-acme/prod/audit",
  accountId: "123456789012",
  region: "us-east-2",
  excludedBucketNames: ["hdp-acme-prod-access-logs", "hdp-acme-prod-clinical-access-logs"],
  retentionDays: 2192,
  accessLogs: { bucketName: "hdp-acme-prod-access-logs" },
  tags: { owner: "data-platform" },
};
const ARN = "arn:aws:cloudtrail:us-east-2:123456789012:trail/hdp-acme-prod-phi-access";
const TRAIL = "aws:cloudtrail/trail:Trail";

describe("AuditTrail", () => {
  it("records object-level calls on every bucket but the log buckets, validated and KMS-encrypted, into the locked bucket", async () => {
    const { resources } = await record(() => new AuditTrail("audit", args));
    const trail = findResource(resources, TRAIL, "audit-trail");
    const bucket = findResource(resources, "aws:s3/bucket:Bucket", "audit-bucket-bucket");
    const key = findResource(resources, "aws:kms/key:Key", "audit-key-key");
    expect(trail.inputs).toMatchObject({
      name: "hdp-acme-prod-phi-access",
      s3BucketName: "hdp-acme-prod-audit",
      enableLogFileValidation: true,
      isMultiRegionTrail: true,
      enableLogging: true,
    });
    expect(typeof trail.inputs.kmsKeyId).toBe("string");
    expect(trail.inputs.advancedEventSelectors).toEqual([
      {
        name: "Management events",
        fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }],
      },
      {
        name: "Object-level access to every bucket but the log buckets",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
          {
            field: "resources.ARN",
            // The trail's own bucket and the log targets: recording them would feed back.
            notStartsWith: [
              "arn:aws:s3:::hdp-acme-prod-access-logs/",
              "arn:aws:s3:::hdp-acme-prod-audit/",
              "arn:aws:s3:::hdp-acme-prod-clinical-access-logs/",
            ],
          },
        ],
      },
    ]);
    // The trail waits for the bucket policy (CloudTrail checks it at creation) and the key.
    const policy = findResource(
      resources,
      "aws:s3/bucketPolicy:BucketPolicy",
      "audit-bucket-policy",
    );
    expect(trail.dependencies).toEqual(expect.arrayContaining([policy.urn, key.urn]));
    expect(bucket.inputs.objectLockEnabled).toBe(true);
    expect(trail.protect && bucket.protect && key.protect).toBe(true);
  });

  it("locks every record in COMPLIANCE mode for the retention", async () => {
    const { resources } = await record(() => new AuditTrail("audit", args));
    const lock = findResource(
      resources,
      "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      "audit-bucket-object-lock",
    );
    expect(lock.inputs.rule).toEqual({ defaultRetention: { mode: "COMPLIANCE", days: 2192 } });
    expect(lock.protect).toBe(true);
  });

  it("admits CloudTrail to the bucket and the key for this trail only (aws:SourceArn)", async () => {
    const { resources } = await record(() => new AuditTrail("audit", args));
    const policy = JSON.parse(
      findResource(resources, "aws:s3/bucketPolicy:BucketPolicy", "audit-bucket-policy").inputs
        .policy as string,
    ) as { Statement: { Sid: string; Condition?: Record<string, Record<string, string>> }[] };
    const sids = policy.Statement.map((s) => s.Sid);
    expect(sids).toEqual([
      "DenyInsecureTransport",
      "AllowCloudTrailAclCheck",
      "AllowCloudTrailWrite",
    ]);
    for (const s of policy.Statement.slice(1))
      expect(s.Condition?.StringEquals?.["aws:SourceArn"]).toBe(ARN);
    const keyPolicy = JSON.parse(
      findResource(resources, "aws:kms/key:Key", "audit-key-key").inputs.policy as string,
    ) as { Statement: { Sid: string; Condition?: Record<string, Record<string, string>> }[] };
    const encrypt = keyPolicy.Statement.find((s) => s.Sid === "AllowCloudTrailEncrypt");
    expect(encrypt?.Condition?.StringEquals?.["aws:SourceArn"]).toBe(ARN);
    expect(keyPolicy.Statement[0]?.Sid).toBe("EnableRootAccountAccess");
  });

  it("refuses bad names and retention, all at once", () => {
    expect(
      validateAuditTrailArgs({
        ...args,
        trailName: "x",
        accountId: "12",
        retentionDays: 0,
        excludedBucketNames: ["Bad_Bucket"],
      }),
    ).toHaveLength(5);
    expect(() => new AuditTrail("bad", { ...args, retentionDays: 40000 })).toThrow(/retentionDays/);
  });
});

describe("trail ARN", () => {
  it("builds the trail ARN CloudTrail will give the trail", () => {
    expect(trailArn("us-east-2", "123456789012", "hdp-acme-prod-phi-access")).toBe(ARN);
  });
});

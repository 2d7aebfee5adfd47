import { findResource, record } from "@hdp/testing";
import { AccessLogBucket, type AccessLogBucketArgs } from "./access-log-bucket";

const args: AccessLogBucketArgs = {
  bucketName: "hdp-acme-prod-clinical-logs",
  accountId: "123456789012",
  sourceBucketArns: [
    "arn:aws:s3:::hdp-acme-prod-clinical-landing",
    "arn:aws:s3:::hdp-acme-prod-clinical-bronze",
  ],
  tags: { owner: "data-platform" },
};
const S3 = "aws:s3/";

describe("AccessLogBucket", () => {
  it("creates exactly the bucket and its settings: no logging of its own, no object lock", async () => {
    const { resources } = await record(() => new AccessLogBucket("logs", args));
    const component = findResource(resources, "hdp:lake:AccessLogBucket", "logs");
    expect(resources.map((r) => [r.type, r.name, r.parent]).sort()).toEqual(
      [
        ["hdp:lake:AccessLogBucket", "logs", undefined],
        [`${S3}bucket:Bucket`, "logs-bucket", component.urn],
        [`${S3}bucketOwnershipControls:BucketOwnershipControls`, "logs-ownership", component.urn],
        [
          `${S3}bucketPublicAccessBlock:BucketPublicAccessBlock`,
          "logs-public-access-block",
          component.urn,
        ],
        [`${S3}bucketVersioning:BucketVersioning`, "logs-versioning", component.urn],
        [
          `${S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration`,
          "logs-encryption",
          component.urn,
        ],
        [`${S3}bucketPolicy:BucketPolicy`, "logs-policy", component.urn],
        [
          `${S3}bucketLifecycleConfiguration:BucketLifecycleConfiguration`,
          "logs-lifecycle",
          component.urn,
        ],
      ].sort(),
    );
  });

  it("uses SSE-S3 (S3 cannot deliver access logs to SSE-KMS buckets) and tags its role", async () => {
    const { resources } = await record(() => new AccessLogBucket("logs", args));
    const enc = findResource(
      resources,
      `${S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration`,
      "logs-encryption",
    );
    expect(enc.inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
    const bucket = findResource(resources, `${S3}bucket:Bucket`, "logs-bucket");
    expect(bucket.inputs).toEqual({
      bucket: "hdp-acme-prod-clinical-logs",
      forceDestroy: false,
      tags: { owner: "data-platform", "hdp:bucket-role": "access-logs" },
    });
    expect(
      findResource(
        resources,
        `${S3}bucketPublicAccessBlock:BucketPublicAccessBlock`,
        "logs-public-access-block",
      ).inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      findResource(
        resources,
        `${S3}bucketOwnershipControls:BucketOwnershipControls`,
        "logs-ownership",
      ).inputs.rule,
    ).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
  });

  it("grants log delivery through its policy, only for the sources of the account, and denies plain HTTP", async () => {
    const { resources } = await record(() => new AccessLogBucket("logs", args));
    const policy = JSON.parse(
      findResource(resources, `${S3}bucketPolicy:BucketPolicy`, "logs-policy").inputs
        .policy as string,
    );
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "AllowS3ServerAccessLogs",
      "DenyLogObjectDeletion",
    ]);
    // No object lock on a log target (S3 refuses it): deleting log objects is denied instead.
    expect(policy.Statement[2]).toEqual({
      Sid: "DenyLogObjectDeletion",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
      Resource: "arn:aws:s3:::hdp-acme-prod-clinical-logs/*",
    });
    expect(policy.Statement[1]).toEqual({
      Sid: "AllowS3ServerAccessLogs",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::hdp-acme-prod-clinical-logs/*",
      Condition: {
        ArnLike: {
          "aws:SourceArn": [
            "arn:aws:s3:::hdp-acme-prod-clinical-bronze",
            "arn:aws:s3:::hdp-acme-prod-clinical-landing",
          ],
        },
        StringEquals: { "aws:SourceAccount": "123456789012" },
      },
    });
  });

  it("keeps logs six years by default, overridable", async () => {
    const rulesOf = async (
      extra: Partial<AccessLogBucketArgs>,
    ): Promise<{ id: string; expiration?: unknown }[]> => {
      const { resources } = await record(() => new AccessLogBucket("logs", { ...args, ...extra }));
      return findResource(
        resources,
        `${S3}bucketLifecycleConfiguration:BucketLifecycleConfiguration`,
        "logs-lifecycle",
      ).inputs.rules as never;
    };
    expect((await rulesOf({})).find((r) => r.id === "expire-current")?.expiration).toEqual({
      days: 2190,
    });
    expect(
      (await rulesOf({ retentionDays: 400 })).find((r) => r.id === "expire-current")?.expiration,
    ).toEqual({ days: 400 });
  });

  it("gives the same policy when the sources are reordered", async () => {
    const policyOf = async (sources: string[]): Promise<unknown> => {
      const { resources } = await record(
        () => new AccessLogBucket("logs", { ...args, sourceBucketArns: sources }),
      );
      return findResource(resources, `${S3}bucketPolicy:BucketPolicy`, "logs-policy").inputs.policy;
    };
    const sources = [...args.sourceBucketArns] as string[];
    expect(await policyOf([...sources].reverse())).toBe(await policyOf(sources));
  });

  it("rejects an empty source list and a bad name", async () => {
    await expect(
      record(() => new AccessLogBucket("logs", { ...args, bucketName: "x", sourceBucketArns: [] })),
    ).rejects.toThrow(/is 1 characters[\s\S]*sourceBucketArns is empty/);
  });

  it.each([
    [undefined, true, true],
    [{ protect: false, retainOnDelete: false }, false, false],
    // Pulumi passes protect down to children, not retainOnDelete: both are applied explicitly.
    [{ retainOnDelete: false }, true, false],
  ])(
    "protects and retains by default, else as the caller's options %p say",
    async (opts, protect, retain) => {
      const { resources } = await record(() => new AccessLogBucket("logs", args, opts));
      const custom = resources.filter((r) => r.custom);
      expect(custom.length).toBeGreaterThan(5);
      for (const r of custom)
        expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, protect, retain]);
    },
  );
});

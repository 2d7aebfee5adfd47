import * as pulumi from "@pulumi/pulumi";
import { findResource, record, type RecordedResource } from "@hdp/testing";
import { SecureBucket, type SecureBucketArgs } from "./secure-bucket";

const KEY = "arn:aws:kms:us-east-2:123456789012:key/1111-2222";
const args: SecureBucketArgs = {
  bucketName: "hdp-acme-prod-airflow-dags",
  kmsKeyArn: KEY,
  accessLogs: { bucketName: "hdp-acme-prod-core-logs" },
  tags: { owner: "data-platform", environment: "prod" },
};

const S3 = "aws:s3/";
const T = {
  component: "hdp:lake:SecureBucket",
  bucket: `${S3}bucket:Bucket`,
  ownership: `${S3}bucketOwnershipControls:BucketOwnershipControls`,
  pab: `${S3}bucketPublicAccessBlock:BucketPublicAccessBlock`,
  versioning: `${S3}bucketVersioning:BucketVersioning`,
  encryption: `${S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration`,
  lock: `${S3}bucketObjectLockConfiguration:BucketObjectLockConfiguration`,
  policy: `${S3}bucketPolicy:BucketPolicy`,
  logging: `${S3}bucketLogging:BucketLogging`,
  lifecycle: `${S3}bucketLifecycleConfiguration:BucketLifecycleConfiguration`,
};

const by = (rs: readonly RecordedResource[], type: string, name: string): RecordedResource =>
  findResource(rs, type, name);

describe("SecureBucket", () => {
  it("creates exactly the bucket and its chained settings, all under the component", async () => {
    const { resources } = await record(() => new SecureBucket("dags", args));
    const component = by(resources, T.component, "dags");
    expect(resources.map((r) => [r.type, r.name]).sort()).toEqual(
      [
        [T.component, "dags"],
        [T.bucket, "dags-bucket"],
        [T.ownership, "dags-ownership"],
        [T.pab, "dags-public-access-block"],
        [T.versioning, "dags-versioning"],
        [T.encryption, "dags-encryption"],
        [T.policy, "dags-policy"],
        [T.logging, "dags-logging"],
        [T.lifecycle, "dags-lifecycle"],
      ].sort(),
    );
    for (const r of resources.filter((x) => x !== component)) expect(r.parent).toBe(component.urn);

    // Each setting waits for the one before it (S3 409 OperationAborted otherwise).
    const chain = [
      "bucket",
      "ownership",
      "public-access-block",
      "versioning",
      "encryption",
      "policy",
      "logging",
      "lifecycle",
    ];
    const types = [
      T.bucket,
      T.ownership,
      T.pab,
      T.versioning,
      T.encryption,
      T.policy,
      T.logging,
      T.lifecycle,
    ];
    for (let i = 1; i < chain.length; i++) {
      const current = by(resources, types[i], `dags-${chain[i]}`);
      const previous = by(resources, types[i - 1], `dags-${chain[i - 1]}`);
      expect(current.dependencies).toContain(previous.urn);
    }
  });

  it("sets every security-relevant input", async () => {
    const { resources } = await record(() => new SecureBucket("dags", args));
    const bucket = by(resources, T.bucket, "dags-bucket");
    expect(bucket.inputs).toEqual({
      bucket: "hdp-acme-prod-airflow-dags",
      forceDestroy: false,
      tags: { owner: "data-platform", environment: "prod" },
    });
    expect(by(resources, T.ownership, "dags-ownership").inputs.rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
    expect(by(resources, T.pab, "dags-public-access-block").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(by(resources, T.versioning, "dags-versioning").inputs.versioningConfiguration).toEqual({
      status: "Enabled",
    });
    expect(by(resources, T.encryption, "dags-encryption").inputs.rules).toEqual([
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
        bucketKeyEnabled: true,
      },
    ]);
    const policy = JSON.parse(by(resources, T.policy, "dags-policy").inputs.policy as string);
    expect(policy.Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [
          "arn:aws:s3:::hdp-acme-prod-airflow-dags",
          "arn:aws:s3:::hdp-acme-prod-airflow-dags/*",
        ],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
    expect(by(resources, T.logging, "dags-logging").inputs).toMatchObject({
      targetBucket: "hdp-acme-prod-core-logs",
      targetPrefix: "hdp-acme-prod-airflow-dags/",
    });
    const rules = by(resources, T.lifecycle, "dags-lifecycle").inputs.rules as { id: string }[];
    expect(rules).toEqual([
      {
        id: "abort-multipart",
        status: "Enabled",
        filter: { prefix: "" },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
      {
        id: "noncurrent-versions",
        status: "Enabled",
        filter: { prefix: "" },
        noncurrentVersionExpiration: { noncurrentDays: 30 },
        expiration: { expiredObjectDeleteMarker: true },
      },
    ]);
  });

  it("protects and retains the bucket and every setting by default", async () => {
    const { resources } = await record(() => new SecureBucket("dags", args));
    for (const r of resources.filter((x) => x.custom)) {
      expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, true, true]);
    }
  });

  it.each([
    [{ protect: false, retainOnDelete: false }, false, false],
    // Pulumi passes protect down to children, not retainOnDelete: both are applied explicitly.
    [{ retainOnDelete: false }, true, false],
    [{ protect: false }, false, true],
  ])("honours the caller's options %p", async (opts, protect, retainOnDelete) => {
    const { resources } = await record(() => new SecureBucket("dags", args, opts));
    const custom = resources.filter((x) => x.custom);
    expect(custom.length).toBeGreaterThan(5);
    for (const r of custom) {
      expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, protect, retainOnDelete]);
    }
  });

  it("locks objects only when asked, after versioning and with the bucket created lock-enabled", async () => {
    const { resources } = await record(
      () => new SecureBucket("audit", { ...args, objectLock: { mode: "COMPLIANCE", days: 2190 } }),
    );
    expect(by(resources, T.bucket, "audit-bucket").inputs.objectLockEnabled).toBe(true);
    const lock = by(resources, T.lock, "audit-object-lock");
    expect(lock.inputs).toMatchObject({
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: "COMPLIANCE", days: 2190 } },
    });
    expect(lock.dependencies).toContain(by(resources, T.encryption, "audit-encryption").urn);
    expect(by(resources, T.policy, "audit-policy").dependencies).toContain(lock.urn);
  });

  it("merges extra statements into the one policy, ordered by Sid, with Outputs resolved", async () => {
    const role = pulumi.output("arn:aws:iam::123456789012:role/reader");
    const statements = [
      {
        Sid: "Zeta",
        Effect: "Allow" as const,
        Principal: { AWS: role },
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::hdp-acme-prod-airflow-dags/*",
      },
      {
        Sid: "Alpha",
        Effect: "Deny" as const,
        Principal: "*" as const,
        Action: "s3:DeleteBucket",
        Resource: "arn:aws:s3:::hdp-acme-prod-airflow-dags",
      },
    ];
    const render = async (list: typeof statements): Promise<unknown> => {
      const { resources } = await record(
        () => new SecureBucket("dags", { ...args, policyStatements: list }),
      );
      expect(resources.filter((r) => r.type === T.policy)).toHaveLength(1);
      return JSON.parse(by(resources, T.policy, "dags-policy").inputs.policy as string);
    };
    const forward = (await render(statements)) as {
      Statement: { Sid: string; Principal: unknown }[];
    };
    expect(forward.Statement.map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "Alpha", "Zeta"]);
    expect(forward.Statement[2]?.Principal).toEqual({
      AWS: "arn:aws:iam::123456789012:role/reader",
    });
    expect(await render([...statements].reverse())).toEqual(forward);
  });

  it("waits for the log bucket's settings before switching logging on", async () => {
    const { resources } = await record(() => {
      const target = new SecureBucket("other", { ...args, bucketName: "hdp-acme-prod-other" });
      return new SecureBucket("dags", {
        ...args,
        accessLogs: { bucketName: target.bucketName, prefix: "dags/", dependsOn: target.settings },
      });
    });
    const logging = by(resources, T.logging, "dags-logging");
    expect(logging.inputs.targetPrefix).toBe("dags/");
    expect(logging.dependencies).toContain(by(resources, T.policy, "other-policy").urn);
  });

  it("rejects invalid args with every problem at once", async () => {
    await expect(
      record(
        () =>
          new SecureBucket("bad", {
            ...args,
            bucketName: "Bad.Bucket",
            kmsKeyArn: "alias/hdp/prod",
            noncurrentVersionExpirationDays: 0,
            objectLock: { mode: "GOVERNANCE", days: 0 },
            policyStatements: [
              {
                Sid: "Open",
                Effect: "Allow",
                Principal: "*",
                Action: "s3:GetObject",
                Resource: "*",
              },
            ],
          }),
      ),
    ).rejects.toThrow(
      /SecureBucket "bad" has invalid args:[\s\S]*may contain only lowercase[\s\S]*must be a KMS key ARN[\s\S]*noncurrentVersionExpirationDays is 0[\s\S]*objectLock.days is 0[\s\S]*s3-bucket-no-public-grants/,
    );
  });

  describe("refuses what the policy pack's s3-bucket-no-public-grants rejects", () => {
    const open = (
      Principal: SecureBucketArgs["policyStatements"] extends readonly (infer S)[] | undefined
        ? S extends { Principal: infer P }
          ? P
          : never
        : never,
      Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>,
    ): NonNullable<SecureBucketArgs["policyStatements"]>[number] => ({
      Sid: "Open",
      Effect: "Allow",
      Principal,
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: "*",
      ...(Condition !== undefined ? { Condition } : {}),
    });

    it.each([
      ['principal "*"', open("*")],
      ['principal { AWS: "*" }', open({ AWS: "*" })],
      ['an AWS list holding "*"', open({ AWS: ["arn:aws:iam::123456789012:root", "*"] })],
    ])("an Allow to %s without a condition, with the rule's message", async (_what, statement) => {
      await expect(
        record(() => new SecureBucket("dags", { ...args, policyStatements: [statement] })),
      ).rejects.toThrow(
        'policyStatements[Open]: s3-bucket-no-public-grants: statement Open allows s3:GetObject, s3:ListBucket to principal "*" without a condition (the policy pack\'s rule; list "s3-bucket-no-public-grants" in acceptInsecure to accept it knowingly)',
      );
    });

    it("an Allow to everyone under a condition that does not narrow who", async () => {
      const statement = open("*", { Bool: { "aws:SecureTransport": "true" } });
      await expect(
        record(() => new SecureBucket("dags", { ...args, policyStatements: [statement] })),
      ).rejects.toThrow(
        'statement Open allows s3:GetObject, s3:ListBucket to principal "*" under conditions that do not narrow who (aws:securetransport)',
      );
    });

    it("but not an Allow to everyone narrowed by aws:SourceArn, nor a Deny to everyone", async () => {
      const narrowed = open("*", { ArnLike: { "aws:SourceArn": "arn:aws:s3:::hdp-acme-prod-x" } });
      const deny = { ...open({ AWS: "*" }), Sid: "DenyAll", Effect: "Deny" as const };
      // A condition still unknown at construction is left to the pack.
      const unknown = {
        ...open("*"),
        Sid: "Unknown",
        Condition: { StringEquals: pulumi.output({ "aws:SourceAccount": "123456789012" }) },
      };
      const { resources } = await record(
        () => new SecureBucket("dags", { ...args, policyStatements: [narrowed, deny, unknown] }),
      );
      expect(
        JSON.parse(String(by(resources, T.policy, "dags-policy").inputs.policy)).Statement,
      ).toHaveLength(4);
    });

    it("and lets it through when acceptInsecure lists the rule", async () => {
      const { resources } = await record(
        () =>
          new SecureBucket("dags", {
            ...args,
            policyStatements: [open({ AWS: "*" })],
            acceptInsecure: ["s3-bucket-no-public-grants"],
          }),
      );
      const policy = JSON.parse(String(by(resources, T.policy, "dags-policy").inputs.policy));
      expect(policy.Statement).toContainEqual(
        expect.objectContaining({ Sid: "Open", Principal: { AWS: "*" } }),
      );
    });
  });
});

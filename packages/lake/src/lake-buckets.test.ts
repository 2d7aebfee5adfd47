import { findResource, ofType, record, valueOf } from "@hdp/testing";
import { LakeBuckets } from "./lake-buckets";
import { planLakeBuckets, type LakeBucketsArgs } from "./lake-plan";

const args: LakeBucketsArgs = {
  namePrefix: "hdp-acme",
  environment: "prod",
  domain: "clinical",
  accountId: "123456789012",
  tags: {
    owner: "data-platform",
    domain: "clinical",
    "data-classification": "phi",
    environment: "prod",
    "cost-center": "cc-1",
  },
};
const KEY = "arn:aws:kms:us-east-2:123456789012:key/1111-2222";
const S3 = "aws:s3/";
const SETTINGS: [string, string][] = [
  ["ownership", `${S3}bucketOwnershipControls:BucketOwnershipControls`],
  ["public-access-block", `${S3}bucketPublicAccessBlock:BucketPublicAccessBlock`],
  ["versioning", `${S3}bucketVersioning:BucketVersioning`],
  [
    "encryption",
    `${S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration`,
  ],
  ["policy", `${S3}bucketPolicy:BucketPolicy`],
  ["lifecycle", `${S3}bucketLifecycleConfiguration:BucketLifecycleConfiguration`],
];

function expectedResources(name: string, opts: { key: boolean; audit: boolean }): string[] {
  const secure = ["landing", "bronze", "silver", "gold", ...(opts.audit ? ["audit"] : [])];
  const rows = [`hdp:lake:LakeBuckets ${name} -`, `hdp:lake:AccessLogBucket ${name}-logs ${name}`];
  if (opts.key) {
    rows.push(`hdp:lake:LakeKey ${name}-key ${name}`);
    rows.push(
      `aws:kms/key:Key ${name}-key-key ${name}-key`,
      `aws:kms/alias:Alias ${name}-key-alias ${name}-key`,
    );
  }
  const children = (c: string, withLogging: boolean, withLock: boolean): string[] => [
    `${S3}bucket:Bucket ${c}-bucket ${c}`,
    ...SETTINGS.map(([suffix, type]) => `${type} ${c}-${suffix} ${c}`),
    ...(withLogging ? [`${S3}bucketLogging:BucketLogging ${c}-logging ${c}`] : []),
    ...(withLock
      ? [`${S3}bucketObjectLockConfiguration:BucketObjectLockConfiguration ${c}-object-lock ${c}`]
      : []),
  ];
  rows.push(...children(`${name}-logs`, false, false));
  for (const l of secure) {
    rows.push(`hdp:lake:SecureBucket ${name}-${l} ${name}`);
    rows.push(...children(`${name}-${l}`, true, l === "audit"));
  }
  return rows.sort();
}

async function render(a: LakeBucketsArgs) {
  const rec = await record(() => new LakeBuckets("clinical", a));
  const nameOf = new Map(rec.resources.map((r) => [r.urn, r.name]));
  const rows = rec.resources
    .map((r) => {
      const parent = r.parent === undefined ? "-" : nameOf.get(r.parent);
      return `${r.type} ${r.name} ${parent}`;
    })
    .sort();
  return { ...rec, rows };
}

/** The default render, shared by the tests that only read it (mock runs cost ~1 s each). */
let defaultRender: ReturnType<typeof render> | undefined;
const renderDefault = (): ReturnType<typeof render> => (defaultRender ??= render(args));

describe("LakeBuckets", () => {
  it("creates exactly the key, the log bucket and the four layer buckets", async () => {
    const { rows, resources } = await renderDefault();
    expect(rows).toEqual(expectedResources("clinical", { key: true, audit: false }));
    expect(
      ofType(resources, `${S3}bucket:Bucket`)
        .map((r) => r.inputs.bucket)
        .sort(),
    ).toEqual([
      "hdp-acme-prod-clinical-bronze",
      "hdp-acme-prod-clinical-gold",
      "hdp-acme-prod-clinical-landing",
      "hdp-acme-prod-clinical-logs",
      "hdp-acme-prod-clinical-silver",
    ]);
  });

  it("creates no key when one is passed in, and encrypts every layer with it", async () => {
    const { rows, resources } = await render({ ...args, kmsKeyArn: KEY });
    expect(rows).toEqual(expectedResources("clinical", { key: false, audit: false }));
    for (const layer of ["landing", "bronze", "silver", "gold"]) {
      const enc = findResource(
        resources,
        `${S3}bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration`,
        `clinical-${layer}-encryption`,
      );
      expect(enc.inputs.rules).toEqual([
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
          bucketKeyEnabled: true,
        },
      ]);
    }
  });

  it("adds an object-locked audit bucket when asked", async () => {
    const { rows, resources } = await render({
      ...args,
      audit: { objectLock: { mode: "GOVERNANCE", days: 365 } },
    });
    expect(rows).toEqual(expectedResources("clinical", { key: true, audit: true }));
    expect(
      findResource(resources, `${S3}bucket:Bucket`, "clinical-audit-bucket").inputs
        .objectLockEnabled,
    ).toBe(true);
    for (const layer of ["landing", "bronze", "silver", "gold"]) {
      expect(
        findResource(resources, `${S3}bucket:Bucket`, `clinical-${layer}-bucket`).inputs
          .objectLockEnabled,
      ).toBeUndefined();
    }
  });

  it("keeps short noncurrent history on Delta layers and longer on landing", async () => {
    const { resources } = await renderDefault();
    const days = (layer: string): unknown =>
      (
        findResource(
          resources,
          `${S3}bucketLifecycleConfiguration:BucketLifecycleConfiguration`,
          `clinical-${layer}-lifecycle`,
        ).inputs.rules as { id: string; noncurrentVersionExpiration?: { noncurrentDays: number } }[]
      ).find((r) => r.id === "noncurrent-versions")?.noncurrentVersionExpiration?.noncurrentDays;
    expect(["landing", "bronze", "silver", "gold"].map(days)).toEqual([30, 7, 7, 7]);
  });

  it("logs every bucket to the log bucket, which admits exactly those sources", async () => {
    const dags = "arn:aws:s3:::hdp-acme-prod-airflow-dags";
    const { resources } = await render({
      ...args,
      accessLogs: { additionalSourceBucketArns: [dags] },
    });
    const logBucket = findResource(resources, `${S3}bucket:Bucket`, "clinical-logs-bucket");
    for (const r of ofType(resources, `${S3}bucketLogging:BucketLogging`)) {
      expect(r.inputs.targetBucket).toBe(logBucket.inputs.bucket);
    }
    const policy = JSON.parse(
      findResource(resources, `${S3}bucketPolicy:BucketPolicy`, "clinical-logs-policy").inputs
        .policy as string,
    );
    expect(policy.Statement[1].Condition.ArnLike["aws:SourceArn"]).toEqual([
      dags,
      "arn:aws:s3:::hdp-acme-prod-clinical-bronze",
      "arn:aws:s3:::hdp-acme-prod-clinical-gold",
      "arn:aws:s3:::hdp-acme-prod-clinical-landing",
      "arn:aws:s3:::hdp-acme-prod-clinical-silver",
    ]);
  });

  it("protects and retains every stateful child by default; the caller's options switch it off", async () => {
    const stateful = (await renderDefault()).resources.filter(
      (r) => r.custom && r.type !== "aws:kms/alias:Alias",
    );
    for (const r of stateful) {
      expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, true, true]);
    }
    // Pulumi passes protect down to children but not retainOnDelete: each is applied explicitly.
    const retainOff = await record(
      () => new LakeBuckets("clinical", args, { retainOnDelete: false }),
    );
    const custom = retainOff.resources.filter((x) => x.custom && x.type !== "aws:kms/alias:Alias");
    expect(custom.length).toBeGreaterThan(10);
    for (const r of custom) {
      expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, true, false]);
    }
    // The key's alias is not stateful: never protected, whatever the caller's option.
    const alias = retainOff.resources.filter((x) => x.type === "aws:kms/alias:Alias");
    expect(alias.map((r) => [r.name, r.protect])).toEqual([["clinical-key-alias", false]]);
    const viaOptions = await record(
      () => new LakeBuckets("clinical", args, { protect: false, retainOnDelete: false }),
    );
    for (const r of viaOptions.resources.filter((x) => x.custom)) {
      expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, false, false]);
    }
  });

  it("tags every bucket and the key with the caller's tags", async () => {
    const { resources } = await renderDefault();
    for (const r of [
      ...ofType(resources, `${S3}bucket:Bucket`),
      ...ofType(resources, "aws:kms/key:Key"),
    ]) {
      expect(r.inputs.tags).toMatchObject(args.tags as Record<string, string>);
    }
  });

  it("keeps URNs and inputs when transition rules and extra sources are reordered", async () => {
    const rules = [
      {
        id: "genomics-raw",
        prefix: "genomics/raw/",
        transitions: [
          { days: 30, storageClass: "GLACIER_IR" as const },
          { days: 180, storageClass: "DEEP_ARCHIVE" as const },
        ],
      },
      {
        id: "imaging",
        prefix: "imaging/",
        transitions: [{ days: 60, storageClass: "STANDARD_IA" as const }],
      },
    ];
    const sources = ["arn:aws:s3:::a-dags", "arn:aws:s3:::b-dags"];
    const a = await render({
      ...args,
      layers: { landing: { transitionRules: rules } },
      accessLogs: { additionalSourceBucketArns: sources },
    });
    const b = await render({
      ...args,
      layers: { landing: { transitionRules: [...rules].reverse() } },
      accessLogs: { additionalSourceBucketArns: [...sources].reverse() },
    });
    expect(b.resources.map((r) => r.urn).sort()).toEqual(a.resources.map((r) => r.urn).sort());
    const inputsByUrn = (rs: typeof a.resources) =>
      Object.fromEntries(rs.map((r) => [r.urn, r.inputs]));
    expect(inputsByUrn(b.resources)).toEqual(inputsByUrn(a.resources));
    const landing = findResource(
      a.resources,
      `${S3}bucketLifecycleConfiguration:BucketLifecycleConfiguration`,
      "clinical-landing-lifecycle",
    );
    expect((landing.inputs.rules as { id: string }[]).map((r) => r.id)).toEqual([
      "abort-multipart",
      "genomics-raw",
      "imaging",
      "noncurrent-versions",
    ]);
  });

  it("exposes names, ARNs, the key ARN and table URIs", async () => {
    const { result } = await renderDefault();
    expect(await valueOf(result.bucketNames.silver)).toBe("hdp-acme-prod-clinical-silver");
    expect(await valueOf(result.bucketArns.gold)).toBe("arn:aws:s3:::hdp-acme-prod-clinical-gold");
    expect(await valueOf(result.kmsKeyArn)).toMatch(/^arn:aws:kms:us-east-2:123456789012:key\//);
    expect(await valueOf(result.tableUri("bronze", "epic", "encounters"))).toBe(
      "s3://hdp-acme-prod-clinical-bronze/epic/encounters/",
    );
    expect(result.key).toBeDefined();
    expect(result.auditBucket).toBeUndefined();
  });

  it("rejects long Delta histories, conflicting key args and bad names, all at once", async () => {
    await expect(
      record(
        () =>
          new LakeBuckets("clinical", {
            ...args,
            domain: "Clinical",
            kmsKeyArn: "alias/hdp",
            key: { deletionWindowInDays: 3 },
            layers: {
              silver: { noncurrentVersionExpirationDays: 30 },
              landing: { noncurrentVersionExpirationDays: 90 },
            },
          }),
      ),
    ).rejects.toThrow(
      /landing: invalid lake bucket name parts: domain "Clinical"[\s\S]*layers.silver.noncurrentVersionExpirationDays is 30; Delta layers keep at most 7 days[\s\S]*key: settings for a new key were given together with kmsKeyArn[\s\S]*kmsKeyArn "alias\/hdp" must be a KMS key ARN[\s\S]*key.deletionWindowInDays is 3/,
    );
  });
});

describe("planLakeBuckets with explicit bucket names", () => {
  const args: LakeBucketsArgs = {
    namePrefix: "hdp",
    environment: "prod",
    domain: "clinical",
    accountId: "123456789012",
    bucketNames: {
      bronze: "shs-prod-clinical-bronze-123456789012",
      logs: "shs-prod-access-logs-123456789012",
    },
  };

  it("uses the caller's names where given and derives the rest", () => {
    const plan = planLakeBuckets(args);
    expect(plan.problems).toEqual([]);
    expect(plan.buckets.map((b) => [b.role, b.bucketName])).toEqual([
      ["landing", "hdp-prod-clinical-landing"],
      ["bronze", "shs-prod-clinical-bronze-123456789012"],
      ["silver", "hdp-prod-clinical-silver"],
      ["gold", "hdp-prod-clinical-gold"],
    ]);
    expect(plan.logBucketName).toBe("shs-prod-access-logs-123456789012");
  });

  it("validates explicit names against S3's rules", () => {
    const plan = planLakeBuckets({ ...args, bucketNames: { gold: "Bad_Name" } });
    expect(plan.problems.join("\n")).toContain(
      'bucketNames.gold: bucket name "Bad_Name" may contain only lowercase letters',
    );
  });
});

import { check, rows, uncovered, type RuleCase } from "../__fixtures__/cases";
import {
  ACCOUNT,
  S3,
  bucketSet,
  doc,
  patch,
  replace,
  res,
  tlsOnly,
} from "../__fixtures__/resources";
import { s3Policies } from "./s3";

const gold = () => bucketSet("gold");
const logs = () => bucketSet("logs", { accessLogs: true });
const sse = (byDefault: Record<string, unknown>) => ({
  rules: [{ applyServerSideEncryptionByDefault: byDefault }],
});
const GOLD = "gold-bucket";
const LOGS = "logs-bucket";

const cases: RuleCase[] = [
  // s3-bucket-kms-encryption
  { rule: "s3-bucket-kms-encryption", title: "lake bucket with the lake key", resources: gold() },
  { rule: "s3-bucket-kms-encryption", title: "access-log bucket with SSE-S3", resources: logs() },
  {
    rule: "s3-bucket-kms-encryption",
    title: "lake bucket with SSE-S3",
    resources: replace(gold(), "gold-encryption", (r) => patch(r, sse({ sseAlgorithm: "AES256" }))),
    violation: {
      name: GOLD,
      message: /default encryption is AES256, not SSE-KMS \(data-classification phi\)/,
    },
  },
  {
    rule: "s3-bucket-kms-encryption",
    title: "lake bucket with the AWS-managed key",
    resources: replace(gold(), "gold-encryption", (r) =>
      patch(r, sse({ sseAlgorithm: "aws:kms" })),
    ),
    violation: { name: GOLD, message: /uses the AWS-managed key \(no kmsMasterKeyId\)/ },
  },
  {
    rule: "s3-bucket-kms-encryption",
    title: "access-log bucket with SSE-KMS",
    resources: replace(logs(), "logs-encryption", (r) =>
      patch(r, sse({ sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-east-2:1:key/x" })),
    ),
    violation: {
      name: LOGS,
      message:
        /access-log bucket encrypted with aws:kms; S3 delivers server access logs only to SSE-S3/,
    },
  },
  {
    rule: "s3-bucket-kms-encryption",
    title: "bucket without encryption configuration",
    resources: replace(gold(), "gold-encryption", undefined),
    violation: { name: GOLD, message: /has no aws.s3.BucketServerSideEncryptionConfiguration/ },
  },
  // s3-bucket-versioning
  { rule: "s3-bucket-versioning", title: "versioned bucket", resources: gold() },
  {
    rule: "s3-bucket-versioning",
    title: "bucket without BucketVersioning",
    resources: replace(gold(), "gold-versioning", undefined),
    violation: {
      name: GOLD,
      message: /bucket "hdp-acme-prod-gold" has no aws.s3.BucketVersioning/,
    },
  },
  {
    rule: "s3-bucket-versioning",
    title: "versioning suspended",
    resources: replace(gold(), "gold-versioning", (r) =>
      patch(r, { versioningConfiguration: { status: "Suspended" } }),
    ),
    violation: { name: GOLD, message: /versioning Suspended, not Enabled/ },
  },
  // s3-bucket-public-access-block
  { rule: "s3-bucket-public-access-block", title: "all four blocks", resources: gold() },
  {
    rule: "s3-bucket-public-access-block",
    title: "no public-access block",
    resources: replace(gold(), "gold-public-access-block", undefined),
    violation: { name: GOLD, message: /has no aws.s3.BucketPublicAccessBlock/ },
  },
  {
    rule: "s3-bucket-public-access-block",
    title: "public policies not blocked",
    resources: replace(gold(), "gold-public-access-block", (r) =>
      patch(r, { blockPublicPolicy: false }),
    ),
    violation: { name: GOLD, message: /leaves blockPublicPolicy off/ },
  },
  // s3-bucket-tls-only
  { rule: "s3-bucket-tls-only", title: "TLS-only statement", resources: gold() },
  {
    rule: "s3-bucket-tls-only",
    title: "wildcard resources cover the bucket",
    resources: replace(gold(), "gold-policy", (r) =>
      patch(r, { policy: doc({ ...tlsOnly("x"), Resource: "arn:aws:s3:::hdp-acme-prod-gold*" }) }),
    ),
  },
  {
    rule: "s3-bucket-tls-only",
    title: "no bucket policy",
    resources: replace(gold(), "gold-policy", undefined),
    violation: { name: GOLD, message: /has no aws.s3.BucketPolicy \(nothing denies plain HTTP\)/ },
  },
  {
    rule: "s3-bucket-tls-only",
    title: "deny only on the bucket, not its objects",
    resources: replace(gold(), "gold-policy", (r) =>
      patch(r, { policy: doc({ ...tlsOnly("x"), Resource: "arn:aws:s3:::hdp-acme-prod-gold" }) }),
    ),
    violation: { name: GOLD, message: /policy gold-policy does not deny requests without TLS/ },
  },
  {
    rule: "s3-bucket-tls-only",
    title: "a second bucket policy",
    resources: [
      ...gold(),
      res(S3.policy, "gold-extra-policy", {
        bucket: "hdp-acme-prod-gold",
        policy: doc(tlsOnly("hdp-acme-prod-gold")),
      }),
    ],
    violation: {
      name: GOLD,
      message: /has 2 aws.s3.BucketPolicy resources \(gold-policy, gold-extra-policy\)/,
    },
  },
  // s3-bucket-access-logging
  {
    rule: "s3-bucket-access-logging",
    title: "lake bucket logs; log bucket does not",
    resources: [...gold(), ...logs()],
  },
  {
    rule: "s3-bucket-access-logging",
    title: "lake bucket without logging",
    resources: replace(gold(), "gold-logging", undefined),
    violation: { name: GOLD, message: /has no aws.s3.BucketLogging/ },
  },
  // s3-bucket-noncurrent-version-expiration
  {
    rule: "s3-bucket-noncurrent-version-expiration",
    title: "whole-bucket rule",
    resources: gold(),
  },
  {
    rule: "s3-bucket-noncurrent-version-expiration",
    title: "no lifecycle configuration",
    resources: replace(gold(), "gold-lifecycle", undefined),
    violation: { name: GOLD, message: /has no aws.s3.BucketLifecycleConfiguration/ },
  },
  {
    rule: "s3-bucket-noncurrent-version-expiration",
    title: "noncurrent expiration for one prefix only",
    resources: replace(gold(), "gold-lifecycle", (r) =>
      patch(r, {
        rules: [
          {
            id: "raw",
            status: "Enabled",
            filter: { prefix: "raw/" },
            noncurrentVersionExpiration: { noncurrentDays: 7 },
          },
        ],
      }),
    ),
    violation: {
      name: GOLD,
      message: /lifecycle gold-lifecycle has no enabled whole-bucket noncurrentVersionExpiration/,
    },
  },
  // s3-bucket-no-public-grants
  {
    rule: "s3-bucket-no-public-grants",
    title: "log delivery to a service, with conditions",
    resources: logs(),
  },
  {
    rule: "s3-bucket-no-public-grants",
    title: "Allow to * without a condition",
    resources: replace(gold(), "gold-policy", (r) =>
      patch(r, {
        policy: doc(tlsOnly("hdp-acme-prod-gold"), {
          Sid: "Everyone",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::hdp-acme-prod-gold/*",
        }),
      }),
    ),
    violation: {
      name: "gold-policy",
      message: /statement Everyone allows s3:GetObject to principal "\*" without a condition/,
    },
  },
  {
    rule: "s3-bucket-no-public-grants",
    title: "Allow to * under a condition that does not narrow who (TLS only)",
    resources: replace(gold(), "gold-policy", (r) =>
      patch(r, {
        policy: doc(tlsOnly("hdp-acme-prod-gold"), {
          Sid: "EveryoneOverTls",
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::hdp-acme-prod-gold/*",
          Condition: { Bool: { "aws:SecureTransport": "true" } },
        }),
      }),
    ),
    violation: {
      name: "gold-policy",
      message:
        /EveryoneOverTls allows s3:GetObject to principal "\*" under conditions that do not narrow who \(aws:securetransport\)/,
    },
  },
  {
    rule: "s3-bucket-no-public-grants",
    title: "Allow to * narrowed to the organization",
    resources: replace(gold(), "gold-policy", (r) =>
      patch(r, {
        policy: doc(tlsOnly("hdp-acme-prod-gold"), {
          Sid: "Org",
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::hdp-acme-prod-gold/*",
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } },
        }),
      }),
    ),
  },
  {
    rule: "s3-bucket-no-public-grants",
    title: "public-read canned ACL",
    resources: [
      ...gold(),
      res(S3.acl, "gold-acl", { bucket: "hdp-acme-prod-gold", acl: "public-read" }),
    ],
    violation: { name: "gold-acl", message: /the canned ACL public-read is public/ },
  },
  {
    rule: "s3-bucket-no-public-grants",
    title: "ACL grant to AllUsers",
    resources: [
      ...gold(),
      res(S3.acl, "gold-acl", {
        bucket: "hdp-acme-prod-gold",
        accessControlPolicy: {
          grants: [
            {
              grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
              permission: "READ",
            },
          ],
        },
      }),
    ],
    violation: { name: "gold-acl", message: /an ACL grant goes to AllUsers/ },
  },
  // s3-bucket-ownership-enforced
  { rule: "s3-bucket-ownership-enforced", title: "BucketOwnerEnforced", resources: gold() },
  {
    rule: "s3-bucket-ownership-enforced",
    title: "no ownership controls",
    resources: replace(gold(), "gold-ownership", undefined),
    violation: { name: GOLD, message: /has no aws.s3.BucketOwnershipControls/ },
  },
  {
    rule: "s3-bucket-ownership-enforced",
    title: "ObjectWriter ownership",
    resources: replace(gold(), "gold-ownership", (r) =>
      patch(r, { rule: { objectOwnership: "ObjectWriter" } }),
    ),
    violation: { name: GOLD, message: /object ownership ObjectWriter, not BucketOwnerEnforced/ },
  },
];

describe("S3 rules", () => {
  test.each(rows(cases))("%s", (_, c) => check(c));

  it("have a compliant and a non-compliant case each", () => {
    expect(uncovered(s3Policies, cases)).toEqual([]);
  });
});

describe("tying settings to buckets", () => {
  const UNKNOWN = "[unknown]";

  it("uses the only bucket dependency when the bucket's name is unknown", () => {
    const bucket = gold()[0];
    const resources = replace(gold(), "gold-versioning", (r) =>
      patch(
        { ...r, dependencies: [bucket.urn] },
        { bucket: UNKNOWN, versioningConfiguration: { status: "Suspended" } },
      ),
    );
    check({
      rule: "s3-bucket-versioning",
      title: "",
      resources,
      violation: { name: GOLD, message: /versioning Suspended/ },
    });
  });

  it("does not guess: a setting of unknown bucket makes missing ones of its kind unknowable", () => {
    const two = [...gold(), ...replace(bucketSet("silver"), "silver-versioning", undefined)];
    const unknown = replace(two, "gold-versioning", (r) => patch(r, { bucket: UNKNOWN }));
    check({ rule: "s3-bucket-versioning", title: "", resources: unknown });
  });

  it("leaves settings of buckets in other stacks alone", () => {
    const foreign = res(S3.versioning, "other-versioning", {
      bucket: "someone-elses-bucket",
      versioningConfiguration: { status: "Suspended" },
    });
    check({ rule: "s3-bucket-versioning", title: "", resources: [...gold(), foreign] });
  });

  it("treats the deprecated V2 types as buckets and settings", () => {
    const v2 = gold().map((r) =>
      r.type === S3.bucket
        ? { ...r, type: "aws:s3/bucketV2:BucketV2" }
        : r.type === S3.versioning
          ? { ...r, type: "aws:s3/bucketVersioningV2:BucketVersioningV2" }
          : r,
    );
    check({ rule: "s3-bucket-versioning", title: "", resources: v2 });
    check({
      rule: "s3-bucket-versioning",
      title: "",
      resources: v2.filter((r) => !r.type.startsWith("aws:s3/bucketVersioningV2")),
      violation: { name: GOLD, message: /has no aws.s3.BucketVersioning/ },
    });
  });

  it("skips a bucket policy that is not known yet", () => {
    const resources = replace(gold(), "gold-policy", (r) => patch(r, { policy: UNKNOWN }));
    check({ rule: "s3-bucket-tls-only", title: "", resources });
  });

  it("checks the TLS statement against the bucket's own ARN", () => {
    const resources = replace(gold(), "gold-policy", (r) =>
      patch(r, { policy: doc(tlsOnly(`other-${ACCOUNT}`)) }),
    );
    check({
      rule: "s3-bucket-tls-only",
      title: "",
      resources,
      violation: { name: GOLD, message: /does not deny requests without TLS/ },
    });
  });
});

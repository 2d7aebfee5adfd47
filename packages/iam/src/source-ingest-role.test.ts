import { findResource, ofType, record } from "@hdp/testing";
import * as pulumi from "@pulumi/pulumi";
import { allStatements, fingerprint, trustPolicy, tree } from "./__fixtures__/helpers";
import { SourceIngestRole, type SourceIngestRoleArgs } from "./source-ingest-role";

const KEY = "arn:aws:kms:us-east-2:123456789012:key/11111111-2222-3333-4444-555555555555";
const TAGS = { owner: "ingest", domain: "clinical", environment: "prod" };

const base: SourceIngestRoleArgs = {
  source: "epic-clarity",
  tables: ["encounters", "labs"],
  bucketNames: ["hdp-prod-landing-1a2b"],
  kmsKeyArn: KEY,
  region: "us-east-2",
  trustedPrincipalArn: "arn:aws:iam::210987654321:role/epic-extract",
  // The extract runs in the environment's own account: no external id needed.
  accountId: "210987654321",
  tags: TAGS,
};

describe("SourceIngestRole", () => {
  it("creates exactly one role with write access to exactly its prefixes", async () => {
    const { resources } = await record(() => new SourceIngestRole("ingest-epic", base));
    expect(tree(resources)).toEqual([
      "aws:iam/policy:Policy ingest-epic-policy-1 <- ingest-epic",
      "aws:iam/role:Role ingest-epic-role <- ingest-epic",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment ingest-epic-attachment-1 <- ingest-epic",
      "hdp:iam:SourceIngestRole ingest-epic",
    ]);
    expect(findResource(resources, "aws:iam/role:Role", "ingest-epic-role").inputs).toMatchObject({
      name: "ingest-epic",
      tags: TAGS,
    });
    expect(trustPolicy(resources)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::210987654321:role/epic-extract" },
          Action: "sts:AssumeRole",
        },
      ],
    });
    expect(allStatements(resources)).toEqual([
      {
        Effect: "Allow",
        Action: ["s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:PutObject"],
        Resource: [
          "arn:aws:s3:::hdp-prod-landing-1a2b/epic-clarity/encounters/*",
          "arn:aws:s3:::hdp-prod-landing-1a2b/epic-clarity/labs/*",
        ],
      },
      {
        Effect: "Allow",
        // Multipart uploads to SSE-KMS buckets need Decrypt too.
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: KEY,
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" } },
      },
    ]);
  });

  it("adds get and per-prefix listing for read-write, never delete", async () => {
    const { resources } = await record(
      () =>
        new SourceIngestRole("rw", {
          ...base,
          access: "read-write",
          externalId: "ext-123",
          bucketNames: ["hdp-prod-landing-1a2b", "hdp-prod-raw-1a2b"],
        }),
    );
    const statements = allStatements(resources);
    expect(statements).toEqual([
      {
        Effect: "Allow",
        Action: [
          "s3:AbortMultipartUpload",
          "s3:GetObject",
          "s3:ListMultipartUploadParts",
          "s3:PutObject",
        ],
        Resource: [
          "arn:aws:s3:::hdp-prod-landing-1a2b/epic-clarity/encounters/*",
          "arn:aws:s3:::hdp-prod-landing-1a2b/epic-clarity/labs/*",
          "arn:aws:s3:::hdp-prod-raw-1a2b/epic-clarity/encounters/*",
          "arn:aws:s3:::hdp-prod-raw-1a2b/epic-clarity/labs/*",
        ],
      },
      {
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: KEY,
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" } },
      },
      ...["encounters", "labs"].map((t) => ({
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: ["arn:aws:s3:::hdp-prod-landing-1a2b", "arn:aws:s3:::hdp-prod-raw-1a2b"],
        Condition: { StringLike: { "s3:prefix": `epic-clarity/${t}/*` } },
      })),
    ]);
    expect(JSON.stringify(statements)).not.toContain("Delete");
    expect(trustPolicy(resources)).toMatchObject({
      Statement: [{ Condition: { StringEquals: { "sts:ExternalId": "ext-123" } } }],
    });
  });

  it("accepts Output bucket names and principal, sized without blowing the limits", async () => {
    const { resources } = await record(
      () =>
        new SourceIngestRole("out", {
          ...base,
          bucketNames: [pulumi.output("hdp-prod-landing-1a2b")],
          trustedPrincipalArn: pulumi.output("arn:aws:iam::210987654321:role/epic-extract"),
          externalId: pulumi.output("ext-123"),
          region: pulumi.output("us-east-2"),
        }),
    );
    expect(ofType(resources, "aws:iam/policy:Policy")).toHaveLength(1);
    expect(allStatements(resources)).toContainEqual(
      expect.objectContaining({
        Resource: [
          "arn:aws:s3:::hdp-prod-landing-1a2b/epic-clarity/encounters/*",
          "arn:aws:s3:::hdp-prod-landing-1a2b/epic-clarity/labs/*",
        ],
      }),
    );
  });

  it("splits a source with many tables into several policies", async () => {
    const tables = Array.from({ length: 250 }, (_, i) => `clarity_table_${i}`);
    const { resources } = await record(() => new SourceIngestRole("wide", { ...base, tables }));
    const docs = ofType(resources, "aws:iam/policy:Policy");
    expect(docs.length).toBeGreaterThan(1);
    const granted = allStatements(resources).flatMap((s) => {
      const r = (s as { Resource: string | string[] }).Resource;
      return Array.isArray(r) ? r : [r];
    });
    expect(granted.filter((r) => r.includes("/epic-clarity/"))).toHaveLength(250);
  });

  it.each<[string, Partial<SourceIngestRoleArgs>, string]>([
    ["a wildcard table", { tables: ["*"] }, 'table "*" must be letters, digits'],
    ["a nested table", { tables: ["a/b"] }, 'table "a/b" must be letters, digits'],
    ["a wildcard source", { source: "epic*" }, 'source "epic*" must be letters, digits'],
    ["no tables", { tables: [] }, 'source "epic-clarity" has no tables'],
    ["no buckets", { bucketNames: [] }, "bucketNames is empty"],
    ["a bad bucket", { bucketNames: ["Bad_Bucket"] }, 'bucket name "Bad_Bucket" may contain only'],
    ["anyone as principal", { trustedPrincipalArn: "*" }, 'trustedPrincipalArn must not be "*"'],
    [
      "an alias as key",
      { kmsKeyArn: "arn:aws:kms:us-east-2:123456789012:alias/lake" },
      "is not a KMS key ARN",
    ],
  ])("rejects %s", (_name, override, message) => {
    expect(() => new SourceIngestRole("bad", { ...base, ...override })).toThrow(message);
  });

  it("gives the same URNs and inputs when tables and buckets are reordered", async () => {
    const a = { ...base, tables: ["a", "b", "c"], bucketNames: ["hdp-x-1", "hdp-y-1"] };
    const b = { ...base, tables: ["c", "a", "b", "a"], bucketNames: ["hdp-y-1", "hdp-x-1"] };
    const first = await record(() => new SourceIngestRole("s", { ...a, access: "read-write" }));
    const second = await record(() => new SourceIngestRole("s", { ...b, access: "read-write" }));
    expect(fingerprint(second.resources)).toEqual(fingerprint(first.resources));
  });

  describe("refuses what the policy pack's iam-cross-account-external-id rejects", () => {
    const VENDOR = "arn:aws:iam::444455556666:role/lis-vendor-upload";
    const MESSAGE =
      'externalId: iam-cross-account-external-id: a statement trusts arn:aws:iam::444455556666:role/lis-vendor-upload (another account) without an sts:ExternalId condition (the policy pack\'s rule; list "iam-cross-account-external-id" in acceptInsecure to accept it knowingly)';

    it("a principal of another account without an external id, with the rule's message", () => {
      expect(
        () => new SourceIngestRole("vendor", { ...base, trustedPrincipalArn: VENDOR }),
      ).toThrow(MESSAGE);
      const { accountId: _own, ...noAccount } = base;
      expect(() => new SourceIngestRole("vendor", noAccount)).toThrow(
        "iam-cross-account-external-id: a statement trusts arn:aws:iam::210987654321:role/epic-extract",
      );
    });

    it("but not with an external id, nor a principal of the own account or still unknown", async () => {
      const { resources } = await record(() => [
        new SourceIngestRole("ext", { ...base, trustedPrincipalArn: VENDOR, externalId: "x-1" }),
        new SourceIngestRole("own", base),
        new SourceIngestRole("out", {
          ...base,
          accountId: undefined,
          trustedPrincipalArn: pulumi.output(VENDOR),
        }),
      ]);
      expect(ofType(resources, "aws:iam/role:Role")).toHaveLength(3);
    });

    it("and lets it through when acceptInsecure lists the rule", async () => {
      const { resources } = await record(
        () =>
          new SourceIngestRole("vendor", {
            ...base,
            trustedPrincipalArn: VENDOR,
            acceptInsecure: ["iam-cross-account-external-id"],
          }),
      );
      expect(trustPolicy(resources)).toMatchObject({ Statement: [{ Principal: { AWS: VENDOR } }] });
    });
  });
});

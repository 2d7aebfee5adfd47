import { findResource, record, valueOf } from "@hdp/testing";
import * as pulumi from "@pulumi/pulumi";
import { allStatements, fingerprint, trustPolicy, tree } from "./__fixtures__/helpers";
import {
  UNITY_CATALOG_MASTER_ROLE_ARN,
  UnityCatalogStorageRole,
  type UnityCatalogStorageRoleArgs,
} from "./unity-catalog-storage-role";

const KEY = "arn:aws:kms:us-east-2:123456789012:key/11111111-2222-3333-4444-555555555555";
const EXTERNAL_ID = "5a1f0c3e-9d7b-4e2a-8c61-0b3f2d4e6a7c";
const base: UnityCatalogStorageRoleArgs = {
  roleName: "hdp-prod-uc-storage",
  externalId: EXTERNAL_ID,
  accountId: "123456789012",
  bucketArns: ["arn:aws:s3:::hdp-prod-silver-1a2b", "arn:aws:s3:::hdp-prod-bronze-1a2b"],
  kmsKeyArns: [KEY],
  tags: { owner: "platform" },
};
const SELF = "arn:aws:iam::123456789012:role/hdp-prod-uc-storage";

describe("UnityCatalogStorageRole", () => {
  it("trusts the UC master role and itself, both only with the external id", async () => {
    const { resources } = await record(() => new UnityCatalogStorageRole("uc", base));
    expect(tree(resources)).toEqual([
      "aws:iam/policy:Policy uc-policy-1 <- uc",
      "aws:iam/role:Role uc-role <- uc",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment uc-attachment-1 <- uc",
      "hdp:iam:UnityCatalogStorageRole uc",
    ]);
    expect(trustPolicy(resources)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "sts:AssumeRole",
          Condition: {
            ArnLike: { "aws:PrincipalArn": SELF },
            StringEquals: { "sts:ExternalId": EXTERNAL_ID },
          },
        },
        {
          Effect: "Allow",
          Principal: { AWS: UNITY_CATALOG_MASTER_ROLE_ARN },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID } },
        },
      ],
    });
  });

  it("grants S3 on the buckets and objects, AssumeRole on itself and KMS on the keys", async () => {
    const { resources } = await record(() => new UnityCatalogStorageRole("uc", base));
    expect(allStatements(resources)).toEqual([
      {
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"],
        Resource: KEY,
      },
      {
        Effect: "Allow",
        Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        Resource: ["arn:aws:s3:::hdp-prod-bronze-1a2b/*", "arn:aws:s3:::hdp-prod-silver-1a2b/*"],
      },
      {
        Effect: "Allow",
        Action: ["s3:GetBucketLocation", "s3:ListBucket"],
        Resource: ["arn:aws:s3:::hdp-prod-bronze-1a2b", "arn:aws:s3:::hdp-prod-silver-1a2b"],
      },
      { Effect: "Allow", Action: "sts:AssumeRole", Resource: SELF },
    ]);
    expect(findResource(resources, "aws:iam/role:Role", "uc-role").inputs).toMatchObject({
      name: "hdp-prod-uc-storage",
      tags: { owner: "platform" },
    });
  });

  it("constructs, before the role exists, the ARN the role gets (also for long names)", async () => {
    const long = `hdp-prod-unity-catalog-storage-credential-${"x".repeat(40)}`;
    const { resources, result } = await record(async () => {
      const constructed = UnityCatalogStorageRole.roleArnFor("123456789012", long);
      const uc = new UnityCatalogStorageRole("uc", { ...base, roleName: long });
      return { constructed: await valueOf(constructed), actual: await valueOf(uc.roleArn) };
    });
    expect(result.constructed).toBe(result.actual);
    expect(result.constructed).toMatch(/^arn:aws:iam::123456789012:role\/hdp-prod-unity-catalog-/);
    const trust = JSON.stringify(trustPolicy(resources));
    expect(trust).toContain(result.constructed);
  });

  it("takes the external id as an Output from the storage credential", async () => {
    const { resources } = await record(
      () =>
        new UnityCatalogStorageRole("uc", {
          ...base,
          externalId: pulumi.output(EXTERNAL_ID),
          accountId: pulumi.output("123456789012"),
          bucketArns: [pulumi.output("arn:aws:s3:::hdp-prod-silver-1a2b")],
          kmsKeyArns: [pulumi.output(KEY)],
        }),
    );
    expect(JSON.stringify(trustPolicy(resources))).toContain(EXTERNAL_ID);
    expect(allStatements(resources)).toContainEqual({
      Effect: "Allow",
      Action: "sts:AssumeRole",
      Resource: SELF,
    });
  });

  it("exposes the attachments an external location must depend on", async () => {
    const { result } = await record(() => new UnityCatalogStorageRole("uc", base));
    expect(result.policyAttachments).toHaveLength(1);
  });

  it("omits KMS when there is no key, and refuses no buckets", async () => {
    const { resources } = await record(
      () => new UnityCatalogStorageRole("uc", { ...base, kmsKeyArns: [] }),
    );
    expect(JSON.stringify(allStatements(resources))).not.toContain("kms:");
    expect(() => new UnityCatalogStorageRole("uc", { ...base, bucketArns: [] })).toThrow(
      "bucketArns is empty",
    );
  });

  it("gives the same URNs and inputs when buckets and keys are reordered", async () => {
    const first = await record(() => new UnityCatalogStorageRole("uc", base));
    const second = await record(
      () =>
        new UnityCatalogStorageRole("uc", { ...base, bucketArns: [...base.bucketArns].reverse() }),
    );
    expect(fingerprint(second.resources)).toEqual(fingerprint(first.resources));
  });
});

import * as pulumi from "@pulumi/pulumi";
import { findResource, record } from "@hdp/testing";
import { LakeKey, type LakeKeyArgs } from "./lake-key";

const args: LakeKeyArgs = {
  accountId: "123456789012",
  aliasName: "alias/hdp-acme/prod/clinical/lake",
  tags: { owner: "data-platform" },
};

describe("LakeKey", () => {
  it("creates exactly a key and its alias under the component", async () => {
    const { resources } = await record(() => new LakeKey("clinical-key", args));
    const component = findResource(resources, "hdp:lake:LakeKey", "clinical-key");
    expect(resources.map((r) => [r.type, r.name, r.parent])).toEqual([
      ["hdp:lake:LakeKey", "clinical-key", undefined],
      ["aws:kms/key:Key", "clinical-key-key", component.urn],
      ["aws:kms/alias:Alias", "clinical-key-alias", component.urn],
    ]);
    const key = findResource(resources, "aws:kms/key:Key", "clinical-key-key");
    expect(findResource(resources, "aws:kms/alias:Alias", "clinical-key-alias").inputs).toEqual({
      name: "alias/hdp-acme/prod/clinical/lake",
      targetKeyId: expect.any(String),
    });
    expect(
      findResource(resources, "aws:kms/alias:Alias", "clinical-key-alias").dependencies,
    ).toContain(key.urn);
  });

  it("rotates, waits 30 days before deletion, is single-region, and keeps the root statement", async () => {
    const { resources } = await record(() => new LakeKey("k", args));
    const key = findResource(resources, "aws:kms/key:Key", "k-key");
    expect(key.inputs).toMatchObject({
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      multiRegion: false,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      bypassPolicyLockoutSafetyCheck: false,
      tags: { owner: "data-platform" },
    });
    expect(key.protect).toBe(true);
    expect(key.retainOnDelete).toBe(true);
    expect(JSON.parse(key.inputs.policy as string)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "EnableRootAccountAccess",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    });
  });

  it("adds the CloudWatch Logs statement and extra statements (after root, by Sid)", async () => {
    const role = pulumi.output("arn:aws:iam::123456789012:role/x");
    const { resources } = await record(
      () =>
        new LakeKey("k", {
          ...args,
          accountId: pulumi.output("123456789012"),
          cloudWatchLogs: {
            region: pulumi.output("us-east-2"),
            logGroupNamePattern: "airflow-hdp-prod-*",
          },
          policyStatements: [
            {
              Sid: "Zed",
              Effect: "Allow",
              Principal: { AWS: role },
              Action: "kms:Decrypt",
              Resource: "*",
            },
            {
              Sid: "Abe",
              Effect: "Allow",
              Principal: { AWS: role },
              Action: "kms:Encrypt",
              Resource: "*",
            },
          ],
        }),
    );
    const policy = JSON.parse(
      findResource(resources, "aws:kms/key:Key", "k-key").inputs.policy as string,
    );
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "EnableRootAccountAccess",
      "AllowCloudWatchLogs",
      "Abe",
      "Zed",
    ]);
    expect(policy.Statement[1].Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toBe(
      "arn:aws:logs:us-east-2:123456789012:log-group:airflow-hdp-prod-*",
    );
    expect(policy.Statement[3].Principal).toEqual({ AWS: "arn:aws:iam::123456789012:role/x" });
  });

  it.each([6, 31, 7.5])("rejects a deletion window of %p days", async (days) => {
    await expect(
      record(() => new LakeKey("k", { ...args, deletionWindowInDays: days })),
    ).rejects.toThrow(`deletionWindowInDays is ${days}; KMS allows a whole number from 7 to 30`);
  });

  it("rejects a reserved alias", async () => {
    await expect(
      record(() => new LakeKey("k", { ...args, aliasName: "alias/aws/s3" })),
    ).rejects.toThrow('uses the reserved "alias/aws/"');
  });

  it("honours the caller's protect/retainOnDelete options", async () => {
    const { resources } = await record(
      () => new LakeKey("k", args, { protect: false, retainOnDelete: false }),
    );
    const key = findResource(resources, "aws:kms/key:Key", "k-key");
    expect([key.protect, key.retainOnDelete]).toEqual([false, false]);
  });
});

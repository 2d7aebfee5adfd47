import { findResource, record } from "@hdp/testing";
import * as iam from "@pulumi/aws/iam";
import { allStatements, fingerprint, trustPolicy, tree } from "./__fixtures__/helpers";
import {
  DatabricksInstanceProfileRole,
  type DatabricksInstanceProfileRoleArgs,
} from "./databricks-instance-profile-role";

const KEY = "arn:aws:kms:us-east-2:123456789012:key/11111111-2222-3333-4444-555555555555";
const base: DatabricksInstanceProfileRoleArgs = {
  readBucketArns: ["arn:aws:s3:::hdp-prod-libraries-1a2b"],
  readWriteBucketArns: ["arn:aws:s3:::hdp-prod-scratch-1a2b"],
  kmsKeyArns: [KEY],
  region: "us-east-2",
  roleName: "hdp-prod-dbx-nodes",
  tags: { owner: "platform" },
};

describe("DatabricksInstanceProfileRole", () => {
  it("creates the role, its policy and an instance profile of the same name", async () => {
    const { resources } = await record(() => new DatabricksInstanceProfileRole("nodes", base));
    expect(tree(resources)).toEqual([
      "aws:iam/instanceProfile:InstanceProfile nodes-profile <- nodes",
      "aws:iam/policy:Policy nodes-policy-1 <- nodes",
      "aws:iam/role:Role nodes-role <- nodes",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment nodes-attachment-1 <- nodes",
      "hdp:iam:DatabricksInstanceProfileRole nodes",
    ]);
    expect(
      findResource(resources, "aws:iam/instanceProfile:InstanceProfile", "nodes-profile").inputs,
    ).toEqual({
      name: "hdp-prod-dbx-nodes",
      role: "hdp-prod-dbx-nodes",
      tags: { owner: "platform" },
    });
    expect(trustPolicy(resources)).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
  });

  it("grants read on read buckets, write on read-write buckets, keys only through S3", async () => {
    const { resources } = await record(() => new DatabricksInstanceProfileRole("nodes", base));
    expect(allStatements(resources)).toEqual([
      {
        Effect: "Allow",
        Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        Resource: "arn:aws:s3:::hdp-prod-scratch-1a2b/*",
      },
      {
        Effect: "Allow",
        Action: ["s3:GetBucketLocation", "s3:ListBucket"],
        Resource: ["arn:aws:s3:::hdp-prod-libraries-1a2b", "arn:aws:s3:::hdp-prod-scratch-1a2b"],
      },
      {
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::hdp-prod-libraries-1a2b/*",
      },
      {
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: KEY,
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" } },
      },
    ]);
  });

  it("only decrypts when every bucket is read-only", async () => {
    const { resources } = await record(
      () => new DatabricksInstanceProfileRole("nodes", { ...base, readWriteBucketArns: [] }),
    );
    expect(allStatements(resources)).toContainEqual(
      expect.objectContaining({ Action: "kms:Decrypt", Resource: KEY }),
    );
    expect(JSON.stringify(allStatements(resources))).not.toMatch(
      /PutObject|DeleteObject|GenerateDataKey/,
    );
  });

  it("creates a role without policies when given no access", async () => {
    const { resources } = await record(
      () => new DatabricksInstanceProfileRole("bare", { region: "us-east-2" }),
    );
    expect(tree(resources)).toEqual([
      "aws:iam/instanceProfile:InstanceProfile bare-profile <- bare",
      "aws:iam/role:Role bare-role <- bare",
      "hdp:iam:DatabricksInstanceProfileRole bare",
    ]);
  });

  it("resolves the instance profile ARN only after the policies are attached", async () => {
    const { resources } = await record(() => {
      const nodes = new DatabricksInstanceProfileRole("nodes", base);
      new iam.InstanceProfile("consumer", { role: nodes.instanceProfileArn });
    });
    const consumer = findResource(resources, "aws:iam/instanceProfile:InstanceProfile", "consumer");
    const attachment = findResource(
      resources,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "nodes-attachment-1",
    );
    expect(consumer.dependencies).toContain(attachment.urn);
  });

  it("gives the same URNs and inputs when buckets are reordered", async () => {
    const two = { ...base, readBucketArns: ["arn:aws:s3:::hdp-a-1", "arn:aws:s3:::hdp-b-1"] };
    const first = await record(() => new DatabricksInstanceProfileRole("nodes", two));
    const second = await record(
      () =>
        new DatabricksInstanceProfileRole("nodes", {
          ...two,
          readBucketArns: ["arn:aws:s3:::hdp-b-1", "arn:aws:s3:::hdp-a-1"],
        }),
    );
    expect(fingerprint(second.resources)).toEqual(fingerprint(first.resources));
  });
});

import { findResource, record } from "@hdp/testing";
import * as pulumi from "@pulumi/pulumi";
import { allStatements, fingerprint, trustPolicy, tree } from "./__fixtures__/helpers";
import { MwaaExecutionRole, type MwaaExecutionRoleArgs } from "./mwaa-execution-role";

const KEY = "arn:aws:kms:us-east-2:123456789012:key/11111111-2222-3333-4444-555555555555";
const base: MwaaExecutionRoleArgs = {
  environmentName: "hdp-prod-airflow",
  dagBucketArn: "arn:aws:s3:::hdp-prod-dags-1a2b",
  kmsKeyArn: KEY,
  accountId: "123456789012",
  region: "us-east-2",
  tags: { owner: "platform", environment: "prod" },
};
const ENV_ARN = "arn:aws:airflow:us-east-2:123456789012:environment/hdp-prod-airflow";

/** The documented execution-role permissions, scoped to this environment. */
const EXPECTED_STATEMENTS = [
  { Effect: "Allow", Action: "airflow:PublishMetrics", Resource: ENV_ARN },
  {
    Effect: "Allow",
    Action: [
      "cloudwatch:PutMetricData",
      "logs:DescribeLogGroups",
      "s3:GetAccountPublicAccessBlock",
    ],
    Resource: "*",
  },
  {
    Effect: "Allow",
    Action: [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:GetLogEvents",
      "logs:GetLogGroupFields",
      "logs:GetLogRecord",
      "logs:GetQueryResults",
      "logs:PutLogEvents",
    ],
    Resource: "arn:aws:logs:us-east-2:123456789012:log-group:airflow-hdp-prod-airflow-*",
  },
  {
    Effect: "Allow",
    Action: ["s3:GetBucket*", "s3:GetObject*", "s3:List*"],
    Resource: ["arn:aws:s3:::hdp-prod-dags-1a2b", "arn:aws:s3:::hdp-prod-dags-1a2b/*"],
  },
  {
    Effect: "Allow",
    Action: [
      "sqs:ChangeMessageVisibility",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:ReceiveMessage",
      "sqs:SendMessage",
    ],
    Resource: "arn:aws:sqs:us-east-2:*:airflow-celery-*",
  },
  {
    Effect: "Allow",
    Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*"],
    Resource: KEY,
    Condition: {
      StringEquals: {
        "kms:ViaService": ["s3.us-east-2.amazonaws.com", "sqs.us-east-2.amazonaws.com"],
      },
    },
  },
];

describe("MwaaExecutionRole", () => {
  it("creates the role and policy with the documented, environment-scoped permissions", async () => {
    const { resources } = await record(() => new MwaaExecutionRole("airflow-exec", base));
    expect(tree(resources)).toEqual([
      "aws:iam/policy:Policy airflow-exec-policy-1 <- airflow-exec",
      "aws:iam/role:Role airflow-exec-role <- airflow-exec",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment airflow-exec-attachment-1 <- airflow-exec",
      "hdp:iam:MwaaExecutionRole airflow-exec",
    ]);
    expect(findResource(resources, "aws:iam/role:Role", "airflow-exec-role").inputs).toMatchObject({
      name: "hdp-prod-airflow-execution",
      tags: base.tags,
    });
    expect(trustPolicy(resources)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: ["airflow-env.amazonaws.com", "airflow.amazonaws.com"] },
          Action: "sts:AssumeRole",
          Condition: {
            ArnLike: { "aws:SourceArn": ENV_ARN },
            StringEquals: { "aws:SourceAccount": "123456789012" },
          },
        },
      ],
    });
    expect(allStatements(resources)).toEqual(EXPECTED_STATEMENTS);
  });

  it("names the role after its MWAA environment, so two environments in one account never collide", async () => {
    const { resources } = await record(() => {
      new MwaaExecutionRole("dev-role", { ...base, environmentName: "hdp-dev-airflow" });
      new MwaaExecutionRole("stage-role", { ...base, environmentName: "hdp-stage-airflow" });
    });
    const names = resources
      .filter((r) => r.type === "aws:iam/role:Role")
      .map((r) => r.inputs.name)
      .sort();
    expect(names).toEqual(["hdp-dev-airflow-execution", "hdp-stage-airflow-execution"]);
  });

  it("renders the same documents from Output account, region, bucket and key", async () => {
    const { resources } = await record(
      () =>
        new MwaaExecutionRole("airflow-exec", {
          ...base,
          accountId: pulumi.output("123456789012"),
          region: pulumi.output("us-east-2"),
          dagBucketArn: pulumi.output("arn:aws:s3:::hdp-prod-dags-1a2b"),
          kmsKeyArn: pulumi.output(KEY),
          roleName: "hdp-prod-airflow-execution",
        }),
    );
    expect(allStatements(resources)).toEqual(EXPECTED_STATEMENTS);
    expect(findResource(resources, "aws:iam/role:Role", "airflow-exec-role").inputs.name).toBe(
      "hdp-prod-airflow-execution",
    );
  });

  it("drops the confused-deputy conditions only when asked, and adds extra statements", async () => {
    const { resources } = await record(
      () =>
        new MwaaExecutionRole("airflow-exec", {
          ...base,
          confusedDeputyConditions: false,
          additionalStatements: [
            {
              Effect: "Allow",
              Action: ["secretsmanager:GetSecretValue"],
              Resource: [
                "arn:aws:secretsmanager:us-east-2:123456789012:secret:airflow/connections/*",
              ],
            },
          ],
        }),
    );
    expect(trustPolicy(resources)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: ["airflow-env.amazonaws.com", "airflow.amazonaws.com"] },
          Action: "sts:AssumeRole",
        },
      ],
    });
    expect(allStatements(resources)).toContainEqual({
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: "arn:aws:secretsmanager:us-east-2:123456789012:secret:airflow/connections/*",
    });
  });

  it.each<[string, Partial<MwaaExecutionRoleArgs>, string]>([
    ["a bad environment name", { environmentName: "1-airflow" }, "MWAA environment name"],
    [
      "an alias as key",
      { kmsKeyArn: "arn:aws:kms:us-east-2:123456789012:alias/mwaa" },
      "is not a KMS key ARN",
    ],
    ["a bucket name as bucket ARN", { dagBucketArn: "hdp-prod-dags" }, "is not an S3 bucket ARN"],
    [
      "* on * among the extra statements",
      { additionalStatements: [{ Effect: "Allow", Action: ["*"], Resource: ["*"] }] },
      '"*" action on "*" resource is never allowed',
    ],
  ])("rejects %s", (_name, override, message) => {
    expect(() => new MwaaExecutionRole("bad", { ...base, ...override })).toThrow(message);
  });

  it("is stable across runs", async () => {
    const first = await record(() => new MwaaExecutionRole("airflow-exec", base));
    const second = await record(() => new MwaaExecutionRole("airflow-exec", base));
    expect(fingerprint(second.resources)).toEqual(fingerprint(first.resources));
  });
});

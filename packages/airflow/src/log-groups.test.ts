import { findResource, ofType, record } from "@hdp/testing";
import { AirflowEnvironment, type AirflowEnvironmentArgs } from "./airflow-environment";
import { MWAA_LOG_TYPES, mwaaLogGroupName, validateLogRetention } from "./log-groups";

const args: AirflowEnvironmentArgs = {
  environmentName: "hdp-prod",
  accountId: "123456789012",
  region: "us-east-2",
  vpcId: "vpc-0a1b2c3d",
  privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  dagBucketName: "hdp-acme-prod-airflow-dags",
  accessLogs: { bucketName: "hdp-acme-prod-core-logs" },
  logRetentionDays: 2192,
  tags: { owner: "data-platform" },
};
const GROUP = "aws:cloudwatch/logGroup:LogGroup";

describe("MWAA log groups", () => {
  it("are the stack's own: MWAA's five names, the retention and the environment's key", async () => {
    const { resources } = await record(() => new AirflowEnvironment("airflow", args));
    const groups = ofType(resources, GROUP);
    expect(groups.map((g) => g.inputs.name).sort()).toEqual([
      "airflow-hdp-prod-DAGProcessing",
      "airflow-hdp-prod-Scheduler",
      "airflow-hdp-prod-Task",
      "airflow-hdp-prod-WebServer",
      "airflow-hdp-prod-Worker",
    ]);
    const key = findResource(resources, "aws:kms/key:Key", "airflow-key-key");
    const env = findResource(resources, "aws:mwaa/environment:Environment", "airflow-env");
    for (const g of groups) {
      expect(g.inputs.retentionInDays).toBe(2192);
      expect(typeof g.inputs.kmsKeyId).toBe("string");
      // The key's policy must admit CloudWatch Logs before a group is encrypted with it.
      expect(g.dependencies).toContain(key.urn);
      // MWAA would create never-expiring groups of its own if it started first.
      expect(env.dependencies).toContain(g.urn);
      expect(g.protect).toBe(true);
    }
    const policy = JSON.parse(key.inputs.policy as string) as {
      Statement: { Sid: string; Condition?: { ArnLike?: Record<string, string> } }[];
    };
    const logs = policy.Statement.find((s) => s.Sid === "AllowCloudWatchLogs");
    expect(logs?.Condition?.ArnLike?.["kms:EncryptionContext:aws:logs:arn"]).toBe(
      "arn:aws:logs:us-east-2:123456789012:log-group:airflow-hdp-prod-*",
    );
  });

  it("names every log type's group as MWAA does", () => {
    expect(MWAA_LOG_TYPES.map((t) => mwaaLogGroupName("x", t))).toEqual([
      "airflow-x-DAGProcessing",
      "airflow-x-Scheduler",
      "airflow-x-Task",
      "airflow-x-WebServer",
      "airflow-x-Worker",
    ]);
  });

  it("refuses a retention CloudWatch Logs does not accept", () => {
    expect(validateLogRetention(2190)).toHaveLength(1);
    expect(validateLogRetention(2192)).toEqual([]);
    expect(() => new AirflowEnvironment("bad", { ...args, logRetentionDays: 10 })).toThrow(
      /logRetentionDays: 10/,
    );
  });
});

/**
 * MWAA's CloudWatch log groups, created by the stack before the environment so they carry the
 * configured retention and the customer-managed key (MWAA writes into existing groups of its
 * names; the groups it would create itself never expire and use an AWS-owned key).
 */
import type * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";

/** The five log types of MWAA, as they appear in the group names. */
export const MWAA_LOG_TYPES = [
  "DAGProcessing",
  "Scheduler",
  "Task",
  "WebServer",
  "Worker",
] as const;
export type MwaaLogType = (typeof MWAA_LOG_TYPES)[number];

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** `airflow-<environment>-<type>`: the group MWAA writes a log type to. */
export const mwaaLogGroupName = (environmentName: string, type: MwaaLogType): string =>
  `airflow-${environmentName}-${type}`;

/** Problems with a retention CloudWatch Logs would refuse. */
export function validateLogRetention(days: number, field = "logRetentionDays"): string[] {
  return CLOUDWATCH_RETENTION_DAYS.includes(days)
    ? []
    : [
        `${field}: ${days} is not a retention CloudWatch Logs accepts (${CLOUDWATCH_RETENTION_DAYS.join(", ")})`,
      ];
}

/** What {@link createLogGroups} needs. */
export interface LogGroupsSpec {
  readonly environmentName: string;
  readonly retentionDays: number;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** What the groups wait for (the key, so its policy admits CloudWatch Logs first). */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** One log group per MWAA log type, keyed by type (children of `parent`). */
export function createLogGroups(
  name: string,
  spec: LogGroupsSpec,
  parent: pulumi.Resource,
): cloudwatch.LogGroup[] {
  return MWAA_LOG_TYPES.map(
    (type) =>
      new cloudwatch.LogGroup(
        `${name}-logs-${type.toLowerCase()}`,
        {
          name: mwaaLogGroupName(spec.environmentName, type),
          retentionInDays: spec.retentionDays,
          kmsKeyId: spec.kmsKeyArn,
          tags: { ...spec.tags },
        },
        {
          parent,
          protect: spec.protect,
          retainOnDelete: spec.retainOnDelete,
          dependsOn: [...spec.dependsOn],
        },
      ),
  );
}

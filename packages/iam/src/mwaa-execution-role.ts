import { validateMwaaEnvironmentName } from "@hdp/naming";
import type * as pulumi from "@pulumi/pulumi";
import { kmsKeyArnInput, s3BucketArnInput, s3ObjectsArn } from "./names";
import type { PolicyStatement, TrustStatement } from "./policy-types";
import { RoleComponent, type ScopedRoleArgs } from "./scoped-role";
import { concatInputs, MAX_LENGTH, type SizedPart } from "./size-hints";
import { fail } from "./validate";

/** Arguments of {@link MwaaExecutionRole}. */
export interface MwaaExecutionRoleArgs {
  /** The MWAA environment's name: scopes the metrics, log groups and trust conditions. */
  readonly environmentName: string;
  /** ARN of the DAG bucket (read-only for the role). */
  readonly dagBucketArn: pulumi.Input<string>;
  /** ARN of the environment's customer-managed KMS key (a key ARN, not an alias). */
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  /**
   * The IAM role's name. Role names are unique per account, so the default carries the MWAA
   * environment's name: two environments in one account never collide.
   * @default `${environmentName}-execution` (shortened to 64 characters)
   */
  readonly roleName?: string;
  /** @default "aws" */
  readonly partition?: string;
  /**
   * Require `aws:SourceAccount` and `aws:SourceArn` (this environment) in the trust policy,
   * as AWS recommends against the confused-deputy problem.
   * @default true
   */
  readonly confusedDeputyConditions?: boolean;
  /** Extra permissions for the DAGs (e.g. reading one secret prefix). @default [] */
  readonly additionalStatements?: readonly PolicyStatement[];
  /** @default 10 */
  readonly maxManagedPolicies?: number;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The documented permissions of an MWAA execution role with a customer-managed key. */
export function mwaaExecutionStatements(args: MwaaExecutionRoleArgs): PolicyStatement[] {
  const p = args.partition ?? "aws";
  const region: SizedPart = { value: args.region, maxLength: MAX_LENGTH.region };
  const account: SizedPart = { value: args.accountId, maxLength: MAX_LENGTH.accountId };
  const env = args.environmentName;
  const bucket = s3BucketArnInput(args.dagBucketArn);
  return [
    {
      Effect: "Allow",
      Action: ["airflow:PublishMetrics"],
      Resource: [environmentArn(args)],
    },
    {
      Effect: "Allow",
      Action: ["s3:GetBucket*", "s3:GetObject*", "s3:List*"],
      Resource: [bucket, s3ObjectsArn(bucket, "*")],
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
      Resource: [
        concatInputs([`arn:${p}:logs:`, region, ":", account, `:log-group:airflow-${env}-*`]),
      ],
    },
    {
      // Account-level reads and metrics that take no resource ARN.
      Effect: "Allow",
      Action: [
        "cloudwatch:PutMetricData",
        "logs:DescribeLogGroups",
        "s3:GetAccountPublicAccessBlock",
      ],
      Resource: ["*"],
    },
    {
      // The Celery queues live in an MWAA-owned account, hence the account wildcard.
      Effect: "Allow",
      Action: [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
        "sqs:SendMessage",
      ],
      Resource: [concatInputs([`arn:${p}:sqs:`, region, ":*:airflow-celery-*"])],
    },
    {
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*"],
      Resource: [kmsKeyArnInput(args.kmsKeyArn)],
      Condition: {
        StringEquals: {
          "kms:ViaService": [
            concatInputs(["sqs.", region, ".amazonaws.com"]),
            concatInputs(["s3.", region, ".amazonaws.com"]),
          ],
        },
      },
    },
    ...(args.additionalStatements ?? []),
  ];
}

/** `arn:<partition>:airflow:<region>:<account>:environment/<name>`. */
export function environmentArn(args: MwaaExecutionRoleArgs): pulumi.Input<string> {
  return concatInputs([
    `arn:${args.partition ?? "aws"}:airflow:`,
    { value: args.region, maxLength: MAX_LENGTH.region },
    ":",
    { value: args.accountId, maxLength: MAX_LENGTH.accountId },
    `:environment/${args.environmentName}`,
  ]);
}

/** The execution role's trust policy: the two MWAA service principals. */
export function mwaaTrustStatements(args: MwaaExecutionRoleArgs): TrustStatement[] {
  return [
    {
      Principal: { Service: ["airflow-env.amazonaws.com", "airflow.amazonaws.com"] },
      ...((args.confusedDeputyConditions ?? true)
        ? {
            Condition: {
              StringEquals: {
                "aws:SourceAccount": concatInputs([
                  { value: args.accountId, maxLength: MAX_LENGTH.accountId },
                ]),
              },
              ArnLike: { "aws:SourceArn": environmentArn(args) },
            },
          }
        : {}),
    },
  ];
}

function scopedArgs(args: MwaaExecutionRoleArgs): ScopedRoleArgs {
  const problems = validateMwaaEnvironmentName(args.environmentName);
  if (problems.length > 0) fail("MWAA execution role", problems);
  return {
    roleName: args.roleName ?? `${args.environmentName}-execution`,
    description: `Execution role of MWAA environment ${args.environmentName} (managed by @hdp/iam)`,
    trustStatements: mwaaTrustStatements(args),
    statements: mwaaExecutionStatements(args),
    ...(args.maxManagedPolicies === undefined
      ? {}
      : { maxManagedPolicies: args.maxManagedPolicies }),
    ...(args.tags === undefined ? {} : { tags: args.tags }),
  };
}

/**
 * The execution role of one MWAA environment: trusted by `airflow.amazonaws.com` and
 * `airflow-env.amazonaws.com` (for this environment only, by default), with the permissions
 * AWS documents for an environment with a customer-managed key, each scoped to the
 * environment: metrics, read on the DAG bucket, its `airflow-<env>-*` log groups, the Celery
 * queues, and the key only through SQS and S3. The deployer needs `iam:PassRole` on it.
 */
export class MwaaExecutionRole extends RoleComponent {
  constructor(name: string, args: MwaaExecutionRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:iam:MwaaExecutionRole", name, scopedArgs(args), opts);
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}

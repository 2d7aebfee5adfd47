import * as pulumi from "@pulumi/pulumi";
import type * as ec2 from "@pulumi/aws/ec2";
import * as mwaa from "@pulumi/aws/mwaa";
import * as s3 from "@pulumi/aws/s3";
import { createHash } from "node:crypto";
import { MwaaExecutionRole, type MwaaExecutionRoleArgs } from "@hdp/iam";
import { LakeKey, SecureBucket, type AccessLogTarget } from "@hdp/lake";
import { dagCapacity, type EnvironmentClass } from "./capacity";
import { DAG_S3_PREFIX } from "./dag-files-plan";
import { createSecurityGroup } from "./network";
import { validateAirflowArgs, type MwaaLogLevel } from "./validation";

/** Arguments of {@link AirflowEnvironment}. */
export interface AirflowEnvironmentArgs {
  /** MWAA environment name (a letter, then letters, digits, `-`, `_`; ≤ 80). */
  readonly environmentName: string;
  readonly accountId: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  /** Exactly two private subnets in different AZs (changing them replaces the environment). */
  readonly privateSubnetIds: readonly pulumi.Input<string>[];
  /** Global name of the DAG bucket (see `dagBucketName`). */
  readonly dagBucketName: string;
  /** Where the DAG bucket's access logs go, e.g. `lake.accessLogBucket.asTarget()`. */
  readonly accessLogs: AccessLogTarget;
  /**
   * ARN of the KMS key for the environment, its logs and the DAG bucket. Not an alias, not a
   * multi-region key. It must allow `logs.<region>.amazonaws.com` (see `LakeKey`'s
   * `cloudWatchLogs`).
   * @default a new `LakeKey` (rotation on) allowing CloudWatch Logs on `airflow-<env>-*`
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * Pinned Airflow version; never left unset (unset means "latest" and changes silently).
   * @default "2.10.3"
   */
  readonly airflowVersion?: string;
  /** @default "mw1.small" */
  readonly environmentClass?: EnvironmentClass;
  /** @default 1 */
  readonly minWorkers?: number;
  /** @default 10 */
  readonly maxWorkers?: number;
  /** @default MWAA's (2; 1 on mw1.micro) */
  readonly schedulers?: number;
  /**
   * `PRIVATE_ONLY` serves the UI inside the VPC only; `PUBLIC_ONLY` puts it on the internet.
   * @default "PRIVATE_ONLY"
   */
  readonly webserverAccessMode?: "PRIVATE_ONLY" | "PUBLIC_ONLY";
  /**
   * Policy-pack rules whose finding this environment knowingly accepts: `PUBLIC_ONLY` is refused
   * at construction unless this lists `mwaa-private-webserver` (the pack still reports it).
   * @default []
   */
  readonly acceptInsecure?: readonly string[];
  /** IPv4 CIDRs allowed HTTPS (443) into the environment's group, e.g. the VPN. @default [] */
  readonly webserverIngressCidrs?: readonly string[];
  /**
   * IPv4 CIDRs of outbound traffic (NAT or VPC endpoints); narrow to the VPC CIDR when only
   * endpoints are used.
   * @default ["0.0.0.0/0"]
   */
  readonly egressCidrs?: readonly string[];
  /** Level of all five log types (DagProcessing, Scheduler, Task, Webserver, Worker). @default "INFO" */
  readonly logLevel?: MwaaLogLevel;
  /** Content of `requirements.txt` (pin versions and Airflow's constraints file). @default none */
  readonly requirements?: string;
  /** Airflow configuration overrides, e.g. `{ "core.default_timezone": "utc" }`. @default {} */
  readonly airflowConfigurationOptions?: Readonly<Record<string, string>>;
  /** e.g. `"SUN:03:00"`. @default MWAA's */
  readonly weeklyMaintenanceWindowStart?: string;
  /** DAGs the environment will run: checked against the class's capacity. @default unchecked */
  readonly expectedDagCount?: number;
  /** Extra permissions of the execution role for the DAGs. @default [] */
  readonly executionRoleStatements?: MwaaExecutionRoleArgs["additionalStatements"];
  /** @default the caller's `protect` option, else true (environment, DAG bucket, key) */
  readonly protect?: boolean;
  /** @default the caller's `retainOnDelete` option, else true (environment, DAG bucket, key) */
  readonly retainOnDelete?: boolean;
  /** Tags for every taggable child. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The defaults of {@link AirflowEnvironment}, in one place. */
export const AIRFLOW_DEFAULTS = {
  airflowVersion: "2.10.3",
  environmentClass: "mw1.small" as EnvironmentClass,
  minWorkers: 1,
  maxWorkers: 10,
  webserverAccessMode: "PRIVATE_ONLY" as const,
  egressCidrs: ["0.0.0.0/0"],
  logLevel: "INFO" as MwaaLogLevel,
} as const;

/** The args with every default applied. */
export function resolveAirflowArgs(args: AirflowEnvironmentArgs) {
  const d = AIRFLOW_DEFAULTS;
  return {
    ...args,
    airflowVersion: args.airflowVersion ?? d.airflowVersion,
    environmentClass: args.environmentClass ?? d.environmentClass,
    minWorkers: args.minWorkers ?? d.minWorkers,
    maxWorkers: args.maxWorkers ?? d.maxWorkers,
    webserverAccessMode: args.webserverAccessMode ?? d.webserverAccessMode,
    webserverIngressCidrs: args.webserverIngressCidrs ?? [],
    egressCidrs: args.egressCidrs ?? d.egressCidrs,
    logLevel: args.logLevel ?? d.logLevel,
  };
}

/**
 * Apache Airflow on AWS MWAA: the DAG bucket (a `SecureBucket`: versioned, public access
 * blocked, SSE-KMS), the execution role (`MwaaExecutionRole` from `@hdp/iam`), a security group
 * in two private subnets, an optional `requirements.txt`, and the environment itself, which
 * waits for the bucket's settings and the role's policies. Upload DAGs with `DagFiles`.
 */
export class AirflowEnvironment extends pulumi.ComponentResource {
  public readonly environment: mwaa.Environment;
  public readonly environmentArn: pulumi.Output<string>;
  public readonly webserverUrl: pulumi.Output<string>;
  public readonly dagBucket: SecureBucket;
  public readonly executionRole: MwaaExecutionRole;
  public readonly securityGroup: ec2.SecurityGroup;
  /** The key created here; undefined when `kmsKeyArn` was passed in. */
  public readonly key: LakeKey | undefined;
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly requirements: s3.BucketObjectv2 | undefined;
  /** How many DAGs the environment class is sized for. */
  public readonly dagCapacity: number;

  constructor(name: string, args: AirflowEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:airflow:AirflowEnvironment", name, {}, opts);
    const a = resolveAirflowArgs(args);
    const problems = validateAirflowArgs(a);
    if (problems.length > 0) {
      throw new Error(
        `AirflowEnvironment "${name}" has invalid args:\n  - ${problems.join("\n  - ")}`,
      );
    }
    const protect = args.protect ?? opts?.protect ?? true;
    const retainOnDelete = args.retainOnDelete ?? opts?.retainOnDelete ?? true;
    const tags = { ...args.tags };
    const stateful = { protect, retainOnDelete, tags };

    this.key =
      args.kmsKeyArn === undefined
        ? new LakeKey(
            `${name}-key`,
            {
              accountId: args.accountId,
              aliasName: `alias/mwaa/${args.environmentName}`,
              description: `MWAA environment ${args.environmentName}`,
              cloudWatchLogs: {
                region: args.region,
                logGroupNamePattern: `airflow-${args.environmentName}-*`,
              },
              ...stateful,
            },
            { parent: this },
          )
        : undefined;
    this.kmsKeyArn = this.key?.keyArn ?? pulumi.output(args.kmsKeyArn as pulumi.Input<string>);

    this.dagBucket = new SecureBucket(
      `${name}-dags`,
      {
        bucketName: args.dagBucketName,
        kmsKeyArn: this.kmsKeyArn,
        accessLogs: args.accessLogs,
        ...stateful,
      },
      { parent: this },
    );
    this.executionRole = new MwaaExecutionRole(
      `${name}-role`,
      {
        environmentName: args.environmentName,
        dagBucketArn: this.dagBucket.bucketArn,
        kmsKeyArn: this.kmsKeyArn,
        accountId: args.accountId,
        region: args.region,
        ...(args.executionRoleStatements !== undefined
          ? { additionalStatements: args.executionRoleStatements }
          : {}),
        tags,
      },
      { parent: this },
    );
    const network = createSecurityGroup(
      name,
      {
        environmentName: args.environmentName,
        vpcId: args.vpcId,
        webserverIngressCidrs: a.webserverIngressCidrs,
        egressCidrs: a.egressCidrs,
        tags,
      },
      this,
    );
    this.securityGroup = network.group;

    this.requirements =
      args.requirements !== undefined
        ? new s3.BucketObjectv2(
            `${name}-requirements`,
            {
              bucket: this.dagBucket.bucketName,
              key: "requirements.txt",
              content: args.requirements,
              contentType: "text/plain",
              sourceHash: createHash("sha256").update(args.requirements).digest("hex"),
              tags,
            },
            { parent: this, dependsOn: [...this.dagBucket.settings] },
          )
        : undefined;

    this.environment = new mwaa.Environment(
      `${name}-env`,
      {
        name: args.environmentName,
        airflowVersion: a.airflowVersion,
        environmentClass: a.environmentClass,
        minWorkers: a.minWorkers,
        maxWorkers: a.maxWorkers,
        ...(args.schedulers !== undefined ? { schedulers: args.schedulers } : {}),
        executionRoleArn: this.executionRole.roleArn,
        kmsKey: this.kmsKeyArn,
        sourceBucketArn: this.dagBucket.bucketArn,
        dagS3Path: DAG_S3_PREFIX.replace(/\/$/, ""),
        ...(this.requirements !== undefined
          ? {
              requirementsS3Path: this.requirements.key,
              // Without the version MWAA never picks up a new requirements.txt.
              requirementsS3ObjectVersion: this.requirements.versionId,
            }
          : {}),
        networkConfiguration: {
          securityGroupIds: [network.group.id],
          subnetIds: [...args.privateSubnetIds],
        },
        webserverAccessMode: a.webserverAccessMode,
        loggingConfiguration: loggingConfiguration(a.logLevel),
        // The provider stores these as a secret; pass them only when there are any.
        ...(Object.keys(args.airflowConfigurationOptions ?? {}).length > 0
          ? { airflowConfigurationOptions: { ...args.airflowConfigurationOptions } }
          : {}),
        ...(args.weeklyMaintenanceWindowStart !== undefined
          ? { weeklyMaintenanceWindowStart: args.weeklyMaintenanceWindowStart }
          : {}),
        tags,
      },
      {
        parent: this,
        protect,
        retainOnDelete,
        dependsOn: [
          ...this.dagBucket.settings,
          // A component in dependsOn stands for all its children: the role and its policies.
          this.executionRole,
          ...network.rules,
          ...(this.requirements !== undefined ? [this.requirements] : []),
        ],
      },
    );
    this.environmentArn = this.environment.arn;
    this.webserverUrl = this.environment.webserverUrl;
    this.dagCapacity = dagCapacity(a.environmentClass);
    this.registerOutputs({
      environmentArn: this.environmentArn,
      webserverUrl: this.webserverUrl,
      dagBucketName: this.dagBucket.bucketName,
      executionRoleArn: this.executionRole.roleArn,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}

/** All five MWAA log types on, at one level. */
export function loggingConfiguration(
  logLevel: MwaaLogLevel,
): mwaa.EnvironmentArgs["loggingConfiguration"] {
  const on = { enabled: true, logLevel };
  return {
    dagProcessingLogs: on,
    schedulerLogs: on,
    taskLogs: on,
    webserverLogs: on,
    workerLogs: on,
  };
}

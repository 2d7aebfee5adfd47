/**
 * Resources written with raw `@pulumi/aws` resources, the way an engineer who skips the house
 * components would write them when they get everything right. Cases of the insecure corpus
 * override or leave out (`null`) exactly the setting they get wrong, so the mistake is the only
 * difference from a compliant resource.
 *
 * - {@link rawBucket}: versioning, SSE-KMS under a customer-managed key, the four public-access
 *   blocks, `BucketOwnerEnforced`, a TLS-only policy, access logging and a noncurrent-version
 *   lifecycle.
 * - {@link rawAirflow}: a private MWAA environment with all five log types and its own key.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as mwaa from "@pulumi/aws/mwaa";
import * as s3 from "@pulumi/aws/s3";
import { dagBucketName } from "@hdp/config";
import { LakeKey, MWAA_LOG_TYPES, mwaaLogGroupName, type CaseStack } from "./insecure-stack";

type Over<T> = Partial<T> | null;

/** Arguments of {@link rawBucket}; each setting: overrides of its args, or `null` to leave it out. */
export interface RawBucketArgs {
  readonly bucketName: string;
  /** The customer-managed key of SSE-KMS (a key ARN). */
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly tags: Readonly<Record<string, string>>;
  readonly versioning?: Over<s3.BucketVersioningArgs>;
  readonly encryption?: Over<s3.BucketServerSideEncryptionConfigurationArgs>;
  readonly publicAccessBlock?: Over<s3.BucketPublicAccessBlockArgs>;
  readonly ownership?: Over<s3.BucketOwnershipControlsArgs>;
  /** The bucket policy's document from the bucket's ARN; default: TLS-only. */
  readonly policy?: ((bucketArn: pulumi.Output<string>) => pulumi.Input<string>) | null;
  readonly logging?: Over<s3.BucketLoggingArgs>;
  readonly lifecycle?: Over<s3.BucketLifecycleConfigurationArgs>;
}

/** The statement every bucket policy of the house starts with: deny anything without TLS. */
export function denyInsecureTransport(bucketArn: pulumi.Input<string>) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** The bucket and its settings, named `${name}-<setting>`, through the case's AWS provider. */
export function rawBucket(c: CaseStack, name: string, args: RawBucketArgs): s3.Bucket {
  const opts = { provider: c.aws };
  const bucket = new s3.Bucket(
    `${name}-bucket`,
    { bucket: args.bucketName, forceDestroy: false, tags: { ...args.tags } },
    opts,
  );
  const on = { bucket: bucket.bucket };
  const setting = <T extends object>(
    over: Over<T> | undefined,
    base: T,
    create: (a: T) => unknown,
  ): void => {
    if (over !== null) create({ ...base, ...over });
  };
  setting(
    args.versioning,
    { ...on, versioningConfiguration: { status: "Enabled" } },
    (a) => new s3.BucketVersioning(`${name}-versioning`, a, opts),
  );
  setting(
    args.encryption,
    {
      ...on,
      rules: [
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: args.kmsKeyArn,
          },
          bucketKeyEnabled: true,
        },
      ],
    },
    (a) => new s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, a, opts),
  );
  setting(
    args.publicAccessBlock,
    {
      ...on,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    (a) => new s3.BucketPublicAccessBlock(`${name}-public-access-block`, a, opts),
  );
  setting(
    args.ownership,
    { ...on, rule: { objectOwnership: "BucketOwnerEnforced" } },
    (a) => new s3.BucketOwnershipControls(`${name}-ownership`, a, opts),
  );
  if (args.policy !== null) {
    const policy =
      args.policy?.(bucket.arn) ??
      pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [denyInsecureTransport(bucket.arn)],
      });
    new s3.BucketPolicy(`${name}-policy`, { ...on, policy }, opts);
  }
  setting(
    args.logging,
    { ...on, targetBucket: c.accessLogBucket, targetPrefix: `${args.bucketName}/` },
    (a) => new s3.BucketLogging(`${name}-logging`, a, opts),
  );
  setting(
    args.lifecycle,
    {
      ...on,
      rules: [
        {
          id: "noncurrent-versions",
          status: "Enabled",
          filter: { prefix: "" },
          noncurrentVersionExpiration: { noncurrentDays: 30 },
        },
        {
          id: "abort-multipart",
          status: "Enabled",
          filter: { prefix: "" },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    },
    (a) => new s3.BucketLifecycleConfiguration(`${name}-lifecycle`, a, opts),
  );
  return bucket;
}

/** The five MWAA log types, each enabled at INFO. */
export function allMwaaLogs() {
  const on = { enabled: true, logLevel: "INFO" };
  return {
    dagProcessingLogs: on,
    schedulerLogs: on,
    taskLogs: on,
    webserverLogs: on,
    workerLogs: on,
  };
}

/**
 * A second MWAA environment (e.g. for a research team) next to the platform's: its own
 * CloudWatch-capable key and security group, the platform's DAG bucket, the environment's private
 * subnets, all logs, `PRIVATE_ONLY`. `over` replaces arguments of the `aws.mwaa.Environment`.
 */
export function rawAirflow(
  c: CaseStack,
  name: string,
  args: {
    readonly executionRoleArn: pulumi.Input<string>;
    /** Create the five log groups MWAA writes to (retention, the key). @default true */
    readonly logGroups?: boolean;
  },
  over: Partial<mwaa.EnvironmentArgs> = {},
): mwaa.Environment {
  const environmentName = `${c.names.org}-${c.names.env}-${name}`;
  const tags = c.sharedTags;
  // Its own key, allowing CloudWatch Logs for the environment's log groups (the environment
  // uses it unless `over` sets its kmsKey; the log groups always do).
  const key = new LakeKey(
    `${name}-key`,
    {
      accountId: c.accountId,
      aliasName: `alias/mwaa/${environmentName}`,
      cloudWatchLogs: {
        region: c.region,
        logGroupNamePattern: `airflow-${environmentName}-*`,
      },
      tags,
    },
    c.providers,
  );
  const group = new ec2.SecurityGroup(
    `${name}-sg`,
    { vpcId: c.environment.aws.vpcId, description: `MWAA environment ${environmentName}`, tags },
    { provider: c.aws },
  );
  // The five log groups MWAA writes to, owned by the stack (retention, the key).
  const groups = (args.logGroups === false ? [] : MWAA_LOG_TYPES).map(
    (type) =>
      new cloudwatch.LogGroup(
        `${name}-logs-${type.toLowerCase()}`,
        {
          name: mwaaLogGroupName(environmentName, type),
          retentionInDays: c.environment.retention.logDays,
          kmsKeyId: key.keyArn,
          tags,
        },
        { provider: c.aws },
      ),
  );
  return new mwaa.Environment(
    `${name}-env`,
    {
      name: environmentName,
      airflowVersion: c.environment.airflow.version,
      environmentClass: "mw1.small",
      executionRoleArn: args.executionRoleArn,
      kmsKey: key.keyArn,
      sourceBucketArn: `arn:aws:s3:::${dagBucketName(c.names)}`,
      dagS3Path: "research/dags",
      networkConfiguration: {
        securityGroupIds: [group.id],
        subnetIds: [...c.environment.aws.privateSubnetIds],
      },
      webserverAccessMode: "PRIVATE_ONLY",
      loggingConfiguration: allMwaaLogs(),
      tags,
      ...over,
    },
    { provider: c.aws, dependsOn: groups },
  );
}

/**
 * A customer-managed IAM policy written as a raw aws.iam.Policy (named
 * `<org>-<env>-<name>`, the case's AWS provider) holding `statements`: the case's mistake.
 */
export function rawManagedPolicy(
  c: CaseStack,
  name: string,
  statements: readonly Record<string, unknown>[],
  tags: Record<string, string> = c.sharedTags,
): iam.Policy {
  return new iam.Policy(
    name,
    {
      name: `${c.names.org}-${c.names.env}-${name}`,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
      tags,
    },
    { provider: c.aws },
  );
}

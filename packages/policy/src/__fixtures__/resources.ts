/**
 * Hand-built resources as a recording holds them (type, name, URN, inputs), compliant with every
 * rule unless a test changes them: the fixtures of the per-rule tests.
 */
import type { EvaluatedResource, PolicyContext } from "../index";

type Inputs = Record<string, unknown>;

export const ACCOUNT = "123456789012";
export const OTHER_ACCOUNT = "999988887777";
export const KEY_ARN = `arn:aws:kms:us-east-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const HOUSE_TAGS = {
  owner: "clinical-data-eng",
  domain: "clinical",
  "data-classification": "phi",
  environment: "prod",
  "cost-center": "CC-7101",
};

export const PROD: PolicyContext = {
  environment: "prod",
  enforcement: "mandatory",
  phi: "real",
  stack: "prod-core",
  accountIds: [ACCOUNT],
  maxWorkers: 64,
};

/** PROD with another environment (its tier, enforcement and PHI mode). */
export function contextFor(environment: string, over: Partial<PolicyContext> = {}): PolicyContext {
  const tier = environment.startsWith("dev")
    ? "dev"
    : environment.startsWith("prod")
      ? "prod"
      : "stage";
  return {
    ...PROD,
    environment,
    stack: environment,
    enforcement: tier === "dev" ? "advisory" : "mandatory",
    phi: tier === "dev" ? "synthetic" : "real",
    ...over,
  };
}

/** Fixtures are tagged for `prod`; this re-tags a list for another environment. */
export function retag(resources: EvaluatedResource[], environment: string): EvaluatedResource[] {
  return resources.map((r) => {
    const field = ["tags", "customTags"].find((f) => r.inputs[f] !== undefined);
    if (field !== undefined) {
      return {
        ...r,
        inputs: { ...r.inputs, [field]: { ...(r.inputs[field] as Inputs), environment } },
      };
    }
    const props = r.inputs.properties as Inputs | undefined;
    return props === undefined
      ? r
      : { ...r, inputs: { ...r.inputs, properties: { ...props, "hdp.environment": environment } } };
  });
}

export function res(
  type: string,
  name: string,
  inputs: Inputs,
  extra: Partial<EvaluatedResource> = {},
): EvaluatedResource {
  return { urn: `urn:pulumi:prod::hdp::${type}::${name}`, type, name, inputs, ...extra };
}

/** `base` with `over` merged in; `undefined` members of `over` delete the key. */
export function patch(r: EvaluatedResource, over: Inputs): EvaluatedResource {
  const inputs: Inputs = { ...r.inputs, ...over };
  for (const [k, v] of Object.entries(over)) if (v === undefined) delete inputs[k];
  return { ...r, inputs };
}

export const S3 = {
  bucket: "aws:s3/bucket:Bucket",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  encryption:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  logging: "aws:s3/bucketLogging:BucketLogging",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  acl: "aws:s3/bucketAcl:BucketAcl",
} as const;

export const tlsOnly = (bucket: string) => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});
export const doc = (...statements: unknown[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });

/**
 * A bucket and its seven settings, as SecureBucket makes them (or AccessLogBucket with
 * `accessLogs`), named `<name>-bucket`, `<name>-versioning`, …
 */
export function bucketSet(
  name: string,
  opts: { accessLogs?: boolean; tags?: Inputs } = {},
): EvaluatedResource[] {
  const bucket = `hdp-acme-prod-${name}`;
  const log = opts.accessLogs === true;
  const tags = {
    ...HOUSE_TAGS,
    ...opts.tags,
    ...(log ? { "hdp:bucket-role": "access-logs" } : {}),
  };
  const s = (kind: keyof typeof S3, suffix: string, inputs: Inputs) =>
    res(S3[kind], `${name}-${suffix}`, { bucket, ...inputs });
  return [
    res(S3.bucket, `${name}-bucket`, { bucket, forceDestroy: false, tags }),
    s("ownership", "ownership", { rule: { objectOwnership: "BucketOwnerEnforced" } }),
    s("publicAccessBlock", "public-access-block", {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
    s("versioning", "versioning", { versioningConfiguration: { status: "Enabled" } }),
    s("encryption", "encryption", {
      rules: [
        log
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
          : {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: KEY_ARN,
              },
              bucketKeyEnabled: true,
            },
      ],
    }),
    s("policy", "policy", {
      policy: doc(
        tlsOnly(bucket),
        ...(log
          ? [
              {
                Sid: "AllowS3ServerAccessLogs",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `arn:aws:s3:::${bucket}/*`,
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
              },
            ]
          : []),
      ),
    }),
    ...(log
      ? []
      : [
          s("logging", "logging", {
            targetBucket: "hdp-acme-prod-logs",
            targetPrefix: `${bucket}/`,
          }),
        ]),
    s("lifecycle", "lifecycle", {
      rules: [
        {
          id: "noncurrent-versions",
          status: "Enabled",
          filter: { prefix: "" },
          noncurrentVersionExpiration: { noncurrentDays: 7 },
        },
      ],
    }),
  ];
}

/** Replaces the resource named `name` in `list` (or removes it with `undefined`). */
export function replace(
  list: EvaluatedResource[],
  name: string,
  by: ((r: EvaluatedResource) => EvaluatedResource) | undefined,
): EvaluatedResource[] {
  if (!list.some((r) => r.name === name)) throw new Error(`no fixture resource ${name}`);
  return list.flatMap((r) => (r.name !== name ? [r] : by === undefined ? [] : [by(r)]));
}

export const kmsKey = (over: Inputs = {}) =>
  res("aws:kms/key:Key", "lake-key", {
    keyUsage: "ENCRYPT_DECRYPT",
    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    tags: HOUSE_TAGS,
    ...over,
  });

export const trust = (principal: unknown, condition?: unknown) =>
  doc({
    Effect: "Allow",
    Principal: principal,
    Action: "sts:AssumeRole",
    ...(condition ? { Condition: condition } : {}),
  });

export const role = (over: Inputs = {}) =>
  res("aws:iam/role:Role", "ingest-role", {
    name: "hdp-prod-ingest-epic",
    assumeRolePolicy: trust({ AWS: `arn:aws:iam::${ACCOUNT}:role/hdp-prod-airflow` }),
    maxSessionDuration: 3600,
    tags: HOUSE_TAGS,
    ...over,
  });

export const managedPolicy = (statements: unknown[], name = "ingest-policy-1") =>
  res("aws:iam/policy:Policy", name, { name, policy: doc(...statements), tags: HOUSE_TAGS });

export const readObjects = {
  Effect: "Allow",
  Action: ["s3:GetObject"],
  Resource: ["arn:aws:s3:::hdp-acme-prod-landing/epic/*"],
};

export const mwaa = (over: Inputs = {}) =>
  res("aws:mwaa/environment:Environment", "airflow-env", {
    name: "hdp-prod",
    airflowVersion: "2.10.3",
    environmentClass: "mw1.medium",
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/hdp-prod-airflow`,
    kmsKey: KEY_ARN,
    sourceBucketArn: "arn:aws:s3:::hdp-acme-prod-dags",
    dagS3Path: "dags",
    webserverAccessMode: "PRIVATE_ONLY",
    loggingConfiguration: Object.fromEntries(
      ["dagProcessingLogs", "schedulerLogs", "taskLogs", "webserverLogs", "workerLogs"].map((t) => [
        t,
        { enabled: true, logLevel: "INFO" },
      ]),
    ),
    networkConfiguration: { securityGroupIds: ["sg-1"], subnetIds: ["subnet-1", "subnet-2"] },
    tags: HOUSE_TAGS,
    ...over,
  });

/** The five log groups AirflowEnvironment creates for {@link mwaa} (retention, the key). */
export const mwaaLogGroups = () =>
  ["DAGProcessing", "Scheduler", "Task", "WebServer", "Worker"].map((t) =>
    res("aws:cloudwatch/logGroup:LogGroup", `airflow-logs-${t.toLowerCase()}`, {
      name: `airflow-hdp-prod-${t}`,
      retentionInDays: 2192,
      kmsKeyId: KEY_ARN,
      tags: HOUSE_TAGS,
    }),
  );

export const dagFile = (i: number) =>
  res("aws:s3/bucketObjectv2:BucketObjectv2", `dags-${i}`, {
    bucket: "hdp-acme-prod-dags",
    key: `dags/source-${i}.py`,
    content: "from airflow import DAG\n",
    tags: HOUSE_TAGS,
  });

export const ingressRule = (over: Inputs = {}) =>
  res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "airflow-sg-https", {
    securityGroupId: "sg-1",
    cidrIpv4: "10.20.0.0/16",
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    tags: HOUSE_TAGS,
    ...over,
  });

export const DBX = {
  cluster: "databricks:index/cluster:Cluster",
  policy: "databricks:index/clusterPolicy:ClusterPolicy",
  job: "databricks:index/job:Job",
  pool: "databricks:index/instancePool:InstancePool",
  schema: "databricks:index/schema:Schema",
  catalog: "databricks:index/catalog:Catalog",
  grants: "databricks:index/grants:Grants",
  grant: "databricks:index/grant:Grant",
  table: "databricks:index/sqlTable:SqlTable",
} as const;

export const cluster = (over: Inputs = {}) =>
  res(DBX.cluster, "analysts", {
    clusterName: "analysts",
    sparkVersion: "15.4.x-scala2.12",
    policyId: "policy-1",
    dataSecurityMode: "SINGLE_USER",
    autoterminationMinutes: 30,
    autoscale: { minWorkers: 1, maxWorkers: 8 },
    enableLocalDiskEncryption: true,
    clusterLogConf: { volumes: { destination: "/Volumes/hdp_prod/hdp_ops/cluster_logs/analysts" } },
    customTags: HOUSE_TAGS,
    ...over,
  });

export const policyDefinition = (over: Inputs = {}) =>
  JSON.stringify({
    autotermination_minutes: { type: "fixed", value: 30 },
    data_security_mode: { type: "fixed", value: "SINGLE_USER" },
    spark_version: { type: "fixed", value: "auto:latest-lts" },
    "autoscale.max_workers": { type: "range", maxValue: 8, isOptional: true },
    num_workers: { type: "range", maxValue: 8, isOptional: true },
    enable_local_disk_encryption: { type: "fixed", value: true },
    "aws_attributes.instance_profile_arn": { type: "forbidden", hidden: true },
    "ssh_public_keys.*": { type: "forbidden", hidden: true },
    ...over,
  });

export const clusterPolicy = (over: Inputs = {}) =>
  res(DBX.policy, "clinical-policy", {
    name: "hdp-prod-clinical-phi",
    definition: policyDefinition(over),
  });

export const pool = (over: Inputs = {}) =>
  res(DBX.pool, "clinical-pool", {
    instancePoolName: "hdp-prod-clinical",
    nodeTypeId: "m6i.xlarge",
    idleInstanceAutoterminationMinutes: 15,
    maxCapacity: 40,
    preloadedSparkVersions: ["15.4.x-scala2.12"],
    customTags: HOUSE_TAGS,
    ...over,
  });

export const task = (key: string, over: Inputs = {}) => ({
  taskKey: key,
  jobClusterKey: "ingest",
  maxRetries: 2,
  minRetryIntervalMillis: 300000,
  timeoutSeconds: 7200,
  notebookTask: { notebookPath: `/Workspace/hdp/ingest/${key}` },
  ...over,
});

export const job = (over: Inputs = {}) =>
  res(DBX.job, "epic-ingest-job", {
    name: "hdp-prod-epic-ingest",
    jobClusters: [
      {
        jobClusterKey: "ingest",
        newCluster: {
          policyId: "policy-1",
          applyPolicyDefaultValues: true,
          dataSecurityMode: "SINGLE_USER",
          instancePoolId: "pool-1",
          autoscale: { minWorkers: 1, maxWorkers: 8 },
          enableLocalDiskEncryption: true,
          clusterLogConf: {
            volumes: { destination: "/Volumes/hdp_prod/hdp_ops/cluster_logs/epic-ingest" },
          },
        },
      },
    ],
    runAs: { servicePrincipalName: "6f1c2a3e-8d4b-4c1a-9e2f-3b5d7a9c0e11" },
    tasks: [task("bronze"), task("silver", { dependsOns: [{ taskKey: "bronze" }] })],
    emailNotifications: { onFailures: ["oncall@example.org"] },
    tags: HOUSE_TAGS,
    ...over,
  });

export const schema = (name: string, classification: string, over: Inputs = {}) =>
  res(DBX.schema, `${name}-schema`, {
    catalogName: "hdp_prod",
    name,
    properties: Object.fromEntries(
      Object.entries({ ...HOUSE_TAGS, "data-classification": classification }).map(([k, v]) => [
        `hdp.${k}`,
        v,
      ]),
    ),
    ...over,
  });

export const schemaGrants = (schemaName: string, grants: unknown[]) =>
  res(DBX.grants, `${schemaName}-grants`, { schema: `hdp_prod.${schemaName}`, grants });

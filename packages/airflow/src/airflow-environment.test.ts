import { findResource, ofType, record, valueOf, type RecordedResource } from "@hdp/testing";
import { AirflowEnvironment, type AirflowEnvironmentArgs } from "./airflow-environment";

const KEY = "arn:aws:kms:us-east-2:123456789012:key/1111-2222";
const args: AirflowEnvironmentArgs = {
  environmentName: "hdp-prod",
  accountId: "123456789012",
  region: "us-east-2",
  vpcId: "vpc-0a1b2c3d",
  privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  dagBucketName: "hdp-acme-prod-airflow-dags",
  accessLogs: { bucketName: "hdp-acme-prod-core-logs" },
  requirements: "apache-airflow-providers-databricks==6.13.0\n",
  tags: { owner: "data-platform", environment: "prod" },
};
const T = {
  env: "aws:mwaa/environment:Environment",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  object: "aws:s3/bucketObjectv2:BucketObjectv2",
};
const BUCKET_CHILDREN: [string, string][] = [
  ["aws:s3/bucket:Bucket", "bucket"],
  ["aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ownership"],
  ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "public-access-block"],
  ["aws:s3/bucketVersioning:BucketVersioning", "versioning"],
  [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "encryption",
  ],
  ["aws:s3/bucketPolicy:BucketPolicy", "policy"],
  ["aws:s3/bucketLogging:BucketLogging", "logging"],
  ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle"],
];

async function render(a: AirflowEnvironmentArgs) {
  const rec = await record(() => new AirflowEnvironment("airflow", a));
  const byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
  const parentName = (r: RecordedResource) =>
    r.parent === undefined ? "-" : byUrn.get(r.parent)?.name;
  const role = findResource(rec.resources, "hdp:iam:MwaaExecutionRole", "airflow-role");
  // The role's own children belong to @hdp/iam (tested there); everything else is listed exactly.
  const rows = rec.resources
    .filter((r) => r.parent !== role.urn)
    .map((r) => `${r.type} ${r.name} ${parentName(r)}`)
    .sort();
  const roleChildren = rec.resources.filter((r) => r.parent === role.urn);
  return { ...rec, rows, roleChildren };
}

function expected(opts: { key: boolean; requirements: boolean; https?: string[] }): string[] {
  return [
    "hdp:airflow:AirflowEnvironment airflow -",
    ...(opts.key
      ? [
          "hdp:lake:LakeKey airflow-key airflow",
          "aws:kms/key:Key airflow-key-key airflow-key",
          "aws:kms/alias:Alias airflow-key-alias airflow-key",
        ]
      : []),
    "hdp:lake:SecureBucket airflow-dags airflow",
    ...BUCKET_CHILDREN.map(([type, suffix]) => `${type} airflow-dags-${suffix} airflow-dags`),
    "hdp:iam:MwaaExecutionRole airflow-role airflow",
    `${T.sg} airflow-sg airflow`,
    `${T.ingress} airflow-sg-self airflow`,
    ...(opts.https ?? []).map((s) => `${T.ingress} airflow-sg-https-${s} airflow`),
    `${T.egress} airflow-sg-egress-0-0-0-0-0 airflow`,
    ...(opts.requirements ? [`${T.object} airflow-requirements airflow`] : []),
    ...["dagprocessing", "scheduler", "task", "webserver", "worker"].map(
      (t) => `aws:cloudwatch/logGroup:LogGroup airflow-logs-${t} airflow`,
    ),
    `${T.env} airflow-env airflow`,
  ].sort();
}

describe("AirflowEnvironment", () => {
  it("creates exactly the key, DAG bucket, role, security group and rules, requirements and environment", async () => {
    const { rows, roleChildren } = await render(args);
    expect(rows).toEqual(expected({ key: true, requirements: true }));
    expect(roleChildren.map((r) => r.type)).toContain("aws:iam/role:Role");
  });

  it("creates no key when one is passed, and no requirements object without requirements", async () => {
    const { rows, resources } = await render({ ...args, kmsKeyArn: KEY, requirements: undefined });
    expect(rows).toEqual(expected({ key: false, requirements: false }));
    const env = findResource(resources, T.env, "airflow-env");
    expect(env.inputs.kmsKey).toBe(KEY);
    expect(env.inputs.requirementsS3Path).toBeUndefined();
    expect(env.inputs.requirementsS3ObjectVersion).toBeUndefined();
  });

  it("sets every security-relevant input of the environment", async () => {
    const { resources, result } = await record(() => new AirflowEnvironment("airflow", args));
    const env = findResource(resources, T.env, "airflow-env");
    const sg = findResource(resources, T.sg, "airflow-sg");
    const key = findResource(resources, "aws:kms/key:Key", "airflow-key-key");
    const requirements = findResource(resources, T.object, "airflow-requirements");
    const on = { enabled: true, logLevel: "INFO" };
    expect(env.inputs).toMatchObject({
      name: "hdp-prod",
      airflowVersion: "2.10.3",
      environmentClass: "mw1.small",
      minWorkers: 1,
      maxWorkers: 10,
      webserverAccessMode: "PRIVATE_ONLY",
      dagS3Path: "dags",
      sourceBucketArn: "arn:aws:s3:::hdp-acme-prod-airflow-dags",
      kmsKey: await valueOf(result.kmsKeyArn),
      executionRoleArn: await valueOf(result.executionRole.roleArn),
      networkConfiguration: {
        securityGroupIds: [await valueOf(result.securityGroup.id)],
        subnetIds: args.privateSubnetIds,
      },
      loggingConfiguration: {
        dagProcessingLogs: on,
        schedulerLogs: on,
        taskLogs: on,
        webserverLogs: on,
        workerLogs: on,
      },
      requirementsS3Path: "requirements.txt",
      requirementsS3ObjectVersion: expect.stringMatching(/^[0-9a-f]{32}$/),
      tags: args.tags,
    });
    expect(env.inputs.airflowConfigurationOptions).toBeUndefined();
    expect([env.protect, env.retainOnDelete]).toEqual([true, true]);
    expect(env.dependencies).toContain(sg.urn);
    expect(requirements.inputs).toMatchObject({
      bucket: "hdp-acme-prod-airflow-dags",
      key: "requirements.txt",
      content: args.requirements,
      contentType: "text/plain",
      sourceHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The key lets CloudWatch Logs encrypt exactly this environment's log groups.
    const policy = JSON.parse(key.inputs.policy as string);
    expect(policy.Statement[1].Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toBe(
      "arn:aws:logs:us-east-2:123456789012:log-group:airflow-hdp-prod-*",
    );
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, multiRegion: false });
  });

  it("waits for the DAG bucket's settings, the role's policies, the rules and requirements.txt", async () => {
    const { resources } = await record(() => new AirflowEnvironment("airflow", args));
    const env = findResource(resources, T.env, "airflow-env");
    const mustWaitFor = [
      ...BUCKET_CHILDREN.filter(([, s]) => s !== "bucket").map(([type, s]) =>
        findResource(resources, type, `airflow-dags-${s}`),
      ),
      ...ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
      ...ofType(resources, "aws:iam/policy:Policy"),
      findResource(resources, T.ingress, "airflow-sg-self"),
      findResource(resources, T.egress, "airflow-sg-egress-0-0-0-0-0"),
      findResource(resources, T.object, "airflow-requirements"),
    ];
    expect(
      ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").length,
    ).toBeGreaterThan(0);
    for (const r of mustWaitFor)
      expect([r.name, env.dependencies.includes(r.urn)]).toEqual([r.name, true]);
  });

  it("builds a DAG bucket MWAA accepts: versioned, public access blocked, SSE-KMS with the key", async () => {
    const { resources } = await record(
      () => new AirflowEnvironment("airflow", { ...args, kmsKeyArn: KEY }),
    );
    const find = (suffix: string) =>
      findResource(
        resources,
        BUCKET_CHILDREN.find(([, s]) => s === suffix)?.[0] as string,
        `airflow-dags-${suffix}`,
      );
    expect(find("versioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    expect(find("public-access-block").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(find("encryption").inputs.rules).toEqual([
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
        bucketKeyEnabled: true,
      },
    ]);
    expect(find("logging").inputs.targetBucket).toBe("hdp-acme-prod-core-logs");
  });

  it("has a self-referencing inbound rule, explicit egress and HTTPS from the given CIDRs", async () => {
    const { rows, resources } = await render({
      ...args,
      webserverIngressCidrs: ["10.20.0.0/16", "172.16.0.0/12"],
    });
    expect(rows).toEqual(
      expected({ key: true, requirements: true, https: ["10-20-0-0-16", "172-16-0-0-12"] }),
    );
    const sg = findResource(resources, T.sg, "airflow-sg");
    const self = findResource(resources, T.ingress, "airflow-sg-self");
    expect(self.inputs.ipProtocol).toBe("-1");
    expect(self.inputs.referencedSecurityGroupId).toBe(self.inputs.securityGroupId);
    expect(self.dependencies).toContain(sg.urn);
    expect(sg.inputs.ingress).toBeUndefined();
    expect(sg.inputs.egress).toBeUndefined();
    expect(sg.inputs.vpcId).toBe("vpc-0a1b2c3d");
    expect(findResource(resources, T.egress, "airflow-sg-egress-0-0-0-0-0").inputs).toMatchObject({
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
    });
    expect(
      findResource(resources, T.ingress, "airflow-sg-https-10-20-0-0-16").inputs,
    ).toMatchObject({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.20.0.0/16" });
  });

  it("keeps URNs when CIDRs are reordered", async () => {
    const a = await render({
      ...args,
      webserverIngressCidrs: ["10.20.0.0/16", "172.16.0.0/12"],
      egressCidrs: ["10.0.0.0/8", "0.0.0.0/0"],
    });
    const b = await render({
      ...args,
      webserverIngressCidrs: ["172.16.0.0/12", "10.20.0.0/16"],
      egressCidrs: ["0.0.0.0/0", "10.0.0.0/8"],
    });
    expect(b.resources.map((r) => r.urn).sort()).toEqual(a.resources.map((r) => r.urn).sort());
  });

  it("passes the overridable settings through", async () => {
    const { resources } = await record(
      () =>
        new AirflowEnvironment("airflow", {
          ...args,
          airflowVersion: "3.0.6",
          environmentClass: "mw1.large",
          minWorkers: 2,
          maxWorkers: 20,
          schedulers: 3,
          logLevel: "WARNING",
          webserverAccessMode: "PUBLIC_ONLY",
          acceptInsecure: ["mwaa-private-webserver"],
          airflowConfigurationOptions: { "core.default_timezone": "utc" },
          weeklyMaintenanceWindowStart: "SUN:03:00",
          expectedDagCount: 900,
        }),
    );
    const env = findResource(resources, T.env, "airflow-env");
    expect(env.inputs).toMatchObject({
      airflowVersion: "3.0.6",
      environmentClass: "mw1.large",
      minWorkers: 2,
      maxWorkers: 20,
      schedulers: 3,
      webserverAccessMode: "PUBLIC_ONLY",
      weeklyMaintenanceWindowStart: "SUN:03:00",
    });
    expect(
      (env.inputs.loggingConfiguration as Record<string, { logLevel: string }>).taskLogs?.logLevel,
    ).toBe("WARNING");
    expect(env.inputs.airflowConfigurationOptions).toBeDefined();
  });

  it("refuses a public webserver with the policy rule's message unless accepted knowingly", async () => {
    await expect(
      record(
        () => new AirflowEnvironment("airflow", { ...args, webserverAccessMode: "PUBLIC_ONLY" }),
      ),
    ).rejects.toThrow(
      "webserverAccessMode: mwaa-private-webserver: webserverAccessMode is PUBLIC_ONLY: the Airflow UI faces the internet",
    );
  });

  it("honours the caller's protect/retainOnDelete options for the environment, the DAG bucket and the key", async () => {
    const { resources } = await record(
      () => new AirflowEnvironment("airflow", args, { protect: false, retainOnDelete: false }),
    );
    for (const name of ["airflow-env", "airflow-dags-bucket", "airflow-key-key"]) {
      const r = resources.find((x) => x.name === name) as RecordedResource;
      expect([name, r.protect, r.retainOnDelete]).toEqual([name, false, false]);
    }
  });

  it("protects only the stateful children when the caller's options protect the component", async () => {
    // Pulumi passes protect down to children (not retainOnDelete): the others opt out explicitly.
    const { resources } = await record(
      () =>
        new AirflowEnvironment("airflow", args, {
          protect: true,
          retainOnDelete: false,
        }),
    );
    const custom = resources.filter((r) => r.custom);
    const isStateful = (r: RecordedResource): boolean =>
      r.name === "airflow-env" ||
      (r.name.startsWith("airflow-dags-") && r.type.startsWith("aws:s3/bucket")) ||
      r.name === "airflow-key-key" ||
      // MWAA's log groups: Airflow's audit trail, kept for the configured retention.
      r.type === "aws:cloudwatch/logGroup:LogGroup";
    const stateful = custom.filter(isStateful);
    const others = custom.filter((r) => !isStateful(r));
    expect(stateful.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        "airflow-env",
        "airflow-dags-bucket",
        "airflow-key-key",
        "airflow-logs-scheduler",
      ]),
    );
    expect(others.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:iam/role:Role",
        "aws:kms/alias:Alias",
      ]),
    );
    for (const r of stateful)
      expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, true, false]);
    for (const r of others) expect([r.name, r.protect]).toEqual([r.name, false]);
  });

  it("exposes the DAG capacity of its class", async () => {
    const { result } = await record(
      () => new AirflowEnvironment("airflow", { ...args, environmentClass: "mw1.medium" }),
    );
    expect(result.dagCapacity).toBe(250);
  });

  it("rejects invalid args with every problem at once", async () => {
    await expect(
      record(
        () =>
          new AirflowEnvironment("airflow", {
            ...args,
            privateSubnetIds: ["subnet-0123456789abcdef0"],
            kmsKeyArn: "alias/mwaa/hdp-prod",
            airflowVersion: "2",
            expectedDagCount: 60,
          }),
      ),
    ).rejects.toThrow(
      /is an alias[\s\S]*exactly two private subnets[\s\S]*airflowVersion "2"[\s\S]*60 DAGs exceed the capacity of mw1.small/,
    );
  });
});

/**
 * The inputs the platform decides, on the small base estate: ingest-role scope, what shards take
 * from their core, MWAA, jobs, cluster policies and pools, Unity Catalog locations, and the order
 * of creation Unity Catalog needs.
 */
import { findResource, ofType, type RecordedResource } from "@hdp/testing";
import { baseEstate, recordAll, type RecordedStack } from "./__fixtures__";

/** Recorded inputs are untyped JSON; the tests read them by path. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let stacks: Map<string, RecordedStack>;
beforeAll(async () => {
  stacks = await recordAll(baseEstate());
});
const stack = (name: string): RecordedStack => {
  const s = stacks.get(name);
  if (s === undefined) throw new Error(`no recording of ${name}`);
  return s;
};

describe("what the platform decides", () => {
  const policyDoc = (rs: readonly RecordedResource[], name: string) =>
    JSON.parse(findResource(rs, "aws:iam/policy:Policy", name).inputs.policy as string);

  it("an ingest role may write exactly its enabled tables' prefixes in its domain's landing bucket", () => {
    const dev = policyDoc(stack("dev").resources, "payroll-policy-1");
    expect(dev.Statement[0].Resource).toEqual(
      "arn:aws:s3:::tst-dev-workforce-landing-111111111111/payroll/employees/*",
    );
    const prod = policyDoc(stack("prod-business").resources, "payroll-policy-1");
    expect(prod.Statement[0].Resource).toEqual([
      "arn:aws:s3:::tst-prod-workforce-landing-222222222222/payroll/employees/*",
      "arn:aws:s3:::tst-prod-workforce-landing-222222222222/payroll/timesheets/*",
    ]);
    expect(prod.Statement[0].Action).not.toContain("s3:DeleteObject");
  });

  it("a shard's objects use what its core exported: key, MWAA role, catalog, policy and pool", () => {
    const core = stack("prod-core").exports as Record<string, Record<string, string>>;
    const { resources } = stack("prod-clinical");
    const prod = policyDoc(resources, "lab-policy-1");
    expect(prod.Statement[1].Resource).toBe(core.lakeKmsKeyArns.clinical);
    const trust = JSON.parse(
      findResource(resources, "aws:iam/role:Role", "lab-role").inputs.assumeRolePolicy as string,
    );
    expect(trust.Statement).toEqual([
      { Effect: "Allow", Principal: { AWS: core.mwaaExecutionRoleArn }, Action: "sts:AssumeRole" },
    ]);
    const job = findResource(resources, "databricks:index/job:Job", "lab--results-job")
      .inputs as Json;
    expect(job.jobClusters[0].newCluster).toMatchObject({
      policyId: core.clusterPolicyIds.clinical,
      instancePoolId: core.instancePoolIds.clinical,
      dataSecurityMode: "SINGLE_USER",
      autoscale: { minWorkers: 1, maxWorkers: 20 },
    });
    expect(
      findResource(resources, "databricks:index/schema:Schema", "lab-gold").inputs,
    ).toMatchObject({
      catalogName: core.catalogName,
      name: "lab_gold",
      storageRoot: "s3://tst-prod-clinical-gold-222222222222/managed/lab",
    });
  });

  it("the MWAA execution role may assume the environment's ingest roles and nothing else of IAM", () => {
    const doc = policyDoc(stack("prod-core").resources, "airflow-role-policy-1");
    const sts = doc.Statement.filter((s: { Action: unknown }) =>
      JSON.stringify(s.Action).includes("sts:"),
    );
    expect(sts).toEqual([
      {
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: "arn:aws:iam::222222222222:role/tst-prod-ingest-*",
      },
    ]);
  });

  it("MWAA takes class, workers, version, webserver access and network from the environment", () => {
    const { resources } = stack("prod-core");
    const env = findResource(resources, "aws:mwaa/environment:Environment", "airflow-env")
      .inputs as Json;
    expect(env).toMatchObject({
      name: "tst-prod-airflow",
      environmentClass: "mw1.medium",
      minWorkers: 2,
      maxWorkers: 10,
      airflowVersion: "3.0.6",
      webserverAccessMode: "PRIVATE_ONLY",
      sourceBucketArn: "arn:aws:s3:::tst-prod-airflow-222222222222",
    });
    expect(env.networkConfiguration.subnetIds).toEqual(["subnet-0ccc3333", "subnet-0ddd4444"]);
    expect(
      findResource(resources, "aws:ec2/securityGroup:SecurityGroup", "airflow-sg").inputs.vpcId,
    ).toBe("vpc-0def5678");
  });

  it("jobs have no schedule (their DAG triggers them), a task per table and layer retried once, and mail on failure", () => {
    const job = findResource(
      stack("prod-business").resources,
      "databricks:index/job:Job",
      "payroll--timesheets-job",
    ).inputs as Json;
    expect(job.name).toBe("tst-prod-payroll__timesheets");
    expect(job.schedule).toBeUndefined();
    expect(job.emailNotifications).toEqual({ onFailures: ["data-alerts@example.org"] });
    expect(job.parameters).toEqual([{ name: "date", default: "{{job.start_time.iso_date}}" }]);
    expect(job.tasks.map((t: { taskKey: string }) => t.taskKey)).toEqual([
      "timesheets__bronze",
      "timesheets__silver",
    ]);
    expect(job.tasks[1].dependsOns).toEqual([{ taskKey: "timesheets__bronze" }]);
    expect(job.tasks[0].maxRetries).toBe(1);
    expect(job.tasks[0].minRetryIntervalMillis).toBe(300_000);
    expect(job.tasks[0].timeoutSeconds).toBe(120 * 60);
    expect(job.tasks[0].sparkPythonTask).toEqual({
      pythonFile: "/Workspace/hdp/pipelines/hdp_pipelines/entry.py",
      parameters: [
        "--layer",
        "bronze",
        "--spec",
        "/Workspace/hdp/pipelines/specs/payroll/timesheets.json",
        "--date",
        "{{job.parameters.date}}",
      ],
    });
  });

  it("a domain's cluster policy follows the environment's compute settings and the domain's pool", () => {
    const { resources } = stack("dev");
    const policy = findResource(
      resources,
      "databricks:index/clusterPolicy:ClusterPolicy",
      "clinical-policy",
    );
    const pool = findResource(
      resources,
      "databricks:index/instancePool:InstancePool",
      "clinical-pool",
    );
    expect(policy.inputs.name).toBe("tst-dev-clinical-phi");
    const definition = JSON.parse(policy.inputs.definition as string);
    const poolId = (stack("dev").exports.instancePoolIds as Record<string, string>).clinical;
    // Job clusters end with their run: the policy pins cluster_type, not auto-termination.
    expect(definition).not.toHaveProperty("autotermination_minutes");
    expect(definition).toMatchObject({
      data_security_mode: { type: "fixed", value: "SINGLE_USER" },
      spark_version: { type: "fixed", value: "auto:latest-lts" },
      cluster_type: { type: "fixed", value: "job" },
      "autoscale.max_workers": { type: "range", maxValue: 4 },
      instance_pool_id: { type: "allowlist", values: [poolId] },
    });
    expect(pool.inputs).toMatchObject({
      instancePoolName: "tst-dev-clinical",
      nodeTypeId: "m5d.large",
      maxCapacity: 10,
      idleInstanceAutoterminationMinutes: 15,
    });
  });

  it("Unity Catalog reaches every lake bucket (landing read-only) and the catalog bucket, and nothing else", () => {
    const locations = ofType(
      stack("dev").resources,
      "databricks:index/externalLocation:ExternalLocation",
    );
    const byUrl = Object.fromEntries(
      locations.map((l) => [l.inputs.url as string, [l.inputs.name, l.inputs.readOnly]]),
    );
    const expected: Record<string, unknown[]> = {
      "s3://tst-dev-catalog-111111111111/": ["tst_dev_catalog", false],
    };
    for (const d of ["clinical", "workforce"]) {
      for (const l of ["landing", "bronze", "silver", "gold"]) {
        expected[`s3://tst-dev-${d}-${l}-111111111111/`] = [`tst_dev_${d}_${l}`, l === "landing"];
      }
    }
    expect(byUrl).toEqual(expected);
  });
});

describe("order of creation", () => {
  it("the catalog and schemas wait for the buckets and locations of their storage roots", () => {
    const { resources } = stack("dev");
    const urn = (type: string, name: string) => findResource(resources, type, name).urn;
    const catalog = findResource(resources, "databricks:index/catalog:Catalog", "lake-catalog");
    expect(catalog.dependencies).toEqual(
      expect.arrayContaining([
        urn("aws:s3/bucket:Bucket", "catalog-root-bucket"),
        urn("aws:s3/bucketPolicy:BucketPolicy", "catalog-root-policy"),
        urn("databricks:index/externalLocation:ExternalLocation", "unity-catalog-catalog"),
      ]),
    );
    const schema = findResource(resources, "databricks:index/schema:Schema", "payroll-silver");
    expect(schema.dependencies).toEqual(
      expect.arrayContaining([
        urn("aws:s3/bucket:Bucket", "workforce-silver-bucket"),
        urn("databricks:index/externalLocation:ExternalLocation", "unity-catalog-workforce-silver"),
      ]),
    );
  });
});

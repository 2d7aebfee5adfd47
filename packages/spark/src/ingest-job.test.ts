import * as pulumi from "@pulumi/pulumi";
import type * as databricks from "@pulumi/databricks";
import { findResource, record, valueOf } from "@hdp/testing";
import { IngestJob, type IngestJobArgs } from "./ingest-job";
import { ClusterPolicy } from "./cluster-policy";
import { InstancePool } from "./instance-pool";
import { HOUSE_TAGS, inventory } from "./__fixtures__";

const JOB = "databricks:index/job:Job";

/** The recorded inputs of a job: its args with every Input resolved. */
type JobInputs = pulumi.Unwrap<databricks.JobArgs>;

const args = (over: Partial<IngestJobArgs> = {}): IngestJobArgs => ({
  jobName: "hdp-prod-epic-ingest",
  tasks: {
    bronze: { notebookPath: "/Workspace/hdp/ingest/bronze" },
    silver: { notebookPath: "/Workspace/hdp/ingest/silver" },
    gold: { notebookPath: "/Workspace/hdp/ingest/gold" },
  },
  cluster: { policyId: "policy-123", nodeTypeId: "m6i.xlarge", maxWorkers: 4 },
  onFailure: { emails: ["oncall@example.org"], webhookDestinationIds: [pulumi.output("dest-1")] },
  schedule: { quartzCronExpression: "0 0 2 * * ?", timezoneId: "America/Chicago" },
  runAsServicePrincipal: "6a1c-sp",
  tags: HOUSE_TAGS,
  ...over,
});

describe("IngestJob", () => {
  it("creates exactly one job whose tasks chain bronze -> silver -> gold on a policy cluster", async () => {
    const { resources } = await record(() => new IngestJob("epic", args()));
    expect(inventory(resources)).toEqual([
      [JOB, "epic-job", "epic"],
      ["hdp:spark:IngestJob", "epic", ""],
    ]);
    const job = findResource(resources, JOB, "epic-job").inputs as JobInputs;
    expect(job.name).toBe("hdp-prod-epic-ingest");
    expect(job.editMode).toBe("UI_LOCKED");
    expect(job.maxConcurrentRuns).toBe(1);
    expect(job.jobClusters).toEqual([
      {
        jobClusterKey: "ingest",
        newCluster: {
          policyId: "policy-123",
          applyPolicyDefaultValues: true,
          dataSecurityMode: "SINGLE_USER",
          nodeTypeId: "m6i.xlarge",
          driverNodeTypeId: "m6i.xlarge",
          customTags: HOUSE_TAGS,
          autoscale: { minWorkers: 1, maxWorkers: 4 },
          enableLocalDiskEncryption: true,
        },
      },
    ]);
    expect(job.tasks?.map((t) => [t.taskKey, t.dependsOns?.map((d) => d.taskKey) ?? []])).toEqual([
      ["bronze", []],
      ["silver", ["bronze"]],
      ["gold", ["silver"]],
    ]);
    for (const t of job.tasks ?? []) {
      // Without a cluster a task silently runs on serverless compute.
      expect(t.jobClusterKey).toBe("ingest");
      expect(t).toMatchObject({
        maxRetries: 2,
        minRetryIntervalMillis: 300000,
        timeoutSeconds: 7200,
        retryOnTimeout: false,
      });
    }
    expect(job.emailNotifications).toEqual({ onFailures: ["oncall@example.org"] });
    expect(job.webhookNotifications).toEqual({ onFailures: [{ id: "dest-1" }] });
    expect(job.notificationSettings).toEqual({
      noAlertForCanceledRuns: false,
      noAlertForSkippedRuns: false,
    });
    expect(job.schedule).toEqual({
      quartzCronExpression: "0 0 2 * * ?",
      timezoneId: "America/Chicago",
      pauseStatus: "UNPAUSED",
    });
    expect(job.runAs).toEqual({ servicePrincipalName: "6a1c-sp" });
    expect(job.tags).toEqual(HOUSE_TAGS);
  });

  it("uses the policy and the pool of sibling components, without node type or cluster tags", async () => {
    let poolComponent: InstancePool | undefined;
    let policyComponent: ClusterPolicy | undefined;
    const { resources } = await record(() => {
      const pool = new InstancePool("ingest", {
        nodeTypeId: "m6i.xlarge",
        maxCapacity: 10,
        tags: HOUSE_TAGS,
      });
      const policy = new ClusterPolicy("ingest", {
        instancePoolIds: [pool.instancePoolId],
        maxWorkers: 4,
        tags: HOUSE_TAGS,
      });
      poolComponent = pool;
      policyComponent = policy;
      return new IngestJob(
        "epic",
        args({
          cluster: {
            policyId: policy.policyId,
            instancePoolId: pool.instancePoolId,
            maxWorkers: 4,
            minWorkers: 2,
            sparkVersion: "15.4.x-scala2.12",
            dataSecurityMode: "USER_ISOLATION",
          },
          maxRetries: 0,
          acceptInsecure: ["databricks-job-retries"],
          taskTimeoutSeconds: 600,
          timeoutSeconds: 3600,
          schedule: { quartzCronExpression: "0 0 2 * * ?", timezoneId: "UTC", paused: true },
          tasks: { silver: { pythonFile: "/Workspace/hdp/silver.py" } },
        }),
      );
    });
    const job = findResource(resources, JOB, "epic-job");
    const pool = findResource(
      resources,
      "databricks:index/instancePool:InstancePool",
      "ingest-pool",
    );
    const policy = findResource(
      resources,
      "databricks:index/clusterPolicy:ClusterPolicy",
      "ingest-policy",
    );
    expect(job.dependencies).toEqual([policy.urn, pool.urn].sort());
    const inputs = job.inputs as JobInputs;
    const cluster = inputs.jobClusters?.[0]?.newCluster;
    expect(cluster?.nodeTypeId).toBeUndefined();
    expect(cluster?.driverNodeTypeId).toBeUndefined();
    expect(cluster?.customTags).toBeUndefined();
    expect(cluster).toMatchObject({
      applyPolicyDefaultValues: true,
      dataSecurityMode: "USER_ISOLATION",
      sparkVersion: "15.4.x-scala2.12",
      autoscale: { minWorkers: 2, maxWorkers: 4 },
    });
    const poolId = await valueOf(poolComponent!.instancePoolId);
    expect(poolId).toMatch(/^[0-9a-f]{4}-[0-9a-f]{6}-[0-9a-f]{8}$/);
    expect(cluster?.instancePoolId).toBe(poolId);
    expect(cluster?.policyId).toBe(await valueOf(policyComponent!.policyId));
    expect(JSON.parse(policy.inputs.definition as string).instance_pool_id.values).toEqual([
      poolId,
    ]);
    expect(inputs.tasks).toEqual([
      {
        taskKey: "silver",
        jobClusterKey: "ingest",
        maxRetries: 0,
        minRetryIntervalMillis: 300000,
        timeoutSeconds: 600,
        retryOnTimeout: false,
        sparkPythonTask: { pythonFile: "/Workspace/hdp/silver.py" },
      },
    ]);
    expect(inputs.timeoutSeconds).toBe(3600);
    expect(inputs.schedule?.pauseStatus).toBe("PAUSED");
  });

  it("rejects a job nobody hears about, and other bad arguments, all at once", () => {
    expect(
      () =>
        new IngestJob(
          "bad",
          args({
            onFailure: {},
            cluster: { policyId: "p", maxWorkers: 4 },
            schedule: { quartzCronExpression: "0 2 * * *", timezoneId: "Central" },
            maxRetries: -1,
            tags: {},
          }),
        ),
    ).toThrow(
      [
        'IngestJob "bad": invalid arguments:',
        "  - retry.maxRetries: -1 must be an integer from 0 to 10",
        '  - tags: missing the house tag(s) "owner", "domain", "data-classification", "environment", "cost-center"',
        "  - cluster: give exactly one of instancePoolId and nodeTypeId",
        "  - onFailure: give at least one e-mail address or webhook destination",
        '  - schedule.quartzCronExpression: "0 2 * * *" has 5 fields; Quartz needs 6 or 7 (seconds minutes hours day-of-month month day-of-week [year]), e.g. "0 0 2 * * ?"',
        '  - schedule.timezoneId: "Central" is not a time zone id such as "America/Chicago" or "UTC"',
      ].join("\n"),
    );
  });

  it.each([
    [
      { onFailure: { emails: ["not-an-address"] } },
      'onFailure.emails: "not-an-address" is not an e-mail address',
    ],
    [
      {
        cluster: { policyId: "p", nodeTypeId: "m", maxWorkers: 4, sparkVersion: "auto:latest-lts" },
      },
      "cluster.sparkVersion",
    ],
    [
      { cluster: { policyId: "p", nodeTypeId: "m", maxWorkers: 2, minWorkers: 3 } },
      "cluster.minWorkers: 3 must be an integer from 0 to 2",
    ],
    [{ timeoutSeconds: 0 }, "timeoutSeconds: 0 must be an integer from 1 to 604800"],
  ] as [Partial<IngestJobArgs>, string][])("rejects %p", (over, message) => {
    expect(() => new IngestJob("bad", args(over))).toThrow(message);
  });
});

describe("IngestJob refuses what the policy pack flags (defence in depth)", () => {
  it("refuses maxRetries 0 with the rule's name and message, unless accepted knowingly", async () => {
    await expect(
      record(() => new IngestJob("lab--backfill", args({ maxRetries: 0 }))),
    ).rejects.toThrow(
      "maxRetries: databricks-job-retries: task bronze does not retry (maxRetries 0)",
    );
    const { resources } = await record(
      () =>
        new IngestJob(
          "lab--backfill",
          args({ maxRetries: 0, acceptInsecure: ["databricks-job-retries"] }),
        ),
    );
    expect(resources.length).toBeGreaterThan(0);
  });
});

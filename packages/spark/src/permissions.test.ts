import { findResource, ofType, record } from "@hdp/testing";
import { ClusterPolicy } from "./cluster-policy";
import { IngestJob, type IngestJobArgs } from "./ingest-job";
import { InstancePool } from "./instance-pool";
import {
  accessControlsOf,
  JOB_PERMISSION_LEVELS,
  mergePermissions,
  POOL_PERMISSION_LEVELS,
  validatePermissions,
} from "./permissions";
import { HOUSE_TAGS } from "./__fixtures__";

const PERMISSIONS = "databricks:index/permissions:Permissions";
const RULE = "databricks-no-broad-permissions";

describe("mergePermissions", () => {
  it("keeps each group once, at its highest level, sorted by group", () => {
    expect(
      mergePermissions(JOB_PERMISSION_LEVELS, [
        { group: "readers", level: "CAN_VIEW" },
        { group: "engineers", level: "CAN_MANAGE_RUN" },
        { group: "readers", level: "CAN_MANAGE_RUN" },
        { group: "engineers", level: "CAN_VIEW" },
      ]),
    ).toEqual([
      { group: "engineers", level: "CAN_MANAGE_RUN" },
      { group: "readers", level: "CAN_MANAGE_RUN" },
    ]);
  });

  it("gives the same access controls whatever the input order", () => {
    const entries = [
      { group: "b", level: "CAN_ATTACH_TO" as const },
      { group: "a", level: "CAN_MANAGE" as const },
    ];
    expect(accessControlsOf(POOL_PERMISSION_LEVELS, entries)).toEqual(
      accessControlsOf(POOL_PERMISSION_LEVELS, [...entries].reverse()),
    );
  });
});

describe("validatePermissions", () => {
  const job = { label: "the job", classification: "phi" };
  const check = (group: string, level: string, target = job, accept?: string[]) =>
    validatePermissions("access", target, JOB_PERMISSION_LEVELS, [{ group, level }], accept);

  it.each([
    ["account users", "CAN_MANAGE", { label: "the job", classification: "internal" }],
    ["users", "IS_OWNER", { label: "the job", classification: "internal" }],
    ["account users", "CAN_VIEW", job],
    [" Users ", "CAN_MANAGE_RUN", job],
  ])("refuses %p with %s (%p) under the pack's rule", (group, level, target) => {
    const problems = check(group, level, target);
    expect(problems.join("\n")).toContain(RULE);
  });

  it("lets all-users groups see a job without PHI, and a named group anything", () => {
    expect(check("account users", "CAN_VIEW", { label: "j", classification: "internal" })).toEqual(
      [],
    );
    expect(check("hdp-prod-clinical-engineers", "CAN_MANAGE_RUN")).toEqual([]);
  });

  it("accepts a refusal the caller lists in acceptInsecure (the pack still reports it)", () => {
    expect(check("account users", "CAN_VIEW", job, [RULE])).toEqual([]);
  });

  it("refuses unknown levels and blank or padded group names", () => {
    expect(check("", "CAN_VIEW")).toEqual([
      'access[0].group: "" must be a group name without surrounding spaces',
    ]);
    expect(check("engineers", "CAN_RUN")[0]).toBe(
      'access[0].level: "CAN_RUN" is not one of CAN_VIEW, CAN_MANAGE_RUN, CAN_MANAGE',
    );
  });
});

const jobArgs = (over: Partial<IngestJobArgs> = {}): IngestJobArgs => ({
  tasks: { bronze: { notebookPath: "/Workspace/hdp/ingest/bronze" } },
  cluster: { policyId: "policy-123", nodeTypeId: "m6i.xlarge", maxWorkers: 4 },
  onFailure: { emails: ["oncall@example.org"] },
  tags: HOUSE_TAGS,
  ...over,
});

describe("workspace permissions of the components", () => {
  it("IngestJob writes one Permissions on its job, without an owner (the deployer keeps it)", async () => {
    const { resources } = await record(
      () =>
        new IngestJob(
          "epic",
          jobArgs({
            access: [
              { group: "hdp-prod-analysts", level: "CAN_VIEW" },
              { group: "hdp-prod-admins", level: "CAN_MANAGE" },
              { group: "hdp-prod-clinical-engineers", level: "CAN_MANAGE_RUN" },
            ],
          }),
        ),
    );
    const permissions = findResource(resources, PERMISSIONS, "epic-job-permissions");
    const job = findResource(resources, "databricks:index/job:Job", "epic-job");
    expect(permissions.inputs).toEqual({
      jobId: expect.any(String),
      accessControls: [
        { groupName: "hdp-prod-admins", permissionLevel: "CAN_MANAGE" },
        { groupName: "hdp-prod-analysts", permissionLevel: "CAN_VIEW" },
        { groupName: "hdp-prod-clinical-engineers", permissionLevel: "CAN_MANAGE_RUN" },
      ],
    });
    expect(permissions.dependencies).toContain(job.urn);
    expect(JSON.stringify(permissions.inputs)).not.toContain("IS_OWNER");
  });

  it("IngestJob lets the identity that triggers it run it (CAN_MANAGE_RUN), nothing more", async () => {
    const sp = "1a5c9e72-3f4b-4e8d-9c0a-6b2d8f1e7a34";
    const { resources } = await record(
      () =>
        new IngestJob(
          "epic",
          jobArgs({ access: [{ group: "hdp-prod-admins", level: "CAN_MANAGE" }], triggeredBy: sp }),
        ),
    );
    expect(findResource(resources, PERMISSIONS, "epic-job-permissions").inputs).toEqual({
      jobId: expect.any(String),
      accessControls: [
        { groupName: "hdp-prod-admins", permissionLevel: "CAN_MANAGE" },
        { servicePrincipalName: sp, permissionLevel: "CAN_MANAGE_RUN" },
      ],
    });
    // Alone, too: a job no group reaches is still run by its trigger.
    const alone = await record(() => new IngestJob("epic", jobArgs({ triggeredBy: sp })));
    expect(findResource(alone.resources, PERMISSIONS, "epic-job-permissions").inputs).toEqual({
      jobId: expect.any(String),
      accessControls: [{ servicePrincipalName: sp, permissionLevel: "CAN_MANAGE_RUN" }],
    });
  });

  it("IngestJob refuses a trigger that is not an application id", () => {
    expect(() => new IngestJob("epic", jobArgs({ triggeredBy: "airflow@example.org" }))).toThrow(
      /triggeredBy: "airflow@example.org" is not a service principal's application id/,
    );
  });

  it("IngestJob without access writes no Permissions (only the owner and admins)", async () => {
    const { resources } = await record(() => new IngestJob("epic", jobArgs()));
    expect(ofType(resources, PERMISSIONS)).toEqual([]);
  });

  it("IngestJob refuses an all-users group on a PHI job", () => {
    expect(
      () =>
        new IngestJob("epic", jobArgs({ access: [{ group: "account users", level: "CAN_VIEW" }] })),
    ).toThrow(
      /access\[0\]: databricks-no-broad-permissions: the all-users group "account users" would hold CAN_VIEW on the job, whose runs and logs hold PHI/,
    );
  });

  it("ClusterPolicy lets its users CAN_USE it, through one Permissions", async () => {
    const { resources } = await record(
      () =>
        new ClusterPolicy("clinical", {
          nodeTypes: ["m6i.xlarge"],
          maxWorkers: 8,
          clusterType: "job",
          users: ["hdp-prod-engineers", "hdp-prod-admins", "hdp-prod-engineers"],
          tags: HOUSE_TAGS,
        }),
    );
    expect(findResource(resources, PERMISSIONS, "clinical-policy-permissions").inputs).toEqual({
      clusterPolicyId: expect.any(String),
      accessControls: [
        { groupName: "hdp-prod-admins", permissionLevel: "CAN_USE" },
        { groupName: "hdp-prod-engineers", permissionLevel: "CAN_USE" },
      ],
    });
  });

  it("InstancePool lets engineers attach and admins manage; never all-users groups managing", async () => {
    const pool = (access: ConstructorParameters<typeof InstancePool>[1]["access"]) =>
      new InstancePool("clinical", {
        nodeTypeId: "m6i.xlarge",
        maxCapacity: 4,
        access,
        tags: HOUSE_TAGS,
      });
    const { resources } = await record(() =>
      pool([
        { group: "hdp-prod-engineers", level: "CAN_ATTACH_TO" },
        { group: "hdp-prod-admins", level: "CAN_MANAGE" },
      ]),
    );
    expect(findResource(resources, PERMISSIONS, "clinical-pool-permissions").inputs).toEqual({
      instancePoolId: expect.any(String),
      accessControls: [
        { groupName: "hdp-prod-admins", permissionLevel: "CAN_MANAGE" },
        { groupName: "hdp-prod-engineers", permissionLevel: "CAN_ATTACH_TO" },
      ],
    });
    expect(() => pool([{ group: "users", level: "CAN_MANAGE" }])).toThrow(RULE);
    // Attaching is not managing: an all-users group may use a pool.
    await expect(
      record(() => pool([{ group: "users", level: "CAN_ATTACH_TO" }])),
    ).resolves.toBeDefined();
  });
});

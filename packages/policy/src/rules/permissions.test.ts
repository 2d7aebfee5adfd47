import { check, rows, uncovered, type RuleCase } from "../__fixtures__/cases";
import { HOUSE_TAGS, clusterPolicy, job, pool, res } from "../__fixtures__/resources";
import { PERMISSIONS, permissionPolicies } from "./permissions";

const RULE = "databricks-no-broad-permissions";
const TRIGGER = "databricks-job-trigger-access";
const AIRFLOW_SP = "1a5c9e72-3f4b-4e8d-9c0a-6b2d8f1e7a34";
const PHI_JOB = job();
const INTERNAL_JOB = job({ tags: { ...HOUSE_TAGS, "data-classification": "internal" } });

/** A `Permissions` on `target` (linked through its id, as the engine and recorder record it). */
const permissions = (
  name: string,
  key: "jobId" | "clusterPolicyId" | "instancePoolId",
  target: { urn: string },
  accessControls: Record<string, string>[],
) => res(PERMISSIONS, name, { [key]: "id-1", accessControls }, { dependencies: [target.urn] });

const cases: RuleCase[] = [
  {
    rule: RULE,
    title: "named groups run and see a PHI job; admins manage it",
    resources: [
      PHI_JOB,
      permissions("job-permissions", "jobId", PHI_JOB, [
        { groupName: "hdp-prod-admins", permissionLevel: "CAN_MANAGE" },
        { groupName: "hdp-prod-clinical-engineers", permissionLevel: "CAN_MANAGE_RUN" },
        { groupName: "hdp-prod-clinical-stewards", permissionLevel: "CAN_VIEW" },
      ]),
    ],
  },
  {
    rule: RULE,
    title: "account users see a PHI job",
    resources: [
      PHI_JOB,
      permissions("job-permissions", "jobId", PHI_JOB, [
        { groupName: "account users", permissionLevel: "CAN_VIEW" },
      ]),
    ],
    violation: {
      name: "job-permissions",
      message: /"account users" holds CAN_VIEW on job epic-ingest-job, which processes PHI/,
    },
  },
  {
    rule: RULE,
    title: "users see and run a job without PHI",
    resources: [
      INTERNAL_JOB,
      permissions("job-permissions", "jobId", INTERNAL_JOB, [
        { groupName: "users", permissionLevel: "CAN_MANAGE_RUN" },
      ]),
    ],
  },
  {
    rule: RULE,
    title: "users manage a job without PHI",
    resources: [
      INTERNAL_JOB,
      permissions("job-permissions", "jobId", INTERNAL_JOB, [
        { groupName: "Users", permissionLevel: "CAN_MANAGE" },
      ]),
    ],
    violation: { name: "job-permissions", message: /"Users" holds CAN_MANAGE on job/ },
  },
  {
    rule: RULE,
    title: "account users manage a pool",
    resources: [
      pool(),
      permissions("pool-permissions", "instancePoolId", pool(), [
        { groupName: "account users", permissionLevel: "CAN_MANAGE" },
      ]),
    ],
    violation: {
      name: "pool-permissions",
      message: /holds CAN_MANAGE on instance pool clinical-pool/,
    },
  },
  {
    rule: RULE,
    title: "users may use a cluster policy (creating clusters under it, not changing it)",
    resources: [
      clusterPolicy(),
      permissions("policy-permissions", "clusterPolicyId", clusterPolicy(), [
        { groupName: "users", permissionLevel: "CAN_USE" },
      ]),
    ],
  },
  {
    rule: RULE,
    title: "a group owning a job of another stack is still found",
    resources: [
      res(PERMISSIONS, "job-permissions", {
        jobId: "123",
        accessControls: [{ groupName: "account users", permissionLevel: "IS_OWNER" }],
      }),
    ],
    violation: { name: "job-permissions", message: /IS_OWNER on job \(another stack's\)/ },
  },
  {
    rule: TRIGGER,
    title: "Airflow's service principal runs a job it triggers (CAN_MANAGE_RUN)",
    resources: [
      PHI_JOB,
      permissions("job-permissions", "jobId", PHI_JOB, [
        { groupName: "hdp-prod-admins", permissionLevel: "CAN_MANAGE" },
        { servicePrincipalName: AIRFLOW_SP, permissionLevel: "CAN_MANAGE_RUN" },
      ]),
    ],
  },
  {
    rule: TRIGGER,
    title: "a job with a schedule of its own needs no trigger",
    resources: [job({ schedule: { quartzCronExpression: "0 0 2 * * ?", timezoneId: "UTC" } })],
  },
  {
    rule: TRIGGER,
    title: "only groups may run a job no schedule starts",
    resources: [
      PHI_JOB,
      permissions("job-permissions", "jobId", PHI_JOB, [
        { groupName: "hdp-prod-admins", permissionLevel: "CAN_MANAGE" },
        { groupName: "hdp-prod-clinical-engineers", permissionLevel: "CAN_MANAGE_RUN" },
      ]),
    ],
    violation: {
      name: "epic-ingest-job",
      message:
        /no schedule starts job epic-ingest-job and no service principal may run it \(CAN_MANAGE_RUN\): Airflow's Databricks connection gets PERMISSION_DENIED on jobs\/run-now/,
    },
  },
  {
    rule: TRIGGER,
    title: "a job without any Permissions and no schedule",
    resources: [PHI_JOB],
    violation: { name: "epic-ingest-job", message: /no service principal may run it/ },
  },
  {
    rule: TRIGGER,
    title: "Airflow's service principal only sees the job (CAN_VIEW cannot start a run)",
    resources: [
      PHI_JOB,
      permissions("job-permissions", "jobId", PHI_JOB, [
        { servicePrincipalName: AIRFLOW_SP, permissionLevel: "CAN_VIEW" },
      ]),
    ],
    violation: { name: "epic-ingest-job", message: /no service principal may run it/ },
  },
  {
    rule: TRIGGER,
    title: "Airflow's service principal manages the job",
    resources: [
      PHI_JOB,
      permissions("job-permissions", "jobId", PHI_JOB, [
        { servicePrincipalName: AIRFLOW_SP, permissionLevel: "CAN_MANAGE" },
      ]),
    ],
    violation: {
      name: "job-permissions",
      message: new RegExp(
        `the service principal ${AIRFLOW_SP} holds CAN_MANAGE on job epic-ingest-job: triggering runs needs CAN_MANAGE_RUN`,
      ),
    },
  },
];

describe("workspace permission rules", () => {
  test.each(rows(cases))("%s", (_, c) => check(c));
  it("have a compliant and a non-compliant case each", () => {
    expect(uncovered(permissionPolicies, cases)).toEqual([]);
  });
});

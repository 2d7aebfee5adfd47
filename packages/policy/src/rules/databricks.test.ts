import { check, rows, uncovered, type RuleCase } from "../__fixtures__/cases";
import {
  DBX,
  PROD,
  cluster,
  clusterPolicy,
  contextFor,
  job,
  pool,
  res,
  retag,
  schema,
  schemaGrants,
  task,
} from "../__fixtures__/resources";
import { databricksPolicies } from "./databricks";

const stage = contextFor("stage");
const admin = { principal: "hdp-prod-admins", privileges: ["ALL_PRIVILEGES", "MANAGE"] };

const cases: RuleCase[] = [
  // databricks-autotermination
  {
    rule: "databricks-autotermination",
    title: "30 minutes in stage",
    resources: retag([cluster()], "stage"),
    context: stage,
  },
  {
    rule: "databricks-autotermination",
    title: "unset: the provider's 60",
    resources: retag([cluster({ autoterminationMinutes: undefined })], "stage"),
    context: stage,
  },
  {
    rule: "databricks-autotermination",
    title: "never, in prod",
    resources: [cluster({ autoterminationMinutes: 0 })],
  },
  {
    rule: "databricks-autotermination",
    title: "a job-only policy needs none",
    resources: [
      clusterPolicy({
        autotermination_minutes: undefined,
        cluster_type: { type: "fixed", value: "job" },
      }),
    ],
    context: stage,
  },
  {
    rule: "databricks-autotermination",
    title: "never, in stage",
    resources: retag([cluster({ autoterminationMinutes: 0 })], "stage"),
    context: stage,
    violation: {
      name: "analysts",
      message: /autoterminationMinutes is 0: the cluster never stops/,
    },
  },
  {
    rule: "databricks-autotermination",
    title: "a policy allowing 0",
    resources: [clusterPolicy({ autotermination_minutes: { type: "range", maxValue: 120 } })],
    context: stage,
    violation: {
      name: "clinical-policy",
      message: /lets all-purpose clusters run without auto-termination/,
    },
  },
  // databricks-cluster-policy
  {
    rule: "databricks-cluster-policy",
    title: "cluster and job under policies",
    resources: [cluster(), job()],
  },
  {
    rule: "databricks-cluster-policy",
    title: "cluster without a policy",
    resources: [cluster({ policyId: undefined })],
    violation: { name: "analysts", message: /^cluster has no policyId$/ },
  },
  {
    rule: "databricks-cluster-policy",
    title: "task cluster without a policy",
    resources: [
      job({
        tasks: [
          task("bronze", {
            jobClusterKey: undefined,
            newCluster: {
              sparkVersion: "15.4.x-scala2.12",
              dataSecurityMode: "SINGLE_USER",
              numWorkers: 2,
              enableLocalDiskEncryption: true,
              clusterLogConf: {
                volumes: { destination: "/Volumes/hdp_prod/hdp_ops/cluster_logs/x" },
              },
            },
          }),
        ],
      }),
    ],
    violation: { name: "epic-ingest-job", message: /^task bronze has no policyId$/ },
  },
  // databricks-unity-catalog-access-mode
  {
    rule: "databricks-unity-catalog-access-mode",
    title: "SINGLE_USER everywhere",
    resources: [cluster(), job(), clusterPolicy()],
  },
  {
    rule: "databricks-unity-catalog-access-mode",
    title: "standard access mode (2025 name)",
    resources: [cluster({ dataSecurityMode: "DATA_SECURITY_MODE_STANDARD" })],
  },
  {
    rule: "databricks-unity-catalog-access-mode",
    title: "no isolation",
    resources: [cluster({ dataSecurityMode: "NONE" })],
    violation: {
      name: "analysts",
      message: /cluster uses data security mode NONE, not a Unity Catalog mode/,
    },
  },
  {
    rule: "databricks-unity-catalog-access-mode",
    title: "a policy leaving the mode open",
    resources: [clusterPolicy({ data_security_mode: undefined })],
    violation: { name: "clinical-policy", message: /does not fix data_security_mode/ },
  },
  {
    rule: "databricks-unity-catalog-access-mode",
    title: "a policy allowing legacy table ACLs",
    resources: [
      clusterPolicy({
        data_security_mode: { type: "allowlist", values: ["SINGLE_USER", "LEGACY_TABLE_ACL"] },
      }),
    ],
    violation: { name: "clinical-policy", message: /allows data_security_mode LEGACY_TABLE_ACL/ },
  },
  // databricks-lts-runtime
  {
    rule: "databricks-lts-runtime",
    title: "15.4 LTS, latest LTS, LTS pool",
    resources: [cluster(), clusterPolicy(), pool()],
  },
  {
    rule: "databricks-lts-runtime",
    title: "a non-LTS runtime",
    resources: [cluster({ sparkVersion: "15.3.x-scala2.12" })],
    violation: { name: "analysts", message: /cluster runs 15.3.x-scala2.12, not an LTS runtime/ },
  },
  {
    rule: "databricks-lts-runtime",
    title: "a policy allowing a non-LTS runtime",
    resources: [
      clusterPolicy({
        spark_version: { type: "allowlist", values: ["15.4.x-scala2.12", "16.0.x-scala2.12"] },
      }),
    ],
    violation: { name: "clinical-policy", message: /allows non-LTS runtime 16.0.x-scala2.12/ },
  },
  {
    rule: "databricks-lts-runtime",
    title: "a pool preloading a non-LTS runtime",
    resources: [pool({ preloadedSparkVersions: ["16.1.x-scala2.12"] })],
    violation: { name: "clinical-pool", message: /preloads non-LTS runtime 16.1.x-scala2.12/ },
  },
  // databricks-bounded-workers
  {
    rule: "databricks-bounded-workers",
    title: "within 64",
    resources: [cluster(), job(), clusterPolicy(), pool()],
  },
  {
    rule: "databricks-bounded-workers",
    title: "a cluster scaling to 100",
    resources: [cluster({ autoscale: { minWorkers: 1, maxWorkers: 100 } })],
    violation: { name: "analysts", message: /cluster scales to 100 workers, over 64 in prod/ },
  },
  {
    rule: "databricks-bounded-workers",
    title: "a policy without a num_workers bound",
    resources: [clusterPolicy({ num_workers: undefined })],
    violation: { name: "clinical-policy", message: /does not bound num_workers to at most 64/ },
  },
  {
    rule: "databricks-bounded-workers",
    title: "a pool without capacity",
    resources: [pool({ maxCapacity: undefined })],
    violation: { name: "clinical-pool", message: /the pool has no maxCapacity/ },
  },
  // databricks-job-retries
  { rule: "databricks-job-retries", title: "2 retries", resources: [job()] },
  {
    rule: "databricks-job-retries",
    title: "no retries",
    resources: [job({ tasks: [task("bronze", { maxRetries: 0 })] })],
    violation: { name: "epic-ingest-job", message: /task bronze does not retry \(maxRetries 0\)/ },
  },
  {
    rule: "databricks-job-retries",
    title: "retry forever",
    resources: [job({ tasks: [task("bronze", { maxRetries: -1 })] })],
    violation: { name: "epic-ingest-job", message: /task bronze retries forever/ },
  },
  // databricks-job-failure-notifications
  { rule: "databricks-job-failure-notifications", title: "e-mail on failure", resources: [job()] },
  {
    rule: "databricks-job-failure-notifications",
    title: "a webhook on every task",
    resources: [
      job({
        emailNotifications: undefined,
        tasks: [task("bronze", { webhookNotifications: { onFailures: [{ id: "pagerduty" }] } })],
      }),
    ],
  },
  {
    rule: "databricks-job-failure-notifications",
    title: "nobody hears",
    resources: [job({ emailNotifications: undefined })],
    violation: { name: "epic-ingest-job", message: /no failure notification/ },
  },
  // databricks-job-task-compute
  { rule: "databricks-job-task-compute", title: "the job's cluster", resources: [job()] },
  {
    rule: "databricks-job-task-compute",
    title: "a condition task needs no cluster",
    resources: [
      job({
        tasks: [
          task("bronze"),
          { taskKey: "gate", conditionTask: { left: "1", op: "EQUAL_TO", right: "1" } },
        ],
      }),
    ],
  },
  {
    rule: "databricks-job-task-compute",
    title: "an all-purpose cluster",
    resources: [
      job({ tasks: [task("bronze", { jobClusterKey: undefined, existingClusterId: "0101-abc" })] }),
    ],
    violation: {
      name: "epic-ingest-job",
      message: /task bronze runs on an existing all-purpose cluster/,
    },
  },
  {
    rule: "databricks-job-task-compute",
    title: "no cluster: serverless",
    resources: [job({ tasks: [task("bronze", { jobClusterKey: undefined })] })],
    violation: {
      name: "epic-ingest-job",
      message: /task bronze has no cluster: it runs on serverless compute/,
    },
  },
  // databricks-no-broad-privileges-on-phi
  {
    rule: "databricks-no-broad-privileges-on-phi",
    title: "the domain's group reads a PHI schema; admins hold all",
    resources: [
      schema("epic_gold", "phi"),
      schemaGrants("epic_gold", [
        admin,
        { principal: "hdp-prod-clinical-analysts", privileges: ["USE_SCHEMA", "SELECT"] },
      ]),
    ],
  },
  {
    rule: "databricks-no-broad-privileges-on-phi",
    title: "SELECT on a PHI schema to account users",
    resources: [
      schema("epic_gold", "phi"),
      schemaGrants("epic_gold", [
        admin,
        { principal: "account users", privileges: ["USE_SCHEMA", "SELECT"] },
      ]),
    ],
    violation: {
      name: "epic_gold-grants",
      message: /"account users" holds SELECT on schema hdp_prod.epic_gold, which holds PHI/,
    },
  },
  {
    rule: "databricks-no-broad-privileges-on-phi",
    title: "SELECT on a table of a PHI schema to account users",
    resources: [
      schema("epic_gold", "phi"),
      res(DBX.table, "orders", {
        catalogName: "hdp_prod",
        schemaName: "epic_gold",
        name: "orders",
      }),
      res(DBX.grants, "orders-grants", {
        table: "hdp_prod.epic_gold.orders",
        grants: [{ principal: "account users", privileges: ["SELECT"] }],
      }),
    ],
    violation: {
      name: "orders-grants",
      message: /holds SELECT on table hdp_prod.epic_gold.orders, which holds PHI/,
    },
  },
  {
    rule: "databricks-no-broad-privileges-on-phi",
    title: "READ_FILES on an external location to users",
    resources: [
      res("databricks:index/externalLocation:ExternalLocation", "gold-location", {
        name: "hdp-prod-clinical-gold",
        isolationMode: "ISOLATION_MODE_ISOLATED",
      }),
      res(DBX.grants, "gold-location-grants", {
        externalLocation: "hdp-prod-clinical-gold",
        grants: [{ principal: "users", privileges: ["READ_FILES", "ALL_PRIVILEGES"] }],
      }),
    ],
    violation: {
      name: "gold-location-grants",
      message:
        /"users" holds READ_FILES and ALL_PRIVILEGES on external location hdp-prod-clinical-gold/,
    },
  },
  {
    rule: "databricks-no-broad-privileges-on-phi",
    title: "broad group owns a public schema",
    resources: [
      schema("ref_gold", "public"),
      schemaGrants("ref_gold", [{ principal: "users", privileges: ["ALL_PRIVILEGES"] }]),
    ],
  },
  {
    rule: "databricks-no-broad-privileges-on-phi",
    title: "ALL_PRIVILEGES to account users on a PHI schema",
    resources: [
      schema("epic_gold", "phi"),
      schemaGrants("epic_gold", [
        admin,
        { principal: "account users", privileges: ["ALL_PRIVILEGES"] },
      ]),
    ],
    violation: {
      name: "epic_gold-grants",
      message:
        /the broad group "account users" holds ALL_PRIVILEGES on schema hdp_prod.epic_gold, which holds PHI/,
    },
  },
  {
    rule: "databricks-no-broad-privileges-on-phi",
    title: "MANAGE to users on the catalog of a PHI schema (Grant)",
    resources: [
      schema("epic_gold", "phi"),
      res(DBX.grant, "catalog-users", {
        catalog: "hdp_prod",
        principal: "Users",
        privileges: ["MANAGE"],
      }),
    ],
    violation: {
      name: "catalog-users",
      message: /"Users" holds MANAGE on catalog hdp_prod, which holds PHI/,
    },
  },
  // databricks-grants-on-own-securables
  {
    rule: "databricks-grants-on-own-securables",
    title: "grants on a schema and an external location this stack creates",
    resources: [
      schema("epic_gold", "phi"),
      schemaGrants("epic_gold", [admin]),
      res("databricks:index/externalLocation:ExternalLocation", "gold-location", {
        name: "hdp-prod-clinical-gold",
        isolationMode: "ISOLATION_MODE_ISOLATED",
      }),
      res(DBX.grants, "gold-location-grants", {
        externalLocation: "hdp-prod-clinical-gold",
        grants: [admin],
      }),
    ],
  },
  {
    rule: "databricks-no-broad-privileges-on-phi",
    title: "READ_FILES on a lake location to account users (files bypass table grants)",
    resources: [
      res("databricks:index/externalLocation:ExternalLocation", "landing", {
        name: "hdp_prod_clinical_landing",
        isolationMode: "ISOLATION_MODE_ISOLATED",
      }),
      res(DBX.grants, "landing-grants", {
        externalLocation: "hdp_prod_clinical_landing",
        grants: [admin, { principal: "account users", privileges: ["READ_FILES"] }],
      }),
    ],
    violation: {
      name: "landing-grants",
      message: /"account users" holds READ_FILES on external location hdp_prod_clinical_landing/,
    },
  },
  {
    rule: "databricks-no-broad-privileges-on-phi",
    title: "WRITE_FILES on the storage credential to users",
    resources: [
      res("databricks:index/storageCredential:StorageCredential", "credential", {
        name: "hdp_prod_lake",
        isolationMode: "ISOLATION_MODE_ISOLATED",
      }),
      res(DBX.grants, "credential-grants", {
        storageCredential: "hdp_prod_lake",
        grants: [admin, { principal: "users", privileges: ["WRITE_FILES"] }],
      }),
    ],
    violation: {
      name: "credential-grants",
      message: /"users" holds WRITE_FILES on storage credential hdp_prod_lake/,
    },
  },
  {
    rule: "databricks-grants-on-own-securables",
    title: "grants on the catalog another stack creates",
    resources: [
      schema("epic_gold", "phi"),
      res(DBX.grants, "catalog-grants", { catalog: "hdp_prod", grants: [admin] }),
    ],
    violation: {
      name: "catalog-grants",
      message: /grants on catalog hdp_prod, which this stack does not create/,
    },
  },
];

describe("Databricks rules", () => {
  test.each(rows(cases))("%s", (_, c) => check(c));
  it("have a compliant and a non-compliant case each", () => {
    expect(uncovered(databricksPolicies, cases)).toEqual([]);
  });
  it("bound workers by the environment's maxWorkers", () => {
    check({
      rule: "databricks-bounded-workers",
      title: "",
      resources: [cluster({ autoscale: { minWorkers: 1, maxWorkers: 20 } })],
      context: { ...PROD, maxWorkers: 16 },
      violation: { name: "analysts", message: /scales to 20 workers, over 16/ },
    });
  });
});

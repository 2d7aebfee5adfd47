import { check, rows, uncovered, type RuleCase } from "../__fixtures__/cases";
import {
  DBX,
  HOUSE_TAGS,
  cluster,
  clusterPolicy,
  contextFor,
  job,
  res,
} from "../__fixtures__/resources";
import { computeHardeningPolicies } from "./compute-hardening";

const properties = Object.fromEntries(Object.entries(HOUSE_TAGS).map(([k, v]) => [`hdp.${k}`, v]));
const catalog = (over: Record<string, unknown> = {}) =>
  res(DBX.catalog, "lake-catalog", {
    name: "hdp_prod",
    isolationMode: "ISOLATED",
    properties,
    ...over,
  });
const credential = (over: Record<string, unknown> = {}) =>
  res("databricks:index/storageCredential:StorageCredential", "lake-credential", {
    name: "hdp-prod-lake",
    awsIamRole: { roleArn: "arn:aws:iam::123456789012:role/hdp-prod-uc" },
    isolationMode: "ISOLATION_MODE_ISOLATED",
    ...over,
  });
const conf = (over: Record<string, string> = {}) =>
  res("databricks:index/workspaceConf:WorkspaceConf", "workspace-conf", {
    customConfig: {
      enableExportNotebook: "false",
      enableIpAccessLists: "true",
      enableNotebookTableClipboard: "false",
      enableResultsDownloading: "false",
      enableVerboseAuditLogs: "true",
      maxTokenLifetimeDays: "30",
      ...over,
    },
  });
const ipList = res("databricks:index/ipAccessList:IpAccessList", "workspace-ip-access-list", {
  label: "hdp-allow",
  listType: "ALLOW",
  ipAddresses: ["10.40.0.0/16"],
  enabled: true,
});
const csp = res(
  "databricks:index/complianceSecurityProfileWorkspaceSetting:ComplianceSecurityProfileWorkspaceSetting",
  "workspace-compliance-security-profile",
  { complianceSecurityProfileWorkspace: { isEnabled: true, complianceStandards: ["HIPAA"] } },
);
const jobCluster = (over: Record<string, unknown>) => {
  const j = job();
  const clusters = j.inputs.jobClusters as { newCluster: Record<string, unknown> }[];
  return job({
    jobClusters: [{ ...clusters[0], newCluster: { ...clusters[0].newCluster, ...over } }],
  });
};

const cases: RuleCase[] = [
  {
    rule: "databricks-local-disk-encryption",
    title: "cluster, job cluster and policy",
    resources: [cluster(), job(), clusterPolicy()],
  },
  {
    rule: "databricks-local-disk-encryption",
    title: "a job cluster without it",
    resources: [jobCluster({ enableLocalDiskEncryption: false })],
    violation: { name: "epic-ingest-job", message: /job cluster ingest does not encrypt/ },
  },
  {
    rule: "databricks-local-disk-encryption",
    title: "a policy leaving it open",
    resources: [clusterPolicy({ enable_local_disk_encryption: undefined })],
    violation: { name: "clinical-policy", message: /does not fix enable_local_disk_encryption/ },
  },
  {
    rule: "databricks-no-instance-profiles",
    title: "none anywhere",
    resources: [cluster(), job(), clusterPolicy()],
  },
  {
    rule: "databricks-no-instance-profiles",
    title: "a cluster with an instance profile",
    resources: [
      cluster({
        awsAttributes: { instanceProfileArn: "arn:aws:iam::123456789012:instance-profile/s3" },
      }),
    ],
    violation: {
      name: "analysts",
      message: /cluster uses instance profile .*instance-profile\/s3/,
    },
  },
  {
    rule: "databricks-no-instance-profiles",
    title: "a registered instance profile",
    resources: [
      res("databricks:index/instanceProfile:InstanceProfile", "s3-profile", {
        instanceProfileArn: "arn:aws:iam::123456789012:instance-profile/s3",
      }),
    ],
    violation: { name: "s3-profile", message: /registers instance profile/ },
  },
  {
    rule: "databricks-no-ssh-keys",
    title: "no keys, policy forbids them",
    resources: [cluster(), job(), clusterPolicy()],
  },
  {
    rule: "databricks-no-ssh-keys",
    title: "a cluster with a key",
    resources: [cluster({ sshPublicKeys: ["ssh-ed25519 AAAA admin"] })],
    violation: { name: "analysts", message: /carries 1 SSH public key/ },
  },
  {
    rule: "databricks-no-ssh-keys",
    title: "a policy allowing keys",
    resources: [clusterPolicy({ "ssh_public_keys.*": undefined })],
    violation: { name: "clinical-policy", message: /does not forbid ssh_public_keys/ },
  },
  {
    rule: "databricks-cluster-log-delivery",
    title: "logs to a UC volume",
    resources: [cluster(), job()],
  },
  {
    rule: "databricks-cluster-log-delivery",
    title: "logs to S3 with SSE-KMS",
    resources: [
      cluster({
        clusterLogConf: {
          s3: {
            destination: "s3://hdp-acme-prod-catalog/logs",
            enableEncryption: true,
            kmsKey: "arn:aws:kms:us-east-2:123456789012:key/1",
          },
        },
      }),
    ],
  },
  {
    rule: "databricks-cluster-log-delivery",
    title: "no log delivery",
    resources: [jobCluster({ clusterLogConf: undefined })],
    violation: { name: "epic-ingest-job", message: /keeps no logs/ },
  },
  {
    rule: "databricks-cluster-log-delivery",
    title: "logs to DBFS",
    resources: [cluster({ clusterLogConf: { dbfs: { destination: "dbfs:/cluster-logs" } } })],
    violation: { name: "analysts", message: /DBFS/ },
  },
  {
    rule: "databricks-jobs-run-as-service-principal",
    title: "a service principal in prod",
    resources: [job()],
  },
  {
    rule: "databricks-jobs-run-as-service-principal",
    title: "the deployer in dev",
    resources: [job({ runAs: undefined, tags: { ...HOUSE_TAGS, environment: "dev" } })],
    context: contextFor("dev"),
  },
  {
    rule: "databricks-jobs-run-as-service-principal",
    title: "the deployer in prod",
    resources: [job({ runAs: undefined })],
    violation: { name: "epic-ingest-job", message: /runs as whoever deployed it/ },
  },
  {
    rule: "databricks-jobs-run-as-service-principal",
    title: "a person in prod",
    resources: [job({ runAs: { userName: "someone@example.org" } })],
    violation: { name: "epic-ingest-job", message: /runs as someone@example.org/ },
  },
  {
    rule: "databricks-uc-isolation",
    title: "isolated catalog and credential",
    resources: [catalog(), credential()],
  },
  {
    rule: "databricks-uc-isolation",
    title: "an open catalog",
    resources: [catalog({ isolationMode: "OPEN" })],
    violation: { name: "lake-catalog", message: /isolationMode is OPEN/ },
  },
  {
    rule: "databricks-uc-isolation",
    title: "a credential with no isolation mode",
    resources: [credential({ isolationMode: undefined })],
    violation: { name: "lake-credential", message: /isolationMode is OPEN/ },
  },
  {
    rule: "databricks-workspace-hardening",
    title: "hardened, with an allow-list and the HIPAA profile",
    resources: [catalog(), conf(), ipList, csp],
  },
  {
    rule: "databricks-workspace-hardening",
    title: "a dev workspace without allow-list or profile",
    resources: [
      catalog({ properties: { ...properties, "hdp.environment": "dev" } }),
      conf({ enableIpAccessLists: "false", maxTokenLifetimeDays: "730" }),
    ],
    context: contextFor("dev"),
  },
  {
    rule: "databricks-workspace-hardening",
    title: "no workspace settings at all",
    resources: [catalog()],
    violation: { name: "lake-catalog", message: /no databricks.WorkspaceConf/ },
  },
  {
    rule: "databricks-workspace-hardening",
    title: "downloads allowed",
    resources: [catalog(), conf({ enableResultsDownloading: "true" }), ipList, csp],
    violation: { name: "lake-catalog", message: /enableResultsDownloading must be false/ },
  },
  {
    rule: "databricks-workspace-hardening",
    title: "real PHI without the compliance security profile",
    resources: [catalog(), conf(), ipList],
    violation: { name: "lake-catalog", message: /compliance security profile/ },
  },
];

describe("compute and workspace hardening rules", () => {
  test.each(rows(cases))("%s", (_, c) => check(c));
  it("have a compliant and a non-compliant case each", () => {
    expect(uncovered(computeHardeningPolicies, cases)).toEqual([]);
  });
});

/**
 * The real components, built with production-like arguments under @hdp/testing's record(), give
 * no mandatory violation; every resource type they create is covered by a rule or listed with
 * the reason it has none.
 */
import { record, type RecordedResource } from "@hdp/testing";
import { AuditTrail, LakeBuckets, OffAccountCopy } from "@hdp/lake";
import { AirflowEnvironment, bucketArnFor } from "@hdp/airflow";
import { SourceIngestRole } from "@hdp/iam";
import {
  ClusterPolicy,
  IngestJob,
  InstancePool,
  LakeCatalog,
  UnityCatalogStorage,
  WorkspaceHardening,
  cronToQuartz,
} from "@hdp/spark";
import { evaluate, type PolicyContext } from "./index";
import { policies } from "./policies";

const ACCOUNT = "123456789012"; // the mock account: outputs carry it
const tags = (domain: string, classification: string) => ({
  owner: "data-platform",
  domain,
  "data-classification": classification,
  environment: "prod",
  "cost-center": "cc-4711",
});
const prod: PolicyContext = {
  environment: "prod",
  enforcement: "mandatory",
  phi: "real",
  stack: "prod-core",
  accountIds: [ACCOUNT],
  maxWorkers: 64,
  dagCount: 180,
};

/** A production-like estate of one domain, built from the real components. */
function estate(): void {
  const dagBucket = "hdp-acme-prod-airflow-dags";
  const lake = new LakeBuckets("clinical", {
    namePrefix: "hdp-acme",
    environment: "prod",
    domain: "clinical",
    accountId: ACCOUNT,
    audit: { objectLock: { mode: "GOVERNANCE", days: 2190 } },
    accessLogs: { additionalSourceBucketArns: [bucketArnFor(dagBucket)] },
    tags: tags("clinical", "phi"),
  });
  const airflow = new AirflowEnvironment("airflow", {
    environmentName: "hdp-prod",
    accountId: ACCOUNT,
    region: "us-east-2",
    vpcId: "vpc-0a1b2c3d",
    privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    dagBucketName: dagBucket,
    accessLogs: lake.accessLogBucket.asTarget(),
    environmentClass: "mw1.medium",
    webserverIngressCidrs: ["10.20.0.0/16"],
    requirements: "apache-airflow-providers-databricks==6.13.0\n",
    expectedDagCount: 180,
    tags: tags("platform", "phi"),
  });
  new SourceIngestRole("epic-clarity", {
    source: "epic-clarity",
    tables: ["encounters", "labs"],
    bucketNames: [lake.bucketNames.landing],
    kmsKeyArn: lake.kmsKeyArn,
    region: "us-east-2",
    trustedPrincipalArn: airflow.executionRole.roleArn,
    tags: tags("clinical", "phi"),
  });
  const pool = new InstancePool("clinical", {
    nodeTypeId: "m6i.xlarge",
    maxCapacity: 40,
    preloadedSparkVersion: "15.4.x-scala2.12",
    tags: tags("clinical", "phi"),
  });
  const policy = new ClusterPolicy("clinical-phi", {
    instancePoolIds: [pool.instancePoolId],
    runtime: ["15.4.x-scala2.12"],
    maxWorkers: 8,
    clusterType: "job",
    tags: tags("clinical", "phi"),
  });
  new IngestJob("epic-clarity-ingest", {
    tasks: {
      bronze: { notebookPath: "/Workspace/hdp/ingest/bronze" },
      silver: { notebookPath: "/Workspace/hdp/ingest/silver" },
      gold: { notebookPath: "/Workspace/hdp/ingest/gold" },
    },
    cluster: {
      policyId: policy.policyId,
      instancePoolId: pool.instancePoolId,
      maxWorkers: 8,
      logVolumePath: "/Volumes/hdp_prod/hdp_ops/cluster_logs/epic-clarity-ingest",
    },
    runAsServicePrincipal: "6f1c2a3e-8d4b-4c1a-9e2f-3b5d7a9c0e11",
    onFailure: { emails: ["data-oncall@example.org"] },
    schedule: { quartzCronExpression: cronToQuartz("0 2 * * *"), timezoneId: "America/Chicago" },
    tags: tags("clinical", "phi"),
  });
  const storage = new UnityCatalogStorage("lake", {
    environment: "prod",
    accountId: ACCOUNT,
    buckets: {
      bronze: { bucketName: "hdp-acme-prod-clinical-bronze" },
      silver: { bucketName: "hdp-acme-prod-clinical-silver" },
      gold: { bucketName: "hdp-acme-prod-clinical-gold" },
    },
    kmsKeyArns: [lake.kmsKeyArn],
    tags: tags("platform", "phi"),
  });
  new LakeCatalog("lake", {
    catalogName: "hdp_prod",
    storage: storage.managedStorage("gold", "managed"),
    layerStorage: {
      bronze: storage.managedStorage("bronze", "managed"),
      silver: storage.managedStorage("silver", "managed"),
    },
    sources: { "epic-clarity": { classification: "phi" } },
    adminGroup: "hdp-platform-admins",
    catalogGrants: [{ principal: "clinical-analysts", privileges: ["USE_CATALOG"] }],
    schemaGrants: [
      { principal: "clinical-analysts", privileges: ["USE_SCHEMA", "SELECT"], layers: ["gold"] },
    ],
    tags: tags("platform", "phi"),
  });
  new AuditTrail("audit", {
    trailName: "hdp-acme-prod-phi-access",
    bucketName: "hdp-acme-prod-audit",
    keyAliasName: "alias/hdp-acme/prod/audit",
    accountId: ACCOUNT,
    region: "us-east-2",
    excludedBucketNames: ["hdp-acme-prod-clinical-logs"],
    retentionDays: 2192,
    accessLogs: lake.accessLogBucket.asTarget(),
    tags: tags("platform", "phi"),
  });
  new OffAccountCopy("phi-copy", {
    vaultName: "hdp-acme-prod-phi-copy",
    keyAliasName: "alias/hdp-acme/prod/backup",
    accountId: ACCOUNT,
    bucketArns: ["arn:aws:s3:::*"],
    requiredTags: { "data-classification": "phi" },
    destinationVaultArn: "arn:aws:backup:us-east-2:999999999999:backup-vault:phi-copy",
    tags: tags("platform", "phi"),
  });
  new WorkspaceHardening("workspace", {
    ipAccessList: ["10.20.0.0/16"],
    maxTokenLifetimeDays: 30,
    complianceSecurityProfile: true,
  });
}

/** Types with no rule of their own, and why. */
const NOT_CHECKED: Readonly<Record<string, string>> = {
  "aws:kms/alias:Alias": "a name for a key; the key is checked",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
    "attaches a checked policy; counted against managedPoliciesPerRole",
  "aws:backup/vault:Vault":
    "the local vault of the off-account copy: KMS-encrypted by the component; the copy rule checks the plan",
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration":
    "keeps recovery points for their retention; nothing unsafe to configure",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
    "egress; MWAA needs NAT or VPC endpoints (tagged by tags-required)",
};

let resources: readonly RecordedResource[];
beforeAll(async () => {
  resources = (await record(estate)).resources;
});

describe("the real components", () => {
  it("give no mandatory violation in production", () => {
    const results = evaluate(resources, prod);
    expect(results.map((r) => `${r.rule} ${r.name ?? "(stack)"}: ${r.message}`)).toEqual([]);
  });

  it("give no violation either in development (advisory)", () => {
    const dev: PolicyContext = {
      ...prod,
      environment: "dev",
      enforcement: "advisory",
      phi: "synthetic",
    };
    const results = evaluate(resources, dev);
    // Only the environment tag differs: the components were tagged for prod.
    expect([...new Set(results.map((r) => r.rule))]).toEqual(["tags-required"]);
    expect(results.every((r) => r.level === "advisory")).toBe(true);
  });

  it("create only types a rule checks or that are listed with a reason", () => {
    const checked = new Set(policies.flatMap((p) => p.doc.resourceTypes));
    const custom = [...new Set(resources.map((r) => r.type))]
      .filter((t) => !t.startsWith("hdp:") && !t.startsWith("pulumi:"))
      .sort();
    expect(custom.filter((t) => !checked.has(t) && NOT_CHECKED[t] === undefined)).toEqual([]);
    // The list names nothing the components no longer create.
    expect(Object.keys(NOT_CHECKED).filter((t) => !custom.includes(t))).toEqual([]);
  });

  it("are caught once a setting is removed (the recording is what the rules see)", () => {
    const withoutVersioning = resources.filter(
      (r) =>
        !(
          r.type === "aws:s3/bucketVersioning:BucketVersioning" &&
          r.name === "clinical-gold-versioning"
        ),
    );
    const results = evaluate(withoutVersioning, prod);
    expect(results.map((r) => [r.rule, r.name, r.level])).toEqual([
      ["s3-bucket-versioning", "clinical-gold-bucket", "mandatory"],
    ]);
  });
});

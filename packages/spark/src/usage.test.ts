/**
 * The README's program, run under mocks: the components fit together, and each child uses the
 * provider the caller passed through ordinary resource options (no component builds one).
 */
import * as aws from "@pulumi/aws";
import * as databricks from "@pulumi/databricks";
import type * as pulumi from "@pulumi/pulumi";
import { ofType, record } from "@hdp/testing";
import {
  ClusterPolicy,
  cronToQuartz,
  IngestJob,
  InstancePool,
  LakeCatalog,
  UnityCatalogStorage,
} from "./index";
import { HOUSE_TAGS as tags } from "./__fixtures__";

function readmeProgram() {
  const workspace = new databricks.Provider("prod-workspace", {
    host: "https://dbc-1234.cloud.databricks.com",
  });
  const awsProd = new aws.Provider("prod", { region: "us-east-2" });
  const pool = new InstancePool(
    "clinical",
    { nodeTypeId: "m6i.xlarge", maxCapacity: 40, tags },
    { provider: workspace },
  );
  const policy = new ClusterPolicy(
    "clinical-phi",
    {
      policyName: "hdp-prod-clinical-phi",
      instancePoolIds: [pool.instancePoolId],
      runtime: ["15.4.x-scala2.12"],
      maxWorkers: 8,
      clusterType: "job",
      tags,
    },
    { provider: workspace },
  );
  const job = new IngestJob(
    "epic-clarity",
    {
      jobName: "hdp-prod-epic-clarity-ingest",
      tasks: {
        bronze: { notebookPath: "/Workspace/hdp/ingest/bronze" },
        silver: { notebookPath: "/Workspace/hdp/ingest/silver" },
        gold: { notebookPath: "/Workspace/hdp/ingest/gold" },
      },
      cluster: { policyId: policy.policyId, instancePoolId: pool.instancePoolId, maxWorkers: 8 },
      onFailure: { emails: ["data-oncall@example.org"] },
      schedule: { quartzCronExpression: cronToQuartz("0 2 * * *"), timezoneId: "America/Chicago" },
      runAsServicePrincipal: "6a1c0b6e-0000-4000-8000-000000000001",
      tags,
    },
    { provider: workspace },
  );
  const storage = new UnityCatalogStorage(
    "lake",
    {
      environment: "prod",
      accountId: "123456789012",
      buckets: {
        bronze: { bucketName: "hdp-prod-clinical-bronze-123456789012" },
        silver: { bucketName: "hdp-prod-clinical-silver-123456789012" },
        gold: { bucketName: "hdp-prod-clinical-gold-123456789012" },
      },
      kmsKeyArns: ["arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
      tags,
    },
    { providers: { aws: awsProd, databricks: workspace } },
  );
  const catalog = new LakeCatalog(
    "lake",
    {
      catalogName: "hdp_prod",
      storage: storage.managedStorage("gold", "managed"),
      layerStorage: {
        bronze: storage.managedStorage("bronze", "managed"),
        silver: storage.managedStorage("silver", "managed"),
      },
      sources: {
        "epic-clarity": { classification: "phi" },
        workday: { classification: "confidential", layers: ["bronze", "silver"] },
      },
      adminGroup: "hdp-platform-admins",
      catalogGrants: [{ principal: "clinical-analysts", privileges: ["USE_CATALOG"] }],
      schemaGrants: [
        { principal: "clinical-analysts", privileges: ["USE_SCHEMA", "SELECT"], layers: ["gold"] },
      ],
      tags,
    },
    // Stateful: the catalog and schemas are protected and kept if removed from the program.
    { provider: workspace, protect: true, retainOnDelete: true },
  );
  return { workspace, awsProd, pool, policy, job, storage, catalog };
}

describe("the README program", () => {
  it("runs, and every child uses the provider passed in the options", async () => {
    const { resources, result } = await record(readmeProgram);
    expect(ofType(resources, "databricks:index/schema:Schema")).toHaveLength(5);
    expect(ofType(resources, "databricks:index/grants:Grants")).toHaveLength(6);

    const { workspace, awsProd, storage, catalog } = result;
    const databricksChildren: pulumi.CustomResource[] = [
      result.pool.pool,
      result.policy.policy,
      result.job.job,
      storage.credential,
      ...Object.values(storage.locations),
      catalog.catalog,
      catalog.catalogGrants,
      ...Object.values(catalog.schemas),
      ...Object.values(catalog.schemaGrants),
    ];
    for (const r of databricksChildren) {
      expect(r.getProvider("databricks::x")).toBe(workspace);
    }
    for (const r of [
      storage.role.role,
      ...storage.role.policies,
      ...storage.role.policyAttachments,
    ]) {
      expect(r.getProvider("aws::x")).toBe(awsProd);
    }
  });
});

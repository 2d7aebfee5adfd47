/**
 * buildStack on the small base estate (test/fixtures/base): the exact components of every kind
 * of stack, its exports, the providers every resource goes through, protection, tags and stable
 * logical names. The inputs the platform decides are in stack-inputs.test.ts.
 */
import { findResource, ofType, type RecordedResource } from "@hdp/testing";
import type { Estate } from "@hdp/config";
import {
  baseEstate,
  engineUrns,
  recordAll,
  recordStack,
  refName,
  STATEFUL_TYPES,
  type RecordedStack,
} from "./__fixtures__";
import { buildStack } from "./build-stack";
import { CORE_EXPORT_KEYS } from "./refs";

let stacks: Map<string, RecordedStack>;
beforeAll(async () => {
  stacks = await recordAll(baseEstate());
});
const stack = (name: string): RecordedStack => {
  const s = stacks.get(name);
  if (s === undefined) throw new Error(`no recording of ${name}`);
  return s;
};
/** `xs`, after checking it is not empty: a loop over nothing would check nothing. */
function some<T>(xs: readonly T[], what: string): readonly T[] {
  expect([what, xs.length > 0]).toEqual([what, true]);
  return xs;
}
const topLevel = (rs: readonly RecordedResource[]) =>
  rs
    .filter((r) => r.parent === undefined)
    .map((r) => `${r.type}::${r.name}`)
    .sort();
const HOUSE_TAGS = ["owner", "domain", "data-classification", "environment", "cost-center"];
/** AWS types that take no tags (settings of a bucket, aliases, attachments). */
const UNTAGGABLE = new Set([
  "aws:kms/alias:Alias",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLogging:BucketLogging",
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  "aws:backup/selection:Selection",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketVersioning:BucketVersioning",
]);

const CORE = [
  "hdp:airflow:AirflowEnvironment::airflow",
  "hdp:lake:AccessLogBucket::access-logs",
  "hdp:lake:AuditTrail::audit",
  "hdp:lake:LakeBuckets::clinical",
  "hdp:lake:LakeBuckets::workforce",
  "hdp:lake:LakeKey::catalog-key",
  "hdp:lake:SecureBucket::catalog-root",
  "hdp:platform:ClusterLogVolume::cluster-logs",
  "hdp:platform:EnvironmentCatalog::lake",
  "hdp:spark:ClusterPolicy::clinical",
  "hdp:spark:ClusterPolicy::workforce",
  "hdp:spark:InstancePool::clinical",
  "hdp:spark:InstancePool::workforce",
  "hdp:spark:UnityCatalogStorage::unity-catalog",
  "hdp:spark:WorkspaceFiles::ingest-code",
  "hdp:spark:WorkspaceHardening::workspace",
];
const PROVIDERS = ["pulumi:providers:aws::aws", "pulumi:providers:databricks::databricks"];

describe("what each stack holds", () => {
  it("an unsharded environment holds the core and every enabled source", () => {
    expect(topLevel(stack("dev").resources)).toEqual(
      [
        ...CORE,
        ...PROVIDERS,
        "hdp:iam:SourceIngestRole::lab",
        "hdp:iam:SourceIngestRole::payroll",
        "hdp:platform:SourceSchemas::lab",
        "hdp:platform:SourceSchemas::payroll",
        "hdp:spark:IngestJob::lab--ingest",
        "hdp:spark:IngestJob::lab--results",
        "hdp:spark:IngestJob::payroll--ingest",
        "hdp:spark:WorkspaceFiles::lab-specs",
        "hdp:spark:WorkspaceFiles::payroll-specs",
        "hdp:airflow:DagFiles::dags",
      ].sort(),
    );
  });

  it("a core stack holds the shared objects only", () => {
    // Only prod copies its PHI buckets to another account (offAccountCopy in its config).
    expect(topLevel(stack("prod-core").resources)).toEqual(
      [...CORE, "hdp:lake:OffAccountCopy::phi-copy", ...PROVIDERS].sort(),
    );
  });

  test.each([
    ["prod-clinical", ["lab"], ["lab--ingest", "lab--results"]],
    ["prod-business", ["payroll"], ["payroll--ingest", "payroll--timesheets"]],
  ])(
    "shard %s holds its sources' objects and one StackReference to prod-core",
    (name, sources, jobs) => {
      expect(topLevel(stack(name).resources)).toEqual(
        [
          ...PROVIDERS,
          "pulumi:pulumi:StackReference::core",
          ...sources.flatMap((s) => [
            `hdp:iam:SourceIngestRole::${s}`,
            `hdp:platform:SourceSchemas::${s}`,
            `hdp:spark:WorkspaceFiles::${s}-specs`,
          ]),
          ...jobs.map((j) => `hdp:spark:IngestJob::${j}`),
          "hdp:airflow:DagFiles::dags",
        ].sort(),
      );
      const ref = findResource(stack(name).resources, "pulumi:pulumi:StackReference", "core");
      expect(ref.inputs.name).toBe(refName("prod-core"));
    },
  );

  it("a core stack exports what its shards read", () => {
    const exports = stack("prod-core").exports;
    expect(Object.keys(exports).sort()).toEqual(
      ["environment", "stack", ...CORE_EXPORT_KEYS].sort(),
    );
    expect(exports.lakeBucketNames).toEqual({
      clinical: {
        landing: "tst-prod-clinical-landing-222222222222",
        bronze: "tst-prod-clinical-bronze-222222222222",
        silver: "tst-prod-clinical-silver-222222222222",
        gold: "tst-prod-clinical-gold-222222222222",
      },
      workforce: {
        landing: "tst-prod-workforce-landing-222222222222",
        bronze: "tst-prod-workforce-bronze-222222222222",
        silver: "tst-prod-workforce-silver-222222222222",
        gold: "tst-prod-workforce-gold-222222222222",
      },
    });
    expect(exports.catalogName).toBe("tst_prod");
    expect(exports.dagBucketName).toBe("tst-prod-airflow-222222222222");
    expect(exports.mwaaEnvironmentName).toBe("tst-prod-airflow");
    for (const key of ["lakeKmsKeyArns", "clusterPolicyIds", "instancePoolIds"]) {
      expect(Object.keys(exports[key] as object)).toEqual(["clinical", "workforce"]);
    }
  });

  it("names the valid stacks when asked for an unknown one", () => {
    expect(() => buildStack(baseEstate(), "stage")).toThrow(
      'unknown stack "stage": the estate has the stacks dev, prod-core, prod-clinical, prod-business',
    );
  });
});

describe("access for people", () => {
  it("admits the environment's access.airflowUi path on 443 into the MWAA security group", () => {
    const https = ofType(
      stack("dev").resources,
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    )
      .filter((r) => r.inputs.fromPort === 443)
      .map((r) => ({ name: r.name, cidr: r.inputs.cidrIpv4, to: r.inputs.toPort }));
    expect(https).toEqual([
      { name: "airflow-sg-https-10-250-0-0-16", cidr: "10.250.0.0/16", to: 443 },
    ]);
  });
});

describe("providers", () => {
  test.each(["dev", "prod-core", "prod-clinical", "prod-business"])(
    "every resource of %s goes through the stack's explicit AWS or Databricks provider",
    (name) => {
      const { resources } = stack(name);
      const aws = findResource(resources, "pulumi:providers:aws", "aws");
      const databricks = findResource(resources, "pulumi:providers:databricks", "databricks");
      const account = name === "dev" ? "111111111111" : "222222222222";
      expect(aws.inputs).toMatchObject({
        region: "us-east-2",
        allowedAccountIds: JSON.stringify([account]),
      });
      expect(JSON.parse(aws.inputs.defaultTags as string)).toEqual({
        tags: { environment: name === "dev" ? "dev" : "prod" },
      });
      expect(databricks.inputs).toEqual({
        host:
          name === "dev" ? "https://dev.cloud.databricks.com" : "https://prod.cloud.databricks.com",
      });
      const custom = resources.filter((x) => x.custom && !x.type.startsWith("pulumi:"));
      for (const r of some(custom, `custom resources of ${name}`)) {
        const provider = r.type.startsWith("aws:") ? aws : databricks;
        expect([r.urn, r.provider?.startsWith(`${provider.urn}::`)]).toEqual([r.urn, true]);
      }
    },
  );
});

describe("protection", () => {
  test.each([
    ["dev", false],
    ["prod-core", true],
    ["prod-clinical", true],
  ])("stateful resources of %s are protected and retained: %s", (name, on) => {
    const stateful = stack(name).resources.filter((r) =>
      (STATEFUL_TYPES as readonly string[]).includes(r.type),
    );
    expect(stateful.length).toBeGreaterThan(0);
    for (const r of stateful) expect([r.urn, r.protect, r.retainOnDelete]).toEqual([r.urn, on, on]);
  });

  it("roles, policies, jobs and grants stay deletable in prod (they hold no data)", () => {
    const all = [...stack("prod-core").resources, ...stack("prod-clinical").resources];
    for (const type of [
      "aws:iam/role:Role",
      "aws:iam/policy:Policy",
      "databricks:index/job:Job",
      "databricks:index/grants:Grants",
    ]) {
      for (const r of some(ofType(all, type), type)) {
        expect([r.urn, r.protect]).toEqual([r.urn, false]);
      }
    }
  });
});

describe("tags", () => {
  test.each(["dev", "prod-core", "prod-business"])(
    "every taggable resource of %s carries the house tags",
    (name) => {
      const taggable = stack(name).resources.filter(
        (x) => x.custom && x.type.startsWith("aws:") && !UNTAGGABLE.has(x.type),
      );
      for (const r of some(taggable, `taggable AWS resources of ${name}`)) {
        const tags = r.inputs.tags as Record<string, string> | undefined;
        expect([r.urn, HOUSE_TAGS.filter((k) => !tags?.[k])]).toEqual([r.urn, []]);
      }
      const jobs = ofType(stack(name).resources, "databricks:index/job:Job");
      const pools = ofType(stack(name).resources, "databricks:index/instancePool:InstancePool");
      some([...jobs, ...pools], `jobs and pools of ${name}`);
      for (const r of jobs) {
        expect(Object.keys(r.inputs.tags as object)).toEqual(expect.arrayContaining(HOUSE_TAGS));
      }
      for (const r of pools) {
        expect(Object.keys(r.inputs.customTags as object)).toEqual(
          expect.arrayContaining(HOUSE_TAGS),
        );
      }
    },
  );

  it("per-source objects are owned by the source's team and paid by its domain", () => {
    const { resources } = stack("prod-business");
    const role = findResource(resources, "aws:iam/role:Role", "payroll-role");
    expect(role.inputs.tags).toEqual({
      owner: "hr-data",
      domain: "workforce",
      "data-classification": "pii",
      environment: "prod",
      "cost-center": "CC-2001",
    });
  });
});

describe("stable logical names", () => {
  it("reordering every list of the estate changes no URN", async () => {
    const e = baseEstate();
    const reordered: Estate = {
      ...e,
      sources: [...e.sources].reverse(),
      tables: [...e.tables].reverse(),
      pipelines: [...e.pipelines].reverse().map((p) => ({ ...p, tables: [...p.tables].reverse() })),
      platform: { ...e.platform, domains: [...e.platform.domains].reverse() },
      environments: [...e.environments].reverse(),
    };
    const again = await recordAll(reordered);
    expect([...stacks.keys()].sort()).toEqual([...again.keys()].sort());
    for (const [name, recorded] of some([...stacks], "recorded stacks")) {
      expect(engineUrns(again.get(name)!.resources).sort()).toEqual(
        engineUrns(recorded.resources).sort(),
      );
    }
  });

  it("the pulumi organization and project only change the StackReference's target", async () => {
    const r = await recordStack(
      baseEstate(),
      "prod-clinical",
      { [`acme/hdp/prod-core`]: stack("prod-core").exports },
      {
        pulumiOrg: "acme",
        project: "hdp",
      },
    );
    expect(findResource(r.resources, "pulumi:pulumi:StackReference", "core").inputs.name).toBe(
      "acme/hdp/prod-core",
    );
    expect(engineUrns(r.resources).sort()).toEqual(
      engineUrns(stack("prod-clinical").resources).sort(),
    );
  });
});

/**
 * The shared objects of an environment (its core): the access-log bucket, one lake per domain,
 * the catalog's storage, Unity Catalog storage and catalog, MWAA, and per domain a cluster
 * policy and an instance pool. Returns what per-source objects need ({@link CoreRefs}) and the
 * stack's exports (what shard stacks read through their StackReference).
 */
import type * as pulumi from "@pulumi/pulumi";
import { logBucketName, dagBucketName, mwaaEnvironmentName, type Layer } from "@hdp/config";
import { auditBucketArns, createAuditTrail } from "./audit";
import { createOffAccountCopy } from "./backup";
import { ClusterLogVolume } from "./cluster-logs";
import { createWorkspaceHardening } from "./workspace";
import { AirflowEnvironment, bucketArnFor } from "@hdp/airflow";
import { airflowRequirements } from "@hdp/dags";
import { AccessLogBucket, LakeBuckets, LakeKey, SecureBucket } from "@hdp/lake";
import {
  ClusterPolicy,
  InstancePool,
  isLtsRuntime,
  UnityCatalogStorage,
  WorkspaceFiles,
} from "@hdp/spark";
import { catalogGrants, locationGrants, policyUsers, poolAccess } from "./access";
import { EnvironmentCatalog } from "./catalog";
import type { IngestCodeFile } from "./ingest-code";
import { INGEST_ROOT } from "./ingest-paths";
import {
  CATALOG_LOCATION_ID,
  catalogBucketName,
  catalogKeyAlias,
  ingestRoleArnPattern,
  locationId,
} from "./names";
import { statefulOptions, type DomainPlan, type StackPlan } from "./plan";
import type { StackProviders } from "./providers";
import { coreExports, type CoreRefs, type StackExports } from "./refs";

/** Layers Delta Lake rewrites on every commit: they take the environment's short version history. */
const DELTA_LAYERS = ["bronze", "silver", "gold"] as const;

/** Creates the environment's shared objects. */
export function createCore(
  plan: StackPlan,
  providers: StackProviders,
  code: readonly IngestCodeFile[],
): { refs: CoreRefs; exports: StackExports } {
  const env = plan.environment;
  const c = plan.names;
  const stateful = statefulOptions(plan);
  const opts = { providers: [...providers.all] };
  const shared = plan.sharedTags;

  const catalogBucket = catalogBucketName(c);
  const dagBucket = dagBucketName(c);
  const accessLogs = new AccessLogBucket(
    "access-logs",
    {
      bucketName: logBucketName(c),
      accountId: env.aws.accountId,
      sourceBucketArns: [
        bucketArnFor(catalogBucket),
        bucketArnFor(dagBucket),
        ...auditBucketArns(plan),
      ].sort(),
      retentionDays: env.retention.logDays,
      tags: shared,
    },
    // Stateful: protected and retained (as resource options, which the component honours).
    { ...opts, ...stateful },
  );

  const lakes = new Map(plan.domains.map((d) => [d.id, createLake(plan, d, opts)]));
  createAuditTrail(plan, accessLogs, opts);
  createWorkspaceHardening(plan, opts);

  const catalogKey = new LakeKey(
    "catalog-key",
    {
      accountId: env.aws.accountId,
      aliasName: catalogKeyAlias(c),
      description: `Catalog storage of ${plan.catalogName} (${env.name})`,
      tags: shared,
    },
    // Stateful: protected and retained (as resource options, which the component honours).
    { ...opts, ...stateful },
  );
  const catalogRoot = new SecureBucket(
    "catalog-root",
    {
      bucketName: catalogBucket,
      kmsKeyArn: catalogKey.keyArn,
      accessLogs: accessLogs.asTarget(),
      noncurrentVersionExpirationDays: env.retention.noncurrentVersionDays,
      tags: shared,
    },
    // Stateful: protected and retained (as resource options, which the component honours).
    { ...opts, ...stateful },
  );

  createOffAccountCopy(plan, opts, [...lakes.values(), catalogRoot]);

  const airflow = new AirflowEnvironment(
    "airflow",
    {
      environmentName: mwaaEnvironmentName(c),
      accountId: env.aws.accountId,
      region: plan.region,
      vpcId: env.aws.vpcId,
      privateSubnetIds: [...env.aws.privateSubnetIds],
      dagBucketName: dagBucket,
      accessLogs: accessLogs.asTarget(),
      airflowVersion: env.airflow.version,
      environmentClass: env.airflow.environmentClass,
      minWorkers: env.airflow.minWorkers,
      maxWorkers: env.airflow.maxWorkers,
      webserverAccessMode: env.airflow.webserverAccess,
      // The people's path to the PRIVATE_ONLY UI (the VPN), from the environment's access: config.
      webserverIngressCidrs: [...env.access.airflowUi.cidrs],
      webserverIngressSecurityGroupIds: [...env.access.airflowUi.securityGroups],
      logRetentionDays: env.retention.logDays,
      // The environment's config says PUBLIC_ONLY, visibly: the component accepts it, and the
      // policy pack still reports it (mandatory outside dev).
      ...(env.airflow.webserverAccess === "PUBLIC_ONLY"
        ? { acceptInsecure: ["mwaa-private-webserver"] }
        : {}),
      expectedDagCount: plan.dagCount,
      // The Databricks provider the DAGs import, pinned for this Airflow under its constraints.
      requirements: airflowRequirements(env.airflow.version),
      // DAG tasks land source extracts as the source's ingest role (which trusts this role).
      executionRoleStatements: [
        { Effect: "Allow", Action: ["sts:AssumeRole"], Resource: [ingestRoleArnPattern(c)] },
      ],
      tags: shared,
    },
    // Stateful: protected and retained (as resource options, which the component honours).
    { ...opts, ...stateful },
  );

  const db = env.databricks;
  const buckets: Record<
    string,
    { bucketName: string; readOnly: boolean; grants?: ReturnType<typeof locationGrants> }
  > = {
    [CATALOG_LOCATION_ID]: { bucketName: catalogBucket, readOnly: false },
  };
  for (const d of plan.domains) {
    for (const layer of Object.keys(d.bucketNames) as Layer[]) {
      // Raw files are only read by Spark; they are written by the sources' ingest roles.
      buckets[locationId(d.id, layer)] = {
        bucketName: d.bucketNames[layer],
        readOnly: layer === "landing",
        grants: locationGrants(db, d.id, layer),
      };
    }
  }
  const storage = new UnityCatalogStorage(
    "unity-catalog",
    {
      environment: env.name,
      namePrefix: c.org,
      accountId: env.aws.accountId,
      buckets,
      kmsKeyArns: [catalogKey.keyArn, ...[...lakes.values()].map((l) => l.kmsKeyArn)],
      // The admin group holds the credential and every location (grants are authoritative).
      adminGroup: db.adminGroup,
      tags: shared,
    },
    // Stateful (credential, locations): protected and retained, as resource options.
    { ...opts, ...stateful },
  );
  const catalog = new EnvironmentCatalog(
    "lake",
    {
      catalogName: plan.catalogName,
      storage: storage.managedStorage(CATALOG_LOCATION_ID, "managed"),
      adminGroup: env.databricks.adminGroup,
      catalogGrants: catalogGrants(db),
      waitFor: [catalogRoot],
      tags: shared,
    },
    // Stateful: protected and retained (as resource options, which the component honours).
    { ...opts, ...stateful },
  );

  new ClusterLogVolume(
    "cluster-logs",
    {
      catalogName: catalog.catalogName,
      adminGroup: env.databricks.adminGroup,
      ...(env.databricks.hardening.jobsRunAs !== undefined
        ? { writer: env.databricks.hardening.jobsRunAs }
        : {}),
      tags: shared,
      waitFor: [catalog],
    },
    { ...opts, ...stateful },
  );

  // The ingest code every job runs: one workspace file per file of hdp_pipelines.
  new WorkspaceFiles("ingest-code", { root: INGEST_ROOT, files: code }, opts);

  const pools = new Map<string, InstancePool>();
  const policies = new Map<string, ClusterPolicy>();
  // The environment's config pins a non-LTS runtime, visibly: the components accept it, and the
  // policy pack still reports it.
  const acceptRuntime = acceptedRuntimeFinding(env.compute.sparkVersions);
  for (const d of plan.domains) {
    const pool = new InstancePool(
      d.id,
      {
        poolName: d.poolName,
        nodeTypeId: env.compute.nodeTypes[0],
        maxCapacity: d.poolCapacity,
        ...preloadedRuntime(env.compute.sparkVersions),
        ...acceptRuntime,
        access: poolAccess(db, d.id),
        tags: d.tags,
      },
      opts,
    );
    pools.set(d.id, pool);
    policies.set(
      d.id,
      new ClusterPolicy(
        d.id,
        {
          policyName: d.policyName,
          description: `Job clusters of the ${d.id} domain (${d.classification}) in ${env.name}, managed by health-data-platform`,
          // One user or service principal per cluster: no shared compute over classified data.
          dataSecurityMode: "SINGLE_USER",
          runtime: policyRuntime(env.compute.sparkVersions),
          instancePoolIds: [pool.instancePoolId],
          maxWorkers: env.compute.maxWorkers,
          clusterType: "job",
          users: policyUsers(db, d.id),
          ...acceptRuntime,
          tags: d.tags,
        },
        opts,
      ),
    );
  }

  const refs: CoreRefs = {
    kmsKeyArn: (domain) => required(lakes, domain, "lake").kmsKeyArn,
    clusterPolicyId: (domain) => required(policies, domain, "cluster policy").policyId,
    instancePoolId: (domain) => required(pools, domain, "instance pool").instancePoolId,
    catalogName: catalog.catalogName,
    mwaaExecutionRoleArn: airflow.executionRole.roleArn,
    dagBucketSettings: airflow.dagBucket.settings,
    waitFor: (domain, layer) => {
      const location = storage.locations[locationId(domain, layer)];
      return [required(lakes, domain, "lake"), ...(location !== undefined ? [location] : [])];
    },
  };
  const exports = coreExports(plan, {
    lakes,
    accessLogBucketName: accessLogs.bucketName,
    catalogName: catalog.catalogName,
    policies,
    pools,
    airflow,
  });
  return { refs, exports };
}

/** One domain's lake with the names `hdp validate` checked and the environment's retention. */
function createLake(
  plan: StackPlan,
  d: DomainPlan,
  opts: pulumi.ComponentResourceOptions,
): LakeBuckets {
  const env = plan.environment;
  const delta = { noncurrentVersionExpirationDays: env.retention.noncurrentVersionDays };
  return new LakeBuckets(
    d.id,
    {
      namePrefix: plan.names.org,
      environment: env.name,
      domain: d.id,
      bucketNames: { ...d.bucketNames, logs: d.logBucketName },
      accountId: env.aws.accountId,
      key: { aliasName: d.keyAlias },
      layers: Object.fromEntries(DELTA_LAYERS.map((l) => [l, delta])),
      accessLogs: { retentionDays: env.retention.logDays },
      tags: d.tags,
    },
    { ...opts, ...statefulOptions(plan) },
  );
}

/**
 * The policy's `runtime`: an `auto:` alias alone as a string (the policy resolves it), else the
 * allow-list of runtime keys.
 */
export function policyRuntime(sparkVersions: readonly string[]): string | string[] {
  const [first] = sparkVersions;
  return sparkVersions.length === 1 && first !== undefined && first.startsWith("auto:")
    ? first
    : [...sparkVersions];
}

/** `acceptInsecure` for the runtime rule when the config lists a key outside the LTS releases. */
export function acceptedRuntimeFinding(sparkVersions: readonly string[]): {
  acceptInsecure?: string[];
} {
  return sparkVersions.every((v) => isLtsRuntime(v))
    ? {}
    : { acceptInsecure: ["databricks-lts-runtime"] };
}

/** Pools preload the first runtime when it is a real key (pools cannot resolve `auto:` aliases). */
export function preloadedRuntime(sparkVersions: readonly string[]): {
  preloadedSparkVersion?: string;
} {
  const first = sparkVersions[0];
  return first !== undefined && !first.startsWith("auto:") ? { preloadedSparkVersion: first } : {};
}

function required<T>(map: Readonly<Map<string, T>>, domain: string, what: string): T {
  const found = map.get(domain);
  if (found === undefined) throw new Error(`no ${what} for domain "${domain}" in this environment`);
  return found;
}

/**
 * What the programs of the insecure corpus (test/fixtures/insecure/<case>/program.ts) share.
 * Each program runs the real `buildStack` of @hdp/platform and then adds one insecure usage,
 * as an engineer extending the platform would write it. Everything here is what a careful
 * engineer would get right (house tags, the stack's own providers, the environment's names), so
 * each case shows only its own mistake.
 *
 * The root package lists only some workspace packages (config, platform, plan, cli, …): the
 * component packages are re-exported here by path, the same files their "@hdp/<name>" import
 * resolves to under the @hdp/source condition.
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as DatabricksProvider } from "@pulumi/databricks/provider";
import { logBucketName, type Environment, type Estate, type NameContext } from "@hdp/config";
import {
  awsProviderArgs,
  clusterLogPath,
  coreStackName,
  DEFAULT_PROJECT,
  DEFAULT_PULUMI_ORG,
  domainTags,
  nameContext,
  planStack,
  stackReferenceName,
  type BuildOptions,
  type CoreExportKey,
  type StackExports,
  type StackPlan,
} from "@hdp/platform";

export { DagFiles, MWAA_LOG_TYPES, mwaaLogGroupName } from "@hdp/airflow";
export { ScopedRole, SourceIngestRole } from "@hdp/iam";
export { LakeKey, SecureBucket } from "@hdp/lake";
export { ClusterPolicy, IngestJob } from "@hdp/spark";
import type { IngestJobArgs } from "@hdp/spark";

/** The stack a case program extends: its environment, names, tags and providers. */
export interface CaseStack {
  readonly plan: StackPlan;
  readonly environment: Environment;
  readonly names: NameContext;
  readonly accountId: string;
  readonly region: string;
  /** The environment's S3 server access-log bucket (the core's `AccessLogBucket`). */
  readonly accessLogBucket: string;
  /** An AWS provider like the platform's: the environment's account and region, default tags. */
  readonly aws: AwsProvider;
  /** A workspace-level Databricks provider on the environment's workspace. */
  readonly databricks: DatabricksProvider;
  /** Both providers, for a component's `providers` option. */
  readonly providers: pulumi.ComponentResourceOptions;
  /** House tags of a domain's objects: owner, domain, data-classification, environment, cost-center. */
  tags(domain: string): Record<string, string>;
  /** The house tags of the environment's shared objects. */
  readonly sharedTags: Record<string, string>;
  /**
   * One domain's entry of a core export (`clusterPolicyIds`, `instancePoolIds`, …): from the
   * stack's own exports in a core or unsharded stack, through a StackReference in a shard.
   */
  core(key: CoreExportKey, domain: string): pulumi.Output<string>;
}

/**
 * The stack `stackName` of `estate`, for a case program to add resources to; `exports` are what
 * the platform's `buildStack` returned for it.
 */
export function caseStack(
  estate: Estate,
  stackName: string,
  exports: StackExports,
  options: BuildOptions = {},
): CaseStack {
  const plan = planStack(estate, stackName);
  let ref: pulumi.StackReference | undefined;
  const coreMaps = (key: CoreExportKey): pulumi.Output<unknown> => {
    if (plan.role !== "shard") return pulumi.output(exports[key]);
    const core = coreStackName(estate, plan.environment.name) as string;
    ref ??= new pulumi.StackReference("case-core", {
      name: stackReferenceName(
        options.pulumiOrg ?? DEFAULT_PULUMI_ORG,
        options.project ?? DEFAULT_PROJECT,
        core,
      ),
    });
    return ref.requireOutput(key);
  };
  const names = nameContext(estate, plan.environment);
  const aws = new AwsProvider("case-aws", awsProviderArgs(estate, plan));
  const databricks = new DatabricksProvider("case-databricks", {
    host: plan.environment.databricks.workspaceUrl,
  });
  return {
    plan,
    environment: plan.environment,
    names,
    accountId: plan.environment.aws.accountId,
    region: plan.region,
    accessLogBucket: logBucketName(names),
    aws,
    databricks,
    providers: { providers: [aws, databricks] },
    tags: (domain) => ({ ...domainTags(estate, plan.environment.name, domain) }),
    sharedTags: { ...plan.sharedTags },
    core: (key, domain) =>
      coreMaps(key).apply((byDomain) => (byDomain as Record<string, string>)[domain]),
  };
}

/**
 * The arguments of a compliant backfill IngestJob for the lab source of `c` (bronze and silver of
 * `results`, under the clinical domain's policy and pool, alerting the environment): a case
 * spreads it and changes the one thing its mistake is about.
 */
export function labBackfillJob(c: CaseStack): IngestJobArgs {
  const task = (layer: string) => ({
    notebookPath: `/Workspace/hdp/ingest/${layer}`,
    parameters: { source: "lab", tables: "results" },
  });
  return {
    jobName: `${c.names.org}-${c.names.env}-lab__backfill`,
    tasks: { bronze: task("bronze"), silver: task("silver") },
    cluster: {
      policyId: c.core("clusterPolicyIds", "clinical"),
      instancePoolId: c.core("instancePoolIds", "clinical"),
      maxWorkers: c.environment.compute.maxWorkers,
      logVolumePath: clusterLogPath(
        c.plan.catalogName,
        `${c.names.org}-${c.names.env}-lab__backfill`,
      ),
    },
    ...(c.environment.databricks.hardening.jobsRunAs !== undefined
      ? { runAsServicePrincipal: c.environment.databricks.hardening.jobsRunAs }
      : {}),
    // Started from outside (Airflow, or an engineer's run): Airflow's identity may run it.
    ...(c.environment.databricks.hardening.airflowPrincipal !== undefined
      ? { triggeredBy: c.environment.databricks.hardening.airflowPrincipal }
      : {}),
    onFailure: { emails: [...c.environment.alertEmails] },
    tags: c.tags("clinical"),
  };
}

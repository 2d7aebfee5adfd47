/**
 * What per-source objects need from the core ({@link CoreRefs}), and the two ways to get it: from
 * the core objects created in the same stack, or from the core stack's exports through one
 * StackReference. The export keys are the contract with shard stacks (and @hdp/plan).
 */
import * as pulumi from "@pulumi/pulumi";
import type { AirflowEnvironment } from "@hdp/airflow";
import type { Layer } from "@hdp/config";
import type { LakeBuckets } from "@hdp/lake";
import type { ClusterPolicy, InstancePool } from "@hdp/spark";
import type { StackPlan } from "./plan";

/** A stack's exports: plain JSON-able values or Outputs of them. */
// The union is the contract with @hdp/plan as written; `unknown` alone would say the same.
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents
export type StackExports = Record<string, pulumi.Output<unknown> | unknown>;

/** What the per-source objects of a stack take from the environment's core. */
export interface CoreRefs {
  /** ARN of a domain's lake key. */
  kmsKeyArn(domain: string): pulumi.Input<string>;
  clusterPolicyId(domain: string): pulumi.Input<string>;
  instancePoolId(domain: string): pulumi.Input<string>;
  readonly catalogName: pulumi.Input<string>;
  /** The MWAA execution role: the one principal ingest roles trust. */
  readonly mwaaExecutionRoleArn: pulumi.Input<string>;
  /**
   * What a schema in a domain's layer bucket waits for: the bucket's lake and external location
   * when they are in this stack; nothing in a shard, whose core stack was deployed first.
   */
  waitFor(domain: string, layer: Layer): pulumi.Resource[];
  /** The DAG bucket's settings, when the bucket is in this stack: DAG uploads wait for them. */
  readonly dagBucketSettings?: readonly pulumi.Resource[];
}

/**
 * The keys a core stack exports for its shards. Domain-keyed maps hold one entry per domain
 * with enabled sources.
 */
export const CORE_EXPORT_KEYS = [
  "accessLogBucketName",
  "catalogName",
  "clusterPolicyIds",
  "dagBucketName",
  "instancePoolIds",
  "lakeBucketArns",
  "lakeBucketNames",
  "lakeKmsKeyArns",
  "mwaaEnvironmentName",
  "mwaaExecutionRoleArn",
] as const;

/** One of {@link CORE_EXPORT_KEYS}. */
export type CoreExportKey = (typeof CORE_EXPORT_KEYS)[number];

/** The core objects whose outputs are exported. */
export interface CoreObjects {
  readonly lakes: ReadonlyMap<string, LakeBuckets>;
  readonly accessLogBucketName: pulumi.Output<string>;
  readonly catalogName: pulumi.Output<string>;
  readonly policies: ReadonlyMap<string, ClusterPolicy>;
  readonly pools: ReadonlyMap<string, InstancePool>;
  readonly airflow: AirflowEnvironment;
}

/** One entry per domain, keys sorted, as one Output. */
function byDomain<T>(
  map: ReadonlyMap<string, T>,
  value: (t: T) => unknown,
): pulumi.Output<unknown> {
  const entries = [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pulumi.output(Object.fromEntries(entries.map(([d, t]) => [d, value(t)])));
}

/** The exports of a stack that holds the environment's core. */
export function coreExports(plan: StackPlan, core: CoreObjects): StackExports {
  const exports: Record<CoreExportKey, unknown> = {
    accessLogBucketName: core.accessLogBucketName,
    catalogName: core.catalogName,
    clusterPolicyIds: byDomain(core.policies, (p) => p.policyId),
    dagBucketName: core.airflow.dagBucket.bucketName,
    instancePoolIds: byDomain(core.pools, (p) => p.instancePoolId),
    lakeBucketArns: byDomain(core.lakes, (l) => l.bucketArns),
    lakeBucketNames: byDomain(core.lakes, (l) => l.bucketNames),
    lakeKmsKeyArns: byDomain(core.lakes, (l) => l.kmsKeyArn),
    mwaaEnvironmentName: core.airflow.environment.name,
    mwaaExecutionRoleArn: core.airflow.executionRole.roleArn,
  };
  return { ...stackIdentity(plan), ...exports };
}

/** The environment and stack, exported by every stack. */
export function stackIdentity(plan: StackPlan): StackExports {
  return { environment: plan.environment.name, stack: plan.stack.name };
}

/** An export of the core stack; fails the deployment with the key when it is missing. */
function entry(
  ref: pulumi.StackReference,
  key: CoreExportKey,
  domain: string,
): pulumi.Output<string> {
  return ref.requireOutput(key).apply((map: unknown) => {
    const value = (map as Record<string, unknown> | undefined)?.[domain];
    if (typeof value !== "string") {
      throw new Error(
        `the core stack's export "${key}" has no entry for domain "${domain}": deploy the core stack first`,
      );
    }
    return value;
  });
}

/** {@link CoreRefs} read from the core stack's exports. */
export function refsFromStackReference(ref: pulumi.StackReference): CoreRefs {
  // One Output per export and domain, shared by the domain's sources (a shard has hundreds):
  // the same value, secrecy and dependency (the StackReference) for each of them.
  const entries = new Map<string, pulumi.Output<string>>();
  const shared = (key: CoreExportKey, domain: string): pulumi.Output<string> => {
    const k = `${key}/${domain}`;
    let o = entries.get(k);
    if (o === undefined) {
      o = entry(ref, key, domain);
      entries.set(k, o);
    }
    return o;
  };
  return {
    kmsKeyArn: (domain) => shared("lakeKmsKeyArns", domain),
    clusterPolicyId: (domain) => shared("clusterPolicyIds", domain),
    instancePoolId: (domain) => shared("instancePoolIds", domain),
    catalogName: ref.requireOutput("catalogName") as pulumi.Output<string>,
    mwaaExecutionRoleArn: ref.requireOutput("mwaaExecutionRoleArn") as pulumi.Output<string>,
    waitFor: () => [],
  };
}

/**
 * Databricks compute as plain data: the cluster specs of clusters and jobs, cluster-policy
 * definitions, runtimes. Pure functions used by the Databricks rules.
 */
import { isLtsRuntimeAlias, isRuntimeKey } from "@hdp/spark";
import {
  isRecord,
  isUnknown,
  list,
  num,
  parseJsonDocument,
  rec,
  str,
  strings,
  type Props,
  type Value,
} from "../values";

export const CLUSTER = "databricks:index/cluster:Cluster";
export const CLUSTER_POLICY = "databricks:index/clusterPolicy:ClusterPolicy";
export const JOB = "databricks:index/job:Job";
export const INSTANCE_POOL = "databricks:index/instancePool:InstancePool";

/** One cluster spec: an all-purpose cluster, or a job's (task's) new cluster. */
export interface ClusterSpec {
  /** How messages name it: `cluster`, `job cluster ingest`, `task bronze`. */
  readonly label: string;
  readonly kind: "all-purpose" | "job";
  readonly spec: Props;
}

/** The cluster specs a resource defines (none for other types). */
export function clusterSpecs(type: string, props: Props): ClusterSpec[] {
  if (type === CLUSTER) return [{ label: "cluster", kind: "all-purpose", spec: props }];
  if (type !== JOB) return [];
  const out: ClusterSpec[] = [];
  for (const jc of list(props.jobClusters)) {
    const key = str(rec(jc).jobClusterKey) ?? "?";
    if (isRecord(rec(jc).newCluster)) {
      out.push({ label: `job cluster ${key}`, kind: "job", spec: rec(rec(jc).newCluster) });
    }
  }
  for (const t of list(props.tasks)) {
    if (isRecord(rec(t).newCluster)) {
      out.push({
        label: `task ${str(rec(t).taskKey) ?? "?"}`,
        kind: "job",
        spec: rec(rec(t).newCluster),
      });
    }
  }
  if (isRecord(props.newCluster))
    out.push({ label: "job cluster", kind: "job", spec: props.newCluster });
  return out;
}

/** True when the spec names a cluster policy (or one not yet known). */
export function hasPolicy(spec: Props): boolean {
  return isUnknown(spec.policyId) || (str(spec.policyId) ?? "") !== "";
}

/** One rule of a cluster-policy definition. */
export interface PolicyRule {
  readonly type: string | undefined;
  readonly value: Value | undefined;
  readonly values: readonly Value[];
  readonly minValue: number | undefined;
  readonly maxValue: number | undefined;
}

/** A cluster policy's definition (attribute → rule); `unknown` when not known yet. */
export function policyDefinition(props: Props): Map<string, PolicyRule> | "unknown" | undefined {
  const doc = parseJsonDocument(props.definition);
  if (isUnknown(doc)) return "unknown";
  if (!isRecord(doc)) return undefined;
  const out = new Map<string, PolicyRule>();
  for (const [attribute, raw] of Object.entries(doc)) {
    const r = rec(raw);
    out.set(attribute, {
      type: str(r.type),
      value: r.value,
      values: list(r.values),
      minValue: num(r.minValue),
      maxValue: num(r.maxValue),
    });
  }
  return out;
}

/** The values a policy rule allows, or undefined when it does not restrict to a list. */
export function allowedValues(rule: PolicyRule | undefined): readonly Value[] | undefined {
  if (rule === undefined) return undefined;
  if (rule.type === "fixed") return [rule.value ?? null];
  if (rule.type === "allowlist") return rule.values;
  return undefined;
}

/** Unity Catalog-capable access modes (the legacy and the 2025 names; AUTO picks one of them). */
export const UC_ACCESS_MODES: readonly string[] = [
  "SINGLE_USER",
  "USER_ISOLATION",
  "DATA_SECURITY_MODE_DEDICATED",
  "DATA_SECURITY_MODE_STANDARD",
  "DATA_SECURITY_MODE_AUTO",
];

/**
 * Whether a runtime is LTS: `auto:latest-lts(-ml)`, or a runtime key whose `major.minor` is in
 * `lts` (e.g. `15.4.x-scala2.12` with `15.4`).
 */
export function isLtsRuntime(runtime: string, lts: readonly string[]): boolean {
  if (isLtsRuntimeAlias(runtime)) return true;
  if (!isRuntimeKey(runtime)) return false;
  const m = /^(\d+\.\d+)\.x/.exec(runtime);
  return m !== null && lts.includes(m[1]);
}

/** Tasks that need Spark compute (and silently run serverless without a cluster). */
export const COMPUTE_TASK_KINDS = [
  "notebookTask",
  "sparkPythonTask",
  "sparkJarTask",
  "pythonWheelTask",
  "sparkSubmitTask",
] as const;

/** The tasks of a job. */
export const tasksOf = (props: Props): Props[] => list(props.tasks).map(rec);
/** How messages name a task. */
export const taskLabel = (t: Props): string => `task ${str(t.taskKey) ?? "?"}`;

/** True when a job or task notifies someone of failures (or its settings are not known yet). */
export const notifies = (p: Props): boolean =>
  strings(rec(p.emailNotifications).onFailures).length > 0 ||
  list(rec(p.webhookNotifications).onFailures).length > 0 ||
  isUnknown(p.emailNotifications) ||
  isUnknown(p.webhookNotifications);

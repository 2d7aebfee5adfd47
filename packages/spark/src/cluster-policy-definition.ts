/**
 * The cluster policy `definition` as a pure function of a plain spec: one rule per attribute,
 * in Databricks' policy definition language, rendered as JSON with sorted keys so the same spec
 * always gives the same string (and so no spurious diff).
 */
import { sortedEntries, sortedRecord, validateIntRange } from "./validation";
import { validateRuntime } from "./runtime";

/** Unity Catalog access modes a house cluster may use. */
export type DataSecurityMode = "SINGLE_USER" | "USER_ISOLATION";

/** The data security modes Unity Catalog supports on classic compute. */
export const DATA_SECURITY_MODES: readonly DataSecurityMode[] = ["SINGLE_USER", "USER_ISOLATION"];

/** Which compute a policy may be used for (the policy's `cluster_type` virtual attribute). */
export type ClusterType = "job" | "all-purpose";

/** A bounded choice of auto-termination, within 10–10000 minutes. */
export interface AutoterminationRange {
  readonly min: number;
  readonly max: number;
  /** @default min */
  readonly default?: number;
}

/** The two ways a policy constrains instances: an allow-list of node types, or of pools. */
export type PolicyCompute =
  { readonly nodeTypes: readonly string[] } | { readonly instancePoolIds: readonly string[] };

/** Everything the policy definition is built from (plain values, all known). */
export interface ClusterPolicySpec {
  /**
   * A fixed number (0 = never, or 10–10000) or a range within 10–10000. Required unless the
   * policy is for job compute only, where it must be left out: a job cluster ends with its run
   * and Databricks ignores auto-termination there.
   */
  readonly autoterminationMinutes?: number | AutoterminationRange;
  readonly dataSecurityMode: DataSecurityMode;
  /** Fixed `single_user_name`; only with `SINGLE_USER`. */
  readonly singleUserName?: string;
  /** `auto:latest-lts` (or `-ml`), or an allow-list of runtime keys (the first is the default). */
  readonly runtime: string | readonly string[];
  readonly compute: PolicyCompute;
  /** Upper bound of `autoscale.max_workers` and `num_workers`. */
  readonly maxWorkers: number;
  /** Restrict the policy to job or all-purpose compute; unset allows both. */
  readonly clusterType?: ClusterType;
  /**
   * Ceiling of the `dbus_per_hour` virtual attribute (driver included): the cost bound that holds
   * for job clusters too. @default unbounded
   */
  readonly maxDbusPerHour?: number;
  /** Allowed instance profiles; when empty or unset, instance profiles are forbidden. */
  readonly instanceProfileArns?: readonly string[];
  /**
   * Fixed `custom_tags.<key>`. Left out for pool-backed policies: the pool carries the tags
   * (pool tags propagate to its clusters, and Databricks rejects a cluster tag the pool also sets).
   */
  readonly tags: Readonly<Record<string, string>>;
}

/** One rule of the policy definition language. */
export type PolicyRule =
  | { readonly type: "fixed"; readonly value: string | number | boolean; readonly hidden?: boolean }
  | { readonly type: "forbidden"; readonly hidden?: boolean }
  | {
      readonly type: "allowlist";
      readonly values: readonly string[];
      readonly defaultValue?: string;
      readonly isOptional?: boolean;
    }
  | {
      readonly type: "range";
      readonly minValue?: number;
      readonly maxValue?: number;
      readonly defaultValue?: number;
      readonly isOptional?: boolean;
    };

/** Attribute path → rule. */
export type PolicyDefinition = Readonly<Record<string, PolicyRule>>;

/** Highest `maxWorkers` accepted (a guard against typos such as 10000 for 100). */
export const MAX_WORKERS_LIMIT = 1000;

/** Problems with an auto-termination setting: 0 or 10–10000 when fixed; a range within 10–10000. */
export function validateAutotermination(
  field: string,
  value: number | AutoterminationRange,
): string[] {
  if (typeof value === "number") {
    return value === 0 || (Number.isInteger(value) && value >= 10 && value <= 10000)
      ? []
      : [`${field}: ${value} must be 0 (never) or an integer from 10 to 10000 minutes`];
  }
  const problems = [
    ...validateIntRange(`${field}.min`, value.min, 10, 10000),
    ...validateIntRange(`${field}.max`, value.max, 10, 10000),
  ];
  if (value.min > value.max) problems.push(`${field}: min ${value.min} is above max ${value.max}`);
  if (value.default !== undefined && (value.default < value.min || value.default > value.max)) {
    problems.push(`${field}.default: ${value.default} is outside ${value.min}–${value.max}`);
  }
  return problems;
}

/** Every problem with a spec, each naming its field; empty when the spec is valid. */
export function validateClusterPolicySpec(spec: ClusterPolicySpec): string[] {
  const auto = spec.autoterminationMinutes;
  const problems = [
    ...(auto !== undefined ? validateAutotermination("autoterminationMinutes", auto) : []),
    ...(auto === undefined && spec.clusterType !== "job"
      ? [
          "autoterminationMinutes: required for a policy that allows all-purpose clusters (only job clusters end with their run)",
        ]
      : []),
    ...(auto !== undefined && spec.clusterType === "job"
      ? [
          "autoterminationMinutes: has no effect on job clusters (they end with their run); leave it unset for a job-only policy",
        ]
      : []),
    ...(spec.maxDbusPerHour !== undefined
      ? validateIntRange("maxDbusPerHour", spec.maxDbusPerHour, 1, 100000)
      : []),
    ...validateRuntime("runtime", spec.runtime),
    ...validateIntRange("maxWorkers", spec.maxWorkers, 1, MAX_WORKERS_LIMIT),
  ];
  if (!(["SINGLE_USER", "USER_ISOLATION"] as const).includes(spec.dataSecurityMode)) {
    problems.push(
      `dataSecurityMode: "${String(spec.dataSecurityMode)}" is not a Unity Catalog mode; use "SINGLE_USER" or "USER_ISOLATION"`,
    );
  }
  if (spec.singleUserName !== undefined && spec.dataSecurityMode !== "SINGLE_USER") {
    problems.push(`singleUserName: only allowed with dataSecurityMode "SINGLE_USER"`);
  }
  if ("nodeTypes" in spec.compute) {
    if (spec.compute.nodeTypes.length === 0) problems.push("nodeTypes: the allow-list is empty");
    if (spec.compute.nodeTypes.some((t) => t.trim().length === 0)) {
      problems.push("nodeTypes: contains an empty node type");
    }
  } else if (spec.compute.instancePoolIds.length === 0) {
    problems.push("instancePoolIds: the allow-list is empty");
  }
  for (const key of Object.keys(spec.tags)) {
    if (key.trim().length === 0) problems.push("tags: contains an empty tag key");
  }
  return problems;
}

function autoterminationRule(value: number | AutoterminationRange): PolicyRule {
  return typeof value === "number"
    ? { type: "fixed", value }
    : {
        type: "range",
        minValue: value.min,
        maxValue: value.max,
        defaultValue: value.default ?? value.min,
      };
}

function runtimeRule(runtime: string | readonly string[]): PolicyRule {
  if (typeof runtime === "string") return { type: "fixed", value: runtime };
  return runtime.length === 1
    ? { type: "fixed", value: runtime[0] }
    : { type: "allowlist", values: [...runtime], defaultValue: runtime[0] };
}

function allowlist(values: readonly string[], isOptional = false): PolicyRule {
  const unique = [...new Set(values)];
  return {
    type: "allowlist",
    values: unique,
    defaultValue: unique[0],
    ...(isOptional ? { isOptional: true } : {}),
  };
}

function computeRules(compute: PolicyCompute): Record<string, PolicyRule> {
  if ("nodeTypes" in compute) {
    return {
      node_type_id: allowlist(compute.nodeTypes),
      driver_node_type_id: allowlist(compute.nodeTypes),
      instance_pool_id: { type: "forbidden", hidden: true },
      driver_instance_pool_id: { type: "forbidden", hidden: true },
    };
  }
  // Pool-backed clusters take their node type from the pool and must not name one.
  return {
    instance_pool_id: allowlist(compute.instancePoolIds),
    // Unset, the driver runs in the worker pool.
    driver_instance_pool_id: allowlist(compute.instancePoolIds, true),
    node_type_id: { type: "forbidden", hidden: true },
    driver_node_type_id: { type: "forbidden", hidden: true },
  };
}

/** The policy definition of a valid spec, one rule per attribute (validate first). */
export function buildClusterPolicyDefinition(spec: ClusterPolicySpec): PolicyDefinition {
  const rules: Record<string, PolicyRule> = {
    // Job clusters end with their run: Databricks ignores auto-termination there, so a job-only
    // policy pins cluster_type instead (below).
    ...(spec.autoterminationMinutes !== undefined && spec.clusterType !== "job"
      ? { autotermination_minutes: autoterminationRule(spec.autoterminationMinutes) }
      : {}),
    data_security_mode: { type: "fixed", value: spec.dataSecurityMode },
    spark_version: runtimeRule(spec.runtime),
    "autoscale.max_workers": { type: "range", maxValue: spec.maxWorkers, isOptional: true },
    // Fixed-size clusters bypass autoscale: bound them too.
    num_workers: { type: "range", maxValue: spec.maxWorkers, isOptional: true },
    enable_local_disk_encryption: { type: "fixed", value: true },
    // Nobody logs in to the nodes: a shell there reads every user's data, unaudited.
    "ssh_public_keys.*": { type: "forbidden", hidden: true },
    "aws_attributes.instance_profile_arn":
      spec.instanceProfileArns !== undefined && spec.instanceProfileArns.length > 0
        ? allowlist(spec.instanceProfileArns, true)
        : { type: "forbidden", hidden: true },
    ...computeRules(spec.compute),
  };
  if (spec.singleUserName !== undefined) {
    rules.single_user_name = { type: "fixed", value: spec.singleUserName };
  }
  if (spec.clusterType !== undefined)
    rules.cluster_type = { type: "fixed", value: spec.clusterType };
  if (spec.maxDbusPerHour !== undefined) {
    rules.dbus_per_hour = { type: "range", maxValue: spec.maxDbusPerHour };
  }
  if ("nodeTypes" in spec.compute) {
    for (const [key, value] of sortedEntries(spec.tags)) {
      rules[`custom_tags.${key}`] = { type: "fixed", value };
    }
  }
  return sortedRecord(rules);
}

/** The definition as the JSON string `databricks.ClusterPolicy` takes (stable key order). */
export function renderClusterPolicyDefinition(spec: ClusterPolicySpec): string {
  return JSON.stringify(buildClusterPolicyDefinition(spec));
}

import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import {
  type AutoterminationRange,
  type ClusterPolicySpec,
  type ClusterType,
  type DataSecurityMode,
  renderClusterPolicyDefinition,
  validateClusterPolicySpec,
} from "./cluster-policy-definition";
import { accessControlsOf, POLICY_PERMISSION_LEVELS, validatePermissions } from "./permissions";
import { isLtsRuntime } from "./runtime";
import { assertValid, refuseInsecure, validateHouseTags } from "./validation";

/** Arguments of {@link ClusterPolicy}. */
export interface ClusterPolicyArgs {
  /**
   * Policy name, unique in the workspace, 1–100 characters. Put the environment, domain and
   * classification in it (e.g. `hdp-prod-clinical-phi`).
   * @default the component's name
   */
  readonly policyName?: string;
  /** Human-readable description shown in the workspace. */
  readonly description?: pulumi.Input<string>;
  /**
   * `autotermination_minutes`: a fixed value (0 = never, or 10–10000) or a range within
   * 10–10000, for policies that allow all-purpose clusters. Refused with `clusterType: "job"`:
   * job clusters end with their run and Databricks ignores it there (the policy pins
   * `cluster_type` instead).
   * @default 60 (fixed) unless `clusterType` is "job"
   */
  readonly autoterminationMinutes?: number | AutoterminationRange;
  /**
   * Ceiling of `dbus_per_hour` (the hourly DBU rate of a cluster, driver included): a cost bound
   * that applies to job clusters as well. @default unbounded
   */
  readonly maxDbusPerHour?: number;
  /**
   * `data_security_mode`, fixed. Unity Catalog needs `SINGLE_USER` (one user or service
   * principal; the usual mode for jobs) or `USER_ISOLATION` (shared).
   * @default "SINGLE_USER"
   */
  readonly dataSecurityMode?: DataSecurityMode;
  /** Fixes `single_user_name` (only with `SINGLE_USER`); unset, the cluster names its user. */
  readonly singleUserName?: string;
  /**
   * `spark_version`: `auto:latest-lts` (or `auto:latest-lts-ml`) or an allow-list of real runtime
   * keys such as `["15.4.x-scala2.12"]` (the first is the default).
   * @default "auto:latest-lts"
   */
  readonly runtime?: string | readonly string[];
  /**
   * Allowed node types (workers and driver); pools are then forbidden. Exactly one of
   * `nodeTypes` and `instancePoolIds`.
   */
  readonly nodeTypes?: readonly string[];
  /**
   * Allowed instance pools; node types are then forbidden (pool clusters take the pool's).
   * The pool carries the house tags, so the policy fixes no `custom_tags`.
   */
  readonly instancePoolIds?: readonly pulumi.Input<string>[];
  /** Upper bound of `autoscale.max_workers` and `num_workers` (1–1000). */
  readonly maxWorkers: number;
  /** Restricts the policy to `job` or `all-purpose` compute. @default both allowed */
  readonly clusterType?: ClusterType;
  /**
   * Instance profiles clusters may use. With Unity Catalog, data access goes through storage
   * credentials, so by default instance profiles are forbidden.
   * @default [] (forbidden)
   */
  readonly instanceProfileArns?: readonly pulumi.Input<string>[];
  /** Maximum clusters per user under this policy. @default no limit */
  readonly maxClustersPerUser?: number;
  /**
   * The house tags (owner, domain, data-classification, environment, cost-center), all
   * required; fixed as `custom_tags.<key>` so every cluster under the policy carries them.
   */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * LTS releases (`major.minor`) every runtime key of `runtime` must be one of (else refused as
   * `databricks-lts-runtime`). @default {@link DEFAULT_LTS_RUNTIMES}
   */
  readonly ltsRuntimes?: readonly string[];
  /**
   * Policy-pack rules whose finding this policy knowingly accepts (`databricks-lts-runtime` for
   * non-LTS runtime keys, `databricks-autotermination` for all-purpose clusters that never
   * stop); without them such options are refused at construction, and the pack still reports
   * them. @default []
   */
  readonly acceptInsecure?: readonly string[];
  /**
   * Groups that may create clusters under the policy (`CAN_USE`), written as one authoritative
   * `databricks.Permissions` (workspace admins always keep it). @default none
   */
  readonly users?: readonly string[];
}

/**
 * A Databricks cluster policy (workspace-level provider, passed through the usual resource
 * options) whose definition enforces the house rules: auto-termination, a Unity Catalog data
 * security mode, an LTS runtime, allowed node types or pools, bounded workers, local disk
 * encryption, no instance profiles unless allowed, and the house tags.
 */
export class ClusterPolicy extends pulumi.ComponentResource {
  public readonly policy: databricks.ClusterPolicy;
  public readonly policyId: pulumi.Output<string>;
  /** Who may use the policy (when `users` lists any group). */
  public readonly permissions?: databricks.Permissions;
  /** The rendered policy definition JSON. */
  public readonly definition: pulumi.Output<string>;
  /** The fixed data security mode, for job clusters created under this policy. */
  public readonly dataSecurityMode: DataSecurityMode;
  /** True when clusters under this policy must come from one of its pools. */
  public readonly usesInstancePools: boolean;

  constructor(name: string, args: ClusterPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    const policyName = args.policyName ?? name;
    const pools = args.instancePoolIds;
    const base: Omit<ClusterPolicySpec, "compute" | "instanceProfileArns"> = {
      autoterminationMinutes:
        args.autoterminationMinutes ?? (args.clusterType === "job" ? undefined : 60),
      maxDbusPerHour: args.maxDbusPerHour,
      dataSecurityMode: args.dataSecurityMode ?? "SINGLE_USER",
      singleUserName: args.singleUserName,
      runtime: args.runtime ?? "auto:latest-lts",
      maxWorkers: args.maxWorkers,
      clusterType: args.clusterType,
      tags: args.tags ?? {},
    };
    // Pool ids are placeholders here (only their presence is checked); with neither compute
    // argument, a placeholder node type keeps the other checks running.
    const compute =
      args.nodeTypes !== undefined
        ? { nodeTypes: args.nodeTypes }
        : { instancePoolIds: (pools ?? ["(unset)"]).map(() => "pool") };
    const problems = [
      ...validateHouseTags(args.tags),
      ...validateCompute(args.nodeTypes, pools),
      ...(policyName.length < 1 || policyName.length > 100
        ? [`policyName: "${policyName}" is ${policyName.length} characters; allowed 1 to 100`]
        : []),
      ...(args.maxClustersPerUser !== undefined &&
      (!Number.isInteger(args.maxClustersPerUser) || args.maxClustersPerUser < 1)
        ? [`maxClustersPerUser: ${args.maxClustersPerUser} must be a positive integer`]
        : []),
      ...validateClusterPolicySpec({ ...base, compute }),
      ...insecureOptions(base, args),
      ...validatePermissions(
        "users",
        { label: `cluster policy "${policyName}"` },
        POLICY_PERMISSION_LEVELS,
        (args.users ?? []).map((group) => ({ group, level: "CAN_USE" })),
        args.acceptInsecure,
      ),
    ];
    assertValid(`ClusterPolicy "${name}"`, problems);
    super("hdp:spark:ClusterPolicy", name, {}, opts);

    this.dataSecurityMode = base.dataSecurityMode;
    this.usesInstancePools = pools !== undefined;
    this.definition = pulumi
      .all([pulumi.all([...(pools ?? [])]), pulumi.all([...(args.instanceProfileArns ?? [])])])
      .apply(([poolIds, profiles]) =>
        renderClusterPolicyDefinition({
          ...base,
          compute: pools ? { instancePoolIds: poolIds } : { nodeTypes: args.nodeTypes ?? [] },
          instanceProfileArns: profiles,
        }),
      );
    this.policy = new databricks.ClusterPolicy(
      `${name}-policy`,
      {
        name: policyName,
        description: args.description,
        definition: this.definition,
        maxClustersPerUser: args.maxClustersPerUser,
      },
      { parent: this },
    );
    // The provider's id is the policy id (the `policyId` attribute mirrors it).
    this.policyId = this.policy.id;
    if ((args.users ?? []).length > 0) {
      this.permissions = new databricks.Permissions(
        `${name}-policy-permissions`,
        {
          clusterPolicyId: this.policy.id,
          accessControls: accessControlsOf(
            POLICY_PERMISSION_LEVELS,
            (args.users ?? []).map((group) => ({ group, level: "CAN_USE" as const })),
          ),
        },
        { parent: this },
      );
    }
    this.registerOutputs({ policyId: this.policyId, definition: this.definition });
  }
}

/**
 * What the policy pack would flag, refused unless accepted: runtime keys outside the LTS
 * releases (`databricks-lts-runtime`) and, for a policy that allows all-purpose clusters,
 * auto-termination 0 (`databricks-autotermination`; the pack checks dev and stage only, the
 * component cannot tell the tier and refuses it everywhere).
 */
function insecureOptions(
  base: Pick<ClusterPolicySpec, "autoterminationMinutes" | "runtime" | "clusterType">,
  args: ClusterPolicyArgs,
): string[] {
  const problems: string[] = [];
  const keys = typeof base.runtime === "string" ? [] : base.runtime;
  const notLts = keys.filter((k) => !isLtsRuntime(k, args.ltsRuntimes));
  if (notLts.length > 0) {
    problems.push(
      ...refuseInsecure(
        "runtime",
        "databricks-lts-runtime",
        `the policy allows non-LTS runtime ${notLts.join(", ")}`,
        args.acceptInsecure,
      ),
    );
  }
  if (base.clusterType !== "job" && base.autoterminationMinutes === 0) {
    problems.push(
      ...refuseInsecure(
        "autoterminationMinutes",
        "databricks-autotermination",
        "the policy lets all-purpose clusters run without auto-termination",
        args.acceptInsecure,
      ),
    );
  }
  return problems;
}

function validateCompute(
  nodeTypes: readonly string[] | undefined,
  pools: readonly unknown[] | undefined,
): string[] {
  if ((nodeTypes === undefined) === (pools === undefined)) {
    return ["nodeTypes / instancePoolIds: give exactly one of them"];
  }
  return [];
}

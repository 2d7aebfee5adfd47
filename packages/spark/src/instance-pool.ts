import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import {
  accessControlsOf,
  type GroupPermission,
  POOL_PERMISSION_LEVELS,
  type PoolPermissionLevel,
  validatePermissions,
} from "./permissions";
import { isLtsRuntime, isRuntimeKey } from "./runtime";
import {
  assertValid,
  refuseInsecure,
  sortedRecord,
  validateHouseTags,
  validateIntRange,
} from "./validation";

/** AWS capacity for pool instances. */
export type PoolAvailability = "ON_DEMAND" | "SPOT";

/** Arguments of {@link InstancePool}. */
export interface InstancePoolArgs {
  /** Pool name, unique in the workspace, under 100 characters. @default the component's name */
  readonly poolName?: string;
  /** Node type of every instance (clusters from the pool omit their own). */
  readonly nodeTypeId: string;
  /**
   * Minutes idle instances above `minIdleInstances` are kept before termination (0–10000).
   * Databricks requires it; keep it short, idle instances are billed by AWS.
   * @default 15
   */
  readonly idleInstanceAutoterminationMinutes?: number;
  /** Idle instances kept warm. @default 0 */
  readonly minIdleInstances?: number;
  /** Maximum instances, idle and in use: the pool's cost ceiling. */
  readonly maxCapacity: number;
  /** A runtime key (e.g. `15.4.x-scala2.12`) preloaded on instances for faster starts. */
  readonly preloadedSparkVersion?: string;
  /**
   * LTS releases (`major.minor`) `preloadedSparkVersion` must be one of (else refused as
   * `databricks-lts-runtime`). @default {@link DEFAULT_LTS_RUNTIMES}
   */
  readonly ltsRuntimes?: readonly string[];
  /**
   * Policy-pack rules whose finding this pool knowingly accepts (`databricks-lts-runtime` for a
   * non-LTS preloaded runtime); without them such options are refused at construction, and the
   * pack still reports them. @default []
   */
  readonly acceptInsecure?: readonly string[];
  /**
   * Groups and their level on the pool (`CAN_ATTACH_TO`, `CAN_MANAGE`), written as one
   * authoritative `databricks.Permissions`. All-users groups never manage a pool
   * (`databricks-no-broad-permissions`). @default none (only workspace admins)
   */
  readonly access?: readonly GroupPermission<PoolPermissionLevel>[];
  /** @default "ON_DEMAND" */
  readonly availability?: PoolAvailability;
  /** AWS availability zone; unset lets Databricks choose. */
  readonly zoneId?: string;
  /**
   * The house tags, all required (at most 43 tags). Databricks tags every pool instance and
   * propagates them to the pool's clusters, so clusters from the pool must not set them again
   * ("custom tag keys conflict with the pool's custom tag keys").
   */
  readonly tags: Readonly<Record<string, string>>;
}

/** Every problem with the plain arguments of an instance pool. */
export function validateInstancePoolArgs(poolName: string, args: InstancePoolArgs): string[] {
  const idle = args.idleInstanceAutoterminationMinutes ?? 15;
  const minIdle = args.minIdleInstances ?? 0;
  const problems = [
    ...validateIntRange("idleInstanceAutoterminationMinutes", idle, 0, 10000),
    ...validateIntRange("minIdleInstances", minIdle, 0, 10000),
    ...validateIntRange("maxCapacity", args.maxCapacity, 1, 10000),
    ...validateHouseTags(args.tags),
  ];
  if (poolName.length < 1 || poolName.length >= 100) {
    problems.push(`poolName: "${poolName}" must be 1 to 99 characters`);
  }
  if (args.nodeTypeId.trim().length === 0) problems.push("nodeTypeId: is empty");
  if (minIdle > args.maxCapacity) {
    problems.push(`minIdleInstances: ${minIdle} is above maxCapacity ${args.maxCapacity}`);
  }
  if (args.preloadedSparkVersion !== undefined && !isRuntimeKey(args.preloadedSparkVersion)) {
    problems.push(
      `preloadedSparkVersion: "${args.preloadedSparkVersion}" is not a runtime key such as "15.4.x-scala2.12" (pools cannot resolve auto: aliases)`,
    );
  } else if (
    args.preloadedSparkVersion !== undefined &&
    !isLtsRuntime(args.preloadedSparkVersion, args.ltsRuntimes)
  ) {
    problems.push(
      ...refuseInsecure(
        "preloadedSparkVersion",
        "databricks-lts-runtime",
        `preloads non-LTS runtime ${args.preloadedSparkVersion}`,
        args.acceptInsecure,
      ),
    );
  }
  problems.push(
    ...validatePermissions(
      "access",
      { label: `instance pool "${poolName}"` },
      POOL_PERMISSION_LEVELS,
      args.access ?? [],
      args.acceptInsecure,
    ),
  );
  if (Object.keys(args.tags).length > 43) {
    problems.push(`tags: ${Object.keys(args.tags).length} tags; Databricks allows at most 43`);
  }
  return problems;
}

/**
 * A Databricks instance pool (workspace-level provider through the usual resource options) with
 * idle auto-termination, a capacity ceiling and the house tags. Use its `instancePoolId` in a
 * {@link ClusterPolicy}'s `instancePoolIds` and an {@link IngestJob}'s cluster.
 */
export class InstancePool extends pulumi.ComponentResource {
  public readonly pool: databricks.InstancePool;
  public readonly instancePoolId: pulumi.Output<string>;
  /** The pool's node type (clusters from the pool inherit it). */
  public readonly nodeTypeId: string;
  /** Who may attach to or manage the pool (when `access` lists any group). */
  public readonly permissions?: databricks.Permissions;

  constructor(name: string, args: InstancePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    const poolName = args.poolName ?? name;
    assertValid(`InstancePool "${name}"`, validateInstancePoolArgs(poolName, args));
    super("hdp:spark:InstancePool", name, {}, opts);

    this.nodeTypeId = args.nodeTypeId;
    this.pool = new databricks.InstancePool(
      `${name}-pool`,
      {
        instancePoolName: poolName,
        nodeTypeId: args.nodeTypeId,
        idleInstanceAutoterminationMinutes: args.idleInstanceAutoterminationMinutes ?? 15,
        minIdleInstances: args.minIdleInstances ?? 0,
        maxCapacity: args.maxCapacity,
        enableElasticDisk: true,
        awsAttributes: {
          availability: args.availability ?? "ON_DEMAND",
          ...(args.zoneId !== undefined ? { zoneId: args.zoneId } : {}),
        },
        preloadedSparkVersions:
          args.preloadedSparkVersion !== undefined ? [args.preloadedSparkVersion] : undefined,
        customTags: sortedRecord(args.tags),
      },
      { parent: this },
    );
    // The provider's id is the pool id (the `instancePoolId` attribute mirrors it).
    this.instancePoolId = this.pool.id;
    if ((args.access ?? []).length > 0) {
      this.permissions = new databricks.Permissions(
        `${name}-pool-permissions`,
        {
          instancePoolId: this.pool.id,
          accessControls: accessControlsOf(POOL_PERMISSION_LEVELS, args.access ?? []),
        },
        { parent: this },
      );
    }
    this.registerOutputs({ instancePoolId: this.instancePoolId });
  }
}

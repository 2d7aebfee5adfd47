/**
 * Workspace permissions (jobs, cluster policies, instance pools) as plain data. Like `Grants`,
 * `databricks.Permissions` is authoritative for its object: it removes every permission it does
 * not list (except the workspace `admins` group, which always keeps CAN_MANAGE, and a job's
 * owner). So each object gets exactly one `Permissions`, with every group's level merged here.
 *
 * Jobs need exactly one `IS_OWNER`, a user or service principal, never a group. The components
 * never list one: the provider then keeps the deploying principal (the deploy service
 * principal) as the owner, which is what the house wants.
 */
import { isBroadPrincipal, isPhi } from "./grants";
import { refuseInsecure } from "./validation";

/** Levels a group may hold on a job, weakest first. */
export const JOB_PERMISSION_LEVELS = ["CAN_VIEW", "CAN_MANAGE_RUN", "CAN_MANAGE"] as const;
export type JobPermissionLevel = (typeof JOB_PERMISSION_LEVELS)[number];
/**
 * The level of the identity that triggers a job from outside (Airflow's Databricks connection):
 * run now, see runs and their output, cancel runs (Databricks' jobs ACL table). Not `CAN_VIEW`
 * (cannot start a run), not `CAN_MANAGE` (could edit, delete and re-permission the job).
 */
export const JOB_TRIGGER_LEVEL = "CAN_MANAGE_RUN" satisfies JobPermissionLevel;
/** The policy-pack rule that every externally triggered job grants its trigger exactly that. */
export const JOB_TRIGGER_RULE = "databricks-job-trigger-access";
/** Levels a group may hold on an instance pool, weakest first. */
export const POOL_PERMISSION_LEVELS = ["CAN_ATTACH_TO", "CAN_MANAGE"] as const;
export type PoolPermissionLevel = (typeof POOL_PERMISSION_LEVELS)[number];
/** Cluster policies know one level. */
export const POLICY_PERMISSION_LEVELS = ["CAN_USE"] as const;
export type PolicyPermissionLevel = (typeof POLICY_PERMISSION_LEVELS)[number];

/** One group's level on an object. */
export interface GroupPermission<L extends string = string> {
  /** The group's name (e.g. `hdp-prod-engineers`). */
  readonly group: string;
  readonly level: L;
}

/** Levels no all-users group may hold anywhere: managing an object includes its permissions. */
export const LEVELS_DENIED_TO_BROAD: readonly string[] = ["CAN_MANAGE", "IS_OWNER"];

/** The policy-pack rule over workspace permissions (the components refuse what it reports). */
export const BROAD_PERMISSIONS_RULE = "databricks-no-broad-permissions";

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One entry per group at its highest level (Databricks reports only the highest, so listing two
 * would drift forever), sorted by group: the input order never changes the result.
 */
export function mergePermissions<L extends string>(
  levels: readonly L[],
  entries: readonly GroupPermission<L>[],
): GroupPermission<L>[] {
  const best = new Map<string, L>();
  for (const e of entries) {
    const prior = best.get(e.group);
    if (prior === undefined || levels.indexOf(e.level) > levels.indexOf(prior)) {
      best.set(e.group, e.level);
    }
  }
  return [...best.entries()]
    .sort(([a], [b]) => byString(a, b))
    .map(([group, level]) => ({ group, level }));
}

/** What a permission check needs to know about the object. */
export interface PermissionTarget {
  /** How messages name the object, e.g. `job "clarity-adt"`. */
  readonly label: string;
  /** The object's data classification (a PHI job's runs, logs and output hold PHI). */
  readonly classification?: string;
}

/**
 * Problems with the permissions of one object: blank groups, unknown levels, and (refused unless
 * accepted) all-users groups that manage or own it, or that reach a PHI job at all.
 */
export function validatePermissions(
  field: string,
  target: PermissionTarget,
  levels: readonly string[],
  entries: readonly GroupPermission[],
  acceptInsecure: readonly string[] | undefined,
): string[] {
  const problems: string[] = [];
  entries.forEach((e, i) => {
    if (e.group.trim().length === 0 || e.group !== e.group.trim()) {
      problems.push(
        `${field}[${i}].group: "${e.group}" must be a group name without surrounding spaces`,
      );
    }
    if (!levels.includes(e.level)) {
      problems.push(`${field}[${i}].level: "${e.level}" is not one of ${levels.join(", ")}`);
    }
    if (!isBroadPrincipal(e.group)) return;
    const phiJob = target.classification !== undefined && isPhi(target.classification);
    if (LEVELS_DENIED_TO_BROAD.includes(e.level) || phiJob) {
      problems.push(
        ...refuseInsecure(
          `${field}[${i}]`,
          BROAD_PERMISSIONS_RULE,
          `the all-users group "${e.group}" would hold ${e.level} on ${target.label}${phiJob ? ", whose runs and logs hold PHI" : ""}`,
          acceptInsecure,
        ),
      );
    }
  });
  return problems;
}

/** `accessControls` of a `databricks.Permissions` (groups only, merged and sorted). */
export function accessControlsOf<L extends string>(
  levels: readonly L[],
  entries: readonly GroupPermission<L>[],
): { groupName: string; permissionLevel: L }[] {
  return mergePermissions(levels, entries).map((e) => ({
    groupName: e.group,
    permissionLevel: e.level,
  }));
}

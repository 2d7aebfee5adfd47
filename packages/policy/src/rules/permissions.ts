/**
 * Databricks workspace permissions (`databricks.Permissions`) on jobs, cluster policies and
 * instance pools: all-users groups never manage or own them, and reach a job that processes PHI
 * not at all (its runs, Spark UI and logs show the data).
 */
import {
  BROAD_PERMISSIONS_RULE,
  isBroadPrincipal,
  isPhi,
  LEVELS_DENIED_TO_BROAD,
} from "@hdp/spark";
import { stackPolicy, type StackFinding, type StackResource } from "../define";
import { list, rec, str } from "../values";
import { CLUSTER_POLICY, INSTANCE_POOL, JOB } from "./clusters";

export const PERMISSIONS = "databricks:index/permissions:Permissions";

/** The object a `Permissions` governs, as `kind`, and the resource when this stack has it. */
function governed(
  p: StackResource,
): { kind: string; target: StackResource | undefined } | undefined {
  for (const [key, kind, type] of [
    ["jobId", "job", JOB],
    ["clusterPolicyId", "cluster policy", CLUSTER_POLICY],
    ["instancePoolId", "instance pool", INSTANCE_POOL],
  ] as const) {
    if (p.props[key] === undefined || p.props[key] === null) continue;
    const linked =
      (p.propertyDependencies[key] ?? []).find((r) => r.type === type) ??
      p.dependencies.find((r) => r.type === type);
    return { kind, target: linked };
  }
  return undefined;
}

/** True when a job is tagged `data-classification: phi` (the house tags every job). */
const phiJob = (job: StackResource | undefined): boolean =>
  job !== undefined && isPhi(str(rec(job.props.tags)["data-classification"]) ?? "");

/**
 * All-users groups (`account users`, `users`) never hold CAN_MANAGE or IS_OWNER on a job,
 * cluster policy or pool, and no permission at all on a PHI job. HIPAA §164.308(a)(4)(ii)(B)
 * access authorization, §164.312(a)(1) access control (and the minimum necessary).
 */
export const databricksNoBroadPermissions = stackPolicy(
  {
    name: BROAD_PERMISSIONS_RULE,
    description:
      "No broad group (account users, users) manages or owns a job, cluster policy or instance pool, or holds any permission on a job that processes PHI.",
    remediation:
      "Give the level to the domain's own group (databricks.groups in the environment config: engineers run jobs with CAN_MANAGE_RUN, readers see them with CAN_VIEW); keep CAN_MANAGE with the admin group and ownership with the deploy service principal.",
    resourceTypes: [PERMISSIONS, JOB, CLUSTER_POLICY, INSTANCE_POOL],
    hipaa: ["§164.308(a)(4)(ii)(B)", "§164.312(a)(1)"],
    awsConfig: [],
    severity: "critical",
  },
  (resources) => {
    const out: StackFinding[] = [];
    for (const p of resources.filter((r) => r.type === PERMISSIONS)) {
      const object = governed(p);
      if (object === undefined) continue;
      const phi = object.kind === "job" && phiJob(object.target);
      for (const a of list(p.props.accessControls).map(rec)) {
        const group = str(a.groupName);
        const level = str(a.permissionLevel) ?? "";
        if (group === undefined || !isBroadPrincipal(group)) continue;
        if (LEVELS_DENIED_TO_BROAD.includes(level) || phi) {
          out.push({
            resource: { urn: p.urn, name: p.name },
            message: `the broad group "${group}" holds ${level} on ${object.kind} ${object.target?.name ?? "(another stack's)"}${phi ? ", which processes PHI" : ""}`,
          });
        }
      }
    }
    return out;
  },
);

export const permissionPolicies = [databricksNoBroadPermissions];

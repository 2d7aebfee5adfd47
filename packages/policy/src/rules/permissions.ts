/**
 * Databricks workspace permissions (`databricks.Permissions`) on jobs, cluster policies and
 * instance pools: all-users groups never manage or own them, and reach a job that processes PHI
 * not at all (its runs, Spark UI and logs show the data).
 */
import {
  BROAD_PERMISSIONS_RULE,
  isBroadPrincipal,
  isPhi,
  JOB_TRIGGER_LEVEL,
  JOB_TRIGGER_RULE,
  LEVELS_DENIED_TO_BROAD,
} from "@hdp/spark";
import { stackPolicy, type StackFinding, type StackResource } from "../define";
import { isUnknown, list, rec, str } from "../values";
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

/** True when nothing inside Databricks starts the job: something outside must trigger it. */
const triggeredFromOutside = (job: StackResource): boolean =>
  [job.props.schedule, job.props.trigger, job.props.continuous].every(
    (v) => v === undefined || v === null,
  );

/**
 * A job nothing inside Databricks starts (no schedule, trigger or continuous run: Airflow, the
 * scheduler of record, triggers it) lets a service principal — Airflow's Databricks connection —
 * run it with exactly `CAN_MANAGE_RUN`: run now, watch and cancel runs, what
 * `DatabricksRunNowOperator` calls. Without it every DAG run fails with PERMISSION_DENIED; with
 * `CAN_MANAGE` the scheduler's credentials could rewrite or delete the job and its permissions.
 * HIPAA §164.308(a)(4)(ii)(B) access authorization (minimum necessary), §164.312(a)(1).
 */
export const databricksJobTriggerAccess = stackPolicy(
  {
    name: JOB_TRIGGER_RULE,
    description:
      "A job without a schedule of its own grants a service principal (Airflow's Databricks connection) CAN_MANAGE_RUN, and no service principal CAN_MANAGE.",
    remediation:
      "Set databricks.hardening.airflowPrincipal in the environment config to the application id of the service principal Airflow's databricks_default connection signs in as (IngestJob's triggeredBy); never give it CAN_MANAGE.",
    resourceTypes: [PERMISSIONS, JOB],
    hipaa: ["§164.308(a)(4)(ii)(B)", "§164.312(a)(1)"],
    awsConfig: [],
    severity: "high",
    // It asks for a Permissions beside every such job: whole stacks only.
    presence: true,
  },
  (resources) => {
    const out: StackFinding[] = [];
    /** Per job (URN): may a service principal run it, as far as its Permissions say. */
    const runnable = new Map<string, boolean>();
    for (const p of resources.filter((r) => r.type === PERMISSIONS)) {
      const object = governed(p);
      if (object?.kind !== "job") continue;
      const job = object.target?.urn;
      // Unknown at preview: not guessed either way.
      let runs = isUnknown(p.props.accessControls);
      const sps = runs
        ? []
        : list(p.props.accessControls)
            .map(rec)
            .filter(
              (a) => str(a.servicePrincipalName) !== undefined || isUnknown(a.servicePrincipalName),
            );
      for (const a of sps) {
        const level = isUnknown(a.permissionLevel)
          ? JOB_TRIGGER_LEVEL
          : (str(a.permissionLevel) ?? "");
        // CAN_MANAGE runs it too; it is reported as more than a trigger needs.
        if (level === JOB_TRIGGER_LEVEL || level === "CAN_MANAGE") runs = true;
        if (level !== JOB_TRIGGER_LEVEL && level !== "CAN_VIEW") {
          out.push({
            resource: { urn: p.urn, name: p.name },
            message: `the service principal ${str(a.servicePrincipalName) ?? "(unknown)"} holds ${level} on job ${object.target?.name ?? "(another stack's)"}: triggering runs needs ${JOB_TRIGGER_LEVEL}, not the right to edit, delete or re-permission the job`,
          });
        }
      }
      if (job !== undefined) runnable.set(job, (runnable.get(job) ?? false) || runs);
    }
    for (const job of resources.filter((r) => r.type === JOB && triggeredFromOutside(r))) {
      if (runnable.get(job.urn) === true) continue;
      out.push({
        resource: { urn: job.urn, name: job.name },
        message: `no schedule starts job ${job.name} and no service principal may run it (${JOB_TRIGGER_LEVEL}): Airflow's Databricks connection gets PERMISSION_DENIED on jobs/run-now`,
      });
    }
    return out;
  },
);

export const permissionPolicies = [databricksNoBroadPermissions, databricksJobTriggerAccess];

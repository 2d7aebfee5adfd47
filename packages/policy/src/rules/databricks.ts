/**
 * Databricks: clusters, job clusters, cluster policies, instance pools, jobs and Unity Catalog
 * grants. Job clusters end with their run; the house runs every job task on a job cluster under
 * a cluster policy.
 */
import { PRIVILEGES_DENIED_TO_BROAD_ON_PHI, isBroadPrincipal } from "@hdp/spark";
import { resourcePolicy, stackPolicy, type StackFinding } from "../define";
import { isUnknown, list, num, rec, str, strings } from "../values";
import {
  CLUSTER,
  CLUSTER_POLICY,
  COMPUTE_TASK_KINDS,
  INSTANCE_POOL,
  JOB,
  UC_ACCESS_MODES,
  allowedValues,
  clusterSpecs,
  hasPolicy,
  isLtsRuntime,
  policyDefinition,
  notifies,
  taskLabel,
  tasksOf,
} from "./clusters";
import {
  CATALOG,
  EXTERNAL_LOCATION,
  GRANTS,
  SCHEMA,
  STORAGE_CREDENTIAL,
  TABLE,
  createdHere,
  securableOf,
  targetPhi,
} from "./grants";

/**
 * Outside production, interactive compute stops when idle: all-purpose clusters and cluster
 * policies that allow them set an auto-termination of at least 10 minutes. HIPAA
 * §164.312(a)(2)(iii) automatic logoff.
 */
export const databricksAutotermination = resourcePolicy(
  {
    name: "databricks-autotermination",
    description: "In dev and stage, clusters and cluster policies terminate idle clusters.",
    remediation:
      "Set autoterminationMinutes (10–10000; 0 means never) on the cluster, or fix autotermination_minutes (or a range with minValue ≥ 10) in the cluster policy (ClusterPolicy's autoterminationMinutes).",
    resourceTypes: [CLUSTER, CLUSTER_POLICY],
    hipaa: ["§164.312(a)(2)(iii)"],
    awsConfig: [],
    severity: "medium",
  },
  ({ type, props }, ctx) => {
    if (ctx.tier === "prod") return [];
    if (type === CLUSTER) {
      if (isUnknown(props.autoterminationMinutes)) return [];
      const minutes = num(props.autoterminationMinutes) ?? 60; // the provider's default
      return minutes >= 10 ? [] : [`autoterminationMinutes is ${minutes}: the cluster never stops`];
    }
    const def = policyDefinition(props);
    if (def === "unknown" || def === undefined) return [];
    if (def.get("cluster_type")?.value === "job") return []; // job clusters end with their run
    const rule = def.get("autotermination_minutes");
    const fixed = rule?.type === "fixed" ? num(rule.value ?? null) : undefined;
    if (fixed !== undefined && fixed >= 10) return [];
    if (rule?.type === "range" && (rule.minValue ?? 0) >= 10) return [];
    return ["the policy lets all-purpose clusters run without auto-termination"];
  },
);

/**
 * Every cluster and job cluster is created under a cluster policy (the house rules: access mode,
 * runtime, node types, workers, local-disk encryption, tags). HIPAA §164.308(a)(4)(ii)(B) access
 * authorization, §164.312(a)(1) access control.
 */
export const databricksClusterPolicy = resourcePolicy(
  {
    name: "databricks-cluster-policy",
    description: "Clusters and job clusters are created under a cluster policy.",
    remediation: "Set policyId to the domain's ClusterPolicy (IngestJob's cluster.policyId).",
    resourceTypes: [CLUSTER, JOB],
    hipaa: ["§164.308(a)(4)(ii)(B)", "§164.312(a)(1)"],
    awsConfig: [],
    anchors: { sra: ["sra-compute-policies"] },
    severity: "high",
  },
  ({ type, props }) =>
    clusterSpecs(type, props)
      .filter((c) => !hasPolicy(c.spec))
      .map((c) => `${c.label} has no policyId`),
);

/**
 * Compute reads data through Unity Catalog only: a UC access mode (dedicated/single-user or
 * standard/user-isolation), fixed by the policy. HIPAA §164.312(a)(1) access control,
 * §164.312(b) audit controls (Unity Catalog audits every access).
 */
export const databricksUnityCatalogAccessMode = resourcePolicy(
  {
    name: "databricks-unity-catalog-access-mode",
    description: "Clusters, job clusters and cluster policies use a Unity Catalog access mode.",
    remediation:
      'Set dataSecurityMode "SINGLE_USER" (or "USER_ISOLATION" for shared compute) and fix data_security_mode in the cluster policy.',
    resourceTypes: [CLUSTER, JOB, CLUSTER_POLICY],
    hipaa: ["§164.312(a)(1)", "§164.312(b)"],
    awsConfig: [],
    anchors: { sra: ["sra-unity-catalog-access"] },
    severity: "critical",
  },
  ({ type, props }) => {
    if (type === CLUSTER_POLICY) {
      const def = policyDefinition(props);
      if (def === "unknown" || def === undefined) return [];
      const allowed = allowedValues(def.get("data_security_mode"));
      const bad = allowed?.filter((m) => !isUnknown(m) && !UC_ACCESS_MODES.includes(str(m) ?? ""));
      if (allowed === undefined) return ["the policy does not fix data_security_mode"];
      return bad !== undefined && bad.length > 0
        ? [`the policy allows data_security_mode ${bad.map(String).join(", ")}`]
        : [];
    }
    return clusterSpecs(type, props).flatMap((c) => {
      const mode = c.spec.dataSecurityMode;
      if (isUnknown(mode)) return [];
      // Unset under a policy: the policy's fixed mode applies (the policy is checked itself).
      if ((mode === null || mode === undefined) && hasPolicy(c.spec)) return [];
      const m = str(mode) ?? "NONE";
      return UC_ACCESS_MODES.includes(m)
        ? []
        : [`${c.label} uses data security mode ${m}, not a Unity Catalog mode`];
    });
  },
);

/**
 * Long-term-support runtimes only (security fixes for their whole support period). HIPAA
 * §164.308(a)(5)(ii)(B) protection from malicious software.
 */
export const databricksLtsRuntime = resourcePolicy(
  {
    name: "databricks-lts-runtime",
    description: "Clusters, job clusters, pools and cluster policies run LTS Databricks runtimes.",
    remediation:
      'Use "auto:latest-lts" or a key of a supported LTS release (e.g. "15.4.x-scala2.12"), and fix spark_version in the cluster policy (ClusterPolicy\'s runtime).',
    resourceTypes: [CLUSTER, JOB, CLUSTER_POLICY, INSTANCE_POOL],
    hipaa: ["§164.308(a)(5)(ii)(B)"],
    awsConfig: [],
    severity: "medium",
    uses: ["ltsRuntimes"],
  },
  ({ type, props }, ctx) => {
    const notLts = (v: unknown) => typeof v === "string" && !isLtsRuntime(v, ctx.ltsRuntimes);
    if (type === INSTANCE_POOL) {
      const bad = strings(props.preloadedSparkVersions).filter(notLts);
      return bad.length > 0 ? [`preloads non-LTS runtime ${bad.join(", ")}`] : [];
    }
    if (type === CLUSTER_POLICY) {
      const def = policyDefinition(props);
      if (def === "unknown" || def === undefined) return [];
      const allowed = allowedValues(def.get("spark_version"));
      if (allowed === undefined)
        return ["the policy does not restrict spark_version to LTS runtimes"];
      const bad = allowed.filter(notLts);
      return bad.length > 0
        ? [`the policy allows non-LTS runtime ${bad.map(String).join(", ")}`]
        : [];
    }
    return clusterSpecs(type, props).flatMap((c) => {
      const v = c.spec.sparkVersion;
      if (isUnknown(v) || ((v === null || v === undefined) && hasPolicy(c.spec))) return [];
      const runtime = str(v) ?? "(unset)";
      return isLtsRuntime(runtime, ctx.ltsRuntimes)
        ? []
        : [`${c.label} runs ${runtime}, not an LTS runtime`];
    });
  },
);

/**
 * Workers are bounded by the environment's `compute.maxWorkers` (clusters, job clusters and
 * cluster policies) and pools have a capacity ceiling: cost control and a bound on how much
 * compute one job can turn on PHI. House rule (AWS Config: none).
 */
export const databricksBoundedWorkers = resourcePolicy(
  {
    name: "databricks-bounded-workers",
    description:
      "Clusters, job clusters and cluster policies bound their workers; pools bound their capacity.",
    remediation:
      "Keep autoscale.maxWorkers / numWorkers within the environment's compute.maxWorkers, bound autoscale.max_workers and num_workers in the policy, and set maxCapacity on pools.",
    resourceTypes: [CLUSTER, JOB, CLUSTER_POLICY, INSTANCE_POOL],
    hipaa: [],
    awsConfig: [],
    severity: "medium",
    uses: ["maxWorkers"],
  },
  ({ type, props }, ctx) => {
    const max = ctx.maxWorkers;
    if (type === INSTANCE_POOL) {
      return isUnknown(props.maxCapacity) || num(props.maxCapacity) !== undefined
        ? []
        : ["the pool has no maxCapacity"];
    }
    if (type === CLUSTER_POLICY) {
      const def = policyDefinition(props);
      if (def === "unknown" || def === undefined) return [];
      return ["autoscale.max_workers", "num_workers"].flatMap((attr) => {
        const rule = def.get(attr);
        const bound = rule?.type === "fixed" ? num(rule.value ?? null) : rule?.maxValue;
        return bound !== undefined && bound <= max
          ? []
          : [`the policy does not bound ${attr} to at most ${max}`];
      });
    }
    return clusterSpecs(type, props).flatMap((c) => {
      const workers = num(rec(c.spec.autoscale).maxWorkers) ?? num(c.spec.numWorkers) ?? 0;
      return workers > max
        ? [`${c.label} scales to ${workers} workers, over ${max} in ${ctx.environment}`]
        : [];
    });
  },
);

/**
 * Every task (condition tasks aside: they cannot fail transiently) retries a failed attempt, a
 * bounded number of times. HIPAA §164.308(a)(7)(ii)(B)
 * (ingest keeps running through transient failures).
 */
export const databricksJobRetries = resourcePolicy(
  {
    name: "databricks-job-retries",
    description: "Every job task retries failed attempts (at least once, never forever).",
    remediation:
      "Set maxRetries (1–10) and minRetryIntervalMillis on every task (IngestJob: 2 retries, 5 minutes apart).",
    resourceTypes: [JOB],
    hipaa: ["§164.308(a)(7)(ii)(B)"],
    awsConfig: [],
    severity: "medium",
  },
  ({ props }) => {
    const tasks = tasksOf(props).filter((t) => t.conditionTask === undefined); // deterministic
    const units = list(props.tasks).length > 0 ? tasks : [{ ...props, taskKey: "(job)" }];
    return units.flatMap((t) => {
      if (isUnknown(t.maxRetries)) return [];
      const retries = num(t.maxRetries) ?? 0;
      if (retries === -1) return [`${taskLabel(t)} retries forever (maxRetries -1)`];
      return retries >= 1 ? [] : [`${taskLabel(t)} does not retry (maxRetries ${retries})`];
    });
  },
);

/**
 * Someone hears about every failed run. HIPAA §164.308(a)(6)(ii) response and reporting,
 * §164.308(a)(1)(ii)(D) information system activity review.
 */
export const databricksJobFailureNotifications = resourcePolicy(
  {
    name: "databricks-job-failure-notifications",
    description: "Every job notifies someone (e-mail or webhook) when a run fails.",
    remediation:
      "Set emailNotifications.onFailures or webhookNotifications.onFailures (IngestJob's onFailure).",
    resourceTypes: [JOB],
    hipaa: ["§164.308(a)(6)(ii)", "§164.308(a)(1)(ii)(D)"],
    awsConfig: [],
    severity: "medium",
  },
  ({ props }) => {
    if (notifies(props)) return [];
    const tasks = tasksOf(props);
    const silent = tasks.filter((t) => !notifies(t));
    return tasks.length > 0 && silent.length === 0
      ? []
      : [
          "no failure notification (emailNotifications.onFailures or webhookNotifications.onFailures)",
        ];
  },
);

/**
 * Tasks that run Spark do so on the job's own clusters, under its policy: not on an all-purpose
 * cluster (`existingClusterId`, shared and long-running) and not silently on serverless compute
 * (no cluster at all). HIPAA §164.312(a)(1) access control.
 */
export const databricksJobTaskCompute = resourcePolicy(
  {
    name: "databricks-job-task-compute",
    description: "Job tasks that run Spark use the job's clusters (jobClusterKey or newCluster).",
    remediation:
      "Give every notebook/Python/JAR task a jobClusterKey naming one of the job's jobClusters (IngestJob does); never existingClusterId, never no cluster.",
    resourceTypes: [JOB],
    hipaa: ["§164.312(a)(1)"],
    awsConfig: [],
    severity: "high",
  },
  ({ props }) => {
    if (isUnknown(props.tasks) || isUnknown(props.jobClusters)) return [];
    const keys = new Set(list(props.jobClusters).map((c) => str(rec(c).jobClusterKey)));
    return tasksOf(props).flatMap((t) => {
      if (!COMPUTE_TASK_KINDS.some((k) => t[k] !== undefined && t[k] !== null)) return [];
      if (str(t.existingClusterId) !== undefined || isUnknown(t.existingClusterId)) {
        return [`${taskLabel(t)} runs on an existing all-purpose cluster`];
      }
      const key = str(t.jobClusterKey);
      if (key !== undefined)
        return keys.has(key) ? [] : [`${taskLabel(t)} names unknown job cluster ${key}`];
      return t.newCluster !== undefined && t.newCluster !== null
        ? []
        : [`${taskLabel(t)} has no cluster: it runs on serverless compute`];
    });
  },
);

/**
 * Broad groups (`account users`, `users`) never hold ALL_PRIVILEGES or MANAGE on a PHI schema,
 * or on a catalog holding one (inherited). HIPAA §164.308(a)(4)(ii)(B) access authorization,
 * §164.308(a)(3)(ii)(A) workforce authorization (and the Privacy Rule's minimum necessary).
 */
export const databricksNoBroadPrivilegesOnPhi = stackPolicy(
  {
    name: "databricks-no-broad-privileges-on-phi",
    description:
      "No broad group (account users, users) holds ALL_PRIVILEGES, MANAGE, SELECT, MODIFY or file/volume access on a PHI table, schema or catalog, or on an external location or storage credential.",
    remediation:
      "Grant USE_SCHEMA and SELECT to the domain's own group (databricks.groups in the environment config), never to account users; keep ALL_PRIVILEGES with the platform admin group.",
    resourceTypes: [...GRANTS, SCHEMA, CATALOG, TABLE, EXTERNAL_LOCATION, STORAGE_CREDENTIAL],
    hipaa: ["§164.308(a)(4)(ii)(B)", "§164.308(a)(3)(ii)(A)"],
    awsConfig: [],
    severity: "critical",
  },
  (resources) => {
    const out: StackFinding[] = [];
    for (const g of resources.filter((r) => GRANTS.includes(r.type))) {
      const entries = g.type === GRANTS[0] ? list(g.props.grants).map(rec) : [g.props];
      const broad = entries.filter((e) => isBroadPrincipal(str(e.principal) ?? ""));
      if (broad.length === 0) continue;
      const target = targetPhi(g, resources);
      if (target === undefined || !target.phi) continue;
      for (const e of broad) {
        const denied = strings(e.privileges).filter((p) =>
          PRIVILEGES_DENIED_TO_BROAD_ON_PHI.includes(p),
        );
        if (denied.length > 0) {
          out.push({
            resource: { urn: g.urn, name: g.name },
            message: `the broad group "${str(e.principal)}" holds ${denied.join(" and ")} on ${target.label}, which holds PHI`,
          });
        }
      }
    }
    return out;
  },
);

/**
 * `databricks.Grants` is authoritative for its securable: a stack that grants on a catalog,
 * schema, table, external location or storage credential another stack creates revokes that
 * stack's grants on every deploy, and the two fight forever. Grants stay with the securable.
 * HIPAA §164.308(a)(4)(ii)(B) access authorization (grants that are reviewed where they live).
 */
export const databricksGrantsOnOwnSecurables = stackPolicy(
  {
    name: "databricks-grants-on-own-securables",
    description:
      "Grants target securables this stack creates (Grants is authoritative: on another stack's securable it revokes that stack's grants).",
    remediation:
      "Move the grant into the stack that creates the securable (the core stack for the catalog, storage credential and external locations), or use databricks.Grant for one principal.",
    resourceTypes: [GRANTS[0], SCHEMA, CATALOG, TABLE, EXTERNAL_LOCATION, STORAGE_CREDENTIAL],
    hipaa: ["§164.308(a)(4)(ii)(B)"],
    awsConfig: [],
    severity: "high",
  },
  (resources) => {
    const out: StackFinding[] = [];
    for (const g of resources.filter((r) => r.type === GRANTS[0])) {
      const target = securableOf(g);
      if (target === undefined) continue;
      if (createdHere(target, resources) === false) {
        out.push({
          resource: { urn: g.urn, name: g.name },
          message: `grants on ${target.kind} ${target.name}, which this stack does not create: each deploy would revoke the owning stack's grants`,
        });
      }
    }
    return out;
  },
);

export const databricksPolicies = [
  databricksAutotermination,
  databricksClusterPolicy,
  databricksUnityCatalogAccessMode,
  databricksLtsRuntime,
  databricksBoundedWorkers,
  databricksJobRetries,
  databricksJobFailureNotifications,
  databricksJobTaskCompute,
  databricksNoBroadPrivilegesOnPhi,
  databricksGrantsOnOwnSecurables,
];

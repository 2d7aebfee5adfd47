/**
 * Databricks compute and workspace hardening: encrypted local disks, no instance profiles (they
 * reach S3 around Unity Catalog), no SSH keys, cluster logs in owned encrypted storage, jobs run
 * as a service principal, isolated Unity Catalog securables, and the workspace's own settings.
 */
import { HARDENED_WORKSPACE_CONFIG } from "@hdp/spark";
import { resourcePolicy, stackPolicy, type StackFinding } from "../define";
import { bool, isUnknown, list, rec, str, strings, type Props } from "../values";
import { CLUSTER, CLUSTER_POLICY, JOB, clusterSpecs, policyDefinition } from "./clusters";

const INSTANCE_PROFILE = "databricks:index/instanceProfile:InstanceProfile";
const CATALOG = "databricks:index/catalog:Catalog";
const CREDENTIAL = "databricks:index/storageCredential:StorageCredential";
const LOCATION = "databricks:index/externalLocation:ExternalLocation";
const WORKSPACE_CONF = "databricks:index/workspaceConf:WorkspaceConf";
const IP_ACCESS_LIST = "databricks:index/ipAccessList:IpAccessList";
const CSP =
  "databricks:index/complianceSecurityProfileWorkspaceSetting:ComplianceSecurityProfileWorkspaceSetting";

/** The rule of `attribute` in a cluster policy ("unknown" or undefined when not readable). */
function policyRule(props: Props, attribute: string) {
  const def = policyDefinition(props);
  if (def === "unknown") return "unknown" as const;
  return def?.get(attribute);
}

/**
 * Spark's local disks (shuffle, spill, cached PHI) are encrypted: every cluster and job cluster
 * sets it, every cluster policy fixes it. HIPAA §164.312(a)(2)(iv) encryption and decryption.
 */
export const databricksLocalDiskEncryption = resourcePolicy(
  {
    name: "databricks-local-disk-encryption",
    description:
      "Clusters and job clusters encrypt their local disks; cluster policies fix enable_local_disk_encryption to true.",
    remediation:
      'Set enableLocalDiskEncryption: true on the cluster (IngestJob does) and { "enable_local_disk_encryption": { "type": "fixed", "value": true } } in the policy (ClusterPolicy does).',
    resourceTypes: [CLUSTER, JOB, CLUSTER_POLICY],
    hipaa: ["§164.312(a)(2)(iv)"],
    awsConfig: ["encrypted-volumes"],
    anchors: { awsguard: ["encrypted-volumes"], sra: ["sra-compute-policies"] },
    partial: {
      "encrypted-volumes":
        "Databricks attaches and encrypts the EBS volumes of its clusters; this checks Spark's local-disk encryption, which the platform controls",
    },
    severity: "high",
  },
  ({ type, props }) => {
    if (type === CLUSTER_POLICY) {
      const rule = policyRule(props, "enable_local_disk_encryption");
      if (rule === "unknown") return [];
      return rule?.type === "fixed" && rule.value === true
        ? []
        : ["the policy does not fix enable_local_disk_encryption to true"];
    }
    return clusterSpecs(type, props)
      .filter((c) => !isUnknown(c.spec.enableLocalDiskEncryption))
      .filter((c) => bool(c.spec.enableLocalDiskEncryption) !== true)
      .map((c) => `${c.label} does not encrypt its local disks`);
  },
);

/**
 * Compute reaches S3 only through Unity Catalog: no instance profile on clusters or job
 * clusters, none allowed by policies, no `databricks.InstanceProfile` registered (an instance
 * profile grants its role's S3 access to anyone on the cluster, outside UC grants and audit).
 * HIPAA §164.312(a)(1) access control, §164.308(a)(4)(ii)(B).
 */
export const databricksNoInstanceProfiles = resourcePolicy(
  {
    name: "databricks-no-instance-profiles",
    description:
      "No Databricks compute uses an instance profile: cluster policies forbid them, clusters set none, none is registered.",
    remediation:
      'Remove awsAttributes.instanceProfileArn and read storage through Unity Catalog external locations; fix "aws_attributes.instance_profile_arn" to { "type": "forbidden" } in the policy (ClusterPolicy does).',
    resourceTypes: [CLUSTER, JOB, CLUSTER_POLICY, INSTANCE_PROFILE],
    hipaa: ["§164.312(a)(1)", "§164.308(a)(4)(ii)(B)"],
    awsConfig: [],
    anchors: { sra: ["sra-unity-catalog-access"] },
    severity: "high",
  },
  ({ type, props }) => {
    if (type === INSTANCE_PROFILE) {
      return [
        `registers instance profile ${str(props.instanceProfileArn) ?? "(unknown)"} in the workspace`,
      ];
    }
    if (type === CLUSTER_POLICY) {
      const rule = policyRule(props, "aws_attributes.instance_profile_arn");
      if (rule === "unknown") return [];
      return rule?.type === "forbidden"
        ? []
        : ["the policy does not forbid aws_attributes.instance_profile_arn"];
    }
    return clusterSpecs(type, props)
      .filter((c) => {
        const arn = rec(c.spec.awsAttributes).instanceProfileArn;
        return !isUnknown(arn) && (str(arn) ?? "") !== "";
      })
      .map(
        (c) =>
          `${c.label} uses instance profile ${str(rec(c.spec.awsAttributes).instanceProfileArn)}`,
      );
  },
);

/**
 * Nobody logs in to cluster nodes: no SSH public keys on clusters and job clusters, and policies
 * forbid them (a shell on a node reads every user's data on it, unaudited). HIPAA §164.312(a)(1),
 * §164.312(b).
 */
export const databricksNoSshKeys = resourcePolicy(
  {
    name: "databricks-no-ssh-keys",
    description:
      "Clusters and job clusters carry no SSH public keys; cluster policies forbid them.",
    remediation:
      'Remove sshPublicKeys; add "ssh_public_keys.*": { "type": "forbidden" } to the policy (ClusterPolicy does).',
    resourceTypes: [CLUSTER, JOB, CLUSTER_POLICY],
    hipaa: ["§164.312(a)(1)", "§164.312(b)"],
    awsConfig: ["restricted-ssh"],
    partial: {
      "restricted-ssh":
        "AWS Config checks security groups for port 22; Databricks manages its nodes' groups, so this checks the SSH keys that would open them",
    },
    severity: "high",
  },
  ({ type, props }) => {
    if (type === CLUSTER_POLICY) {
      const rule = policyRule(props, "ssh_public_keys.*");
      if (rule === "unknown") return [];
      return rule?.type === "forbidden" ? [] : ["the policy does not forbid ssh_public_keys.*"];
    }
    return clusterSpecs(type, props)
      .filter((c) => !isUnknown(c.spec.sshPublicKeys) && list(c.spec.sshPublicKeys).length > 0)
      .map((c) => `${c.label} carries ${list(c.spec.sshPublicKeys).length} SSH public key(s)`);
  },
);

/** Where a cluster spec delivers its logs: a problem, or undefined when owned and encrypted. */
function logDeliveryProblem(spec: Props): string | undefined {
  const conf = rec(spec.clusterLogConf);
  if (isUnknown(spec.clusterLogConf)) return undefined;
  const volume = str(rec(conf.volumes).destination);
  if (volume !== undefined) {
    return volume.startsWith("/Volumes/")
      ? undefined
      : `delivers logs to ${volume}, not a UC volume`;
  }
  if (conf.s3 !== undefined && conf.s3 !== null) {
    const s3 = rec(conf.s3);
    return bool(s3.enableEncryption) === true && (str(s3.kmsKey) ?? "") !== ""
      ? undefined
      : "delivers logs to S3 without SSE-KMS (enableEncryption and kmsKey)";
  }
  if (conf.dbfs !== undefined && conf.dbfs !== null)
    return "delivers logs to DBFS (the workspace's root storage, readable by every user)";
  return "keeps no logs: its driver and executor logs vanish with the cluster";
}

/**
 * Job clusters deliver their driver and executor logs to storage the platform owns and encrypts
 * (a Unity Catalog volume, or S3 with SSE-KMS), never to DBFS root or nowhere. HIPAA §164.312(b)
 * audit controls, §164.312(a)(2)(iv).
 */
export const databricksClusterLogDelivery = resourcePolicy(
  {
    name: "databricks-cluster-log-delivery",
    description:
      "Clusters and job clusters deliver their logs to a Unity Catalog volume or to S3 with SSE-KMS.",
    remediation:
      "Set clusterLogConf.volumes.destination to the environment's cluster-log volume (/Volumes/<catalog>/hdp_ops/cluster_logs/…; IngestJob's logVolumePath).",
    resourceTypes: [CLUSTER, JOB],
    hipaa: ["§164.312(b)", "§164.312(a)(2)(iv)"],
    awsConfig: [],
    severity: "medium",
  },
  ({ type, props }) =>
    clusterSpecs(type, props).flatMap((c) => {
      const p = logDeliveryProblem(c.spec);
      return p === undefined ? [] : [`${c.label} ${p}`];
    }),
);

/**
 * Outside development, jobs run as a service principal, not as whoever deployed them (a person
 * leaving would break them; their grants would leak into every run). HIPAA §164.308(a)(3)(ii)(C)
 * termination procedures, §164.308(a)(4)(ii)(B).
 */
export const databricksJobsRunAsServicePrincipal = resourcePolicy(
  {
    name: "databricks-jobs-run-as-service-principal",
    description: "In stage and production, jobs run as a service principal (runAs).",
    remediation:
      "Set databricks.hardening.jobsRunAs in the environment config to the service principal's application id (IngestJob's runAsServicePrincipal).",
    resourceTypes: [JOB],
    hipaa: ["§164.308(a)(3)(ii)(C)", "§164.308(a)(4)(ii)(B)"],
    awsConfig: [],
    anchors: { sra: ["sra-service-principals"] },
    severity: "medium",
  },
  ({ props }, ctx) => {
    if (ctx.tier === "dev" || isUnknown(props.runAs)) return [];
    const sp = rec(props.runAs).servicePrincipalName;
    if (isUnknown(sp)) return [];
    return (str(sp) ?? "") !== ""
      ? []
      : [
          `runs as ${str(rec(props.runAs).userName) ?? "whoever deployed it"}, not a service principal`,
        ];
  },
);

/** What isolated means for each securable type. */
const ISOLATED: Readonly<Record<string, string>> = {
  [CATALOG]: "ISOLATED",
  [CREDENTIAL]: "ISOLATION_MODE_ISOLATED",
  [LOCATION]: "ISOLATION_MODE_ISOLATED",
};

/**
 * Catalogs, storage credentials and external locations are bound to their environment's
 * workspace (isolation mode): the metastore is shared by every workspace of the region, and an
 * open securable is reachable from dev. HIPAA §164.312(a)(1), §164.308(a)(3)(ii)(A).
 */
export const databricksUnityCatalogIsolation = resourcePolicy(
  {
    name: "databricks-uc-isolation",
    description:
      "Unity Catalog catalogs, storage credentials and external locations are isolated to their workspace.",
    remediation:
      'Set isolationMode "ISOLATED" on catalogs and "ISOLATION_MODE_ISOLATED" on storage credentials and external locations (LakeCatalog and UnityCatalogStorage do).',
    resourceTypes: [CATALOG, CREDENTIAL, LOCATION],
    hipaa: ["§164.312(a)(1)", "§164.308(a)(3)(ii)(A)"],
    awsConfig: [],
    anchors: { sra: ["sra-workspace-isolation"] },
    severity: "high",
  },
  ({ type, props }) => {
    if (isUnknown(props.isolationMode)) return [];
    const mode = str(props.isolationMode) ?? "OPEN";
    return mode === ISOLATED[type]
      ? []
      : [`isolationMode is ${mode}: every workspace of the metastore can use it`];
  },
);

/** Why a workspace's hardening falls short in `ctx` (empty when it does not). */
function hardeningProblems(
  confs: readonly Props[],
  lists: readonly Props[],
  csps: readonly Props[],
  phiReal: boolean,
  tier: string,
): string[] {
  if (confs.length === 0)
    return [
      "the workspace has no databricks.WorkspaceConf (verbose audit logs, downloads, export, token lifetime)",
    ];
  const out: string[] = [];
  const conf: Record<string, string> = {};
  for (const c of confs) {
    if (isUnknown(c.customConfig)) return [];
    for (const [k, v] of Object.entries(rec(c.customConfig))) {
      if (isUnknown(v)) return [];
      conf[k] =
        typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : "";
    }
  }
  const wrong = Object.entries(HARDENED_WORKSPACE_CONFIG).filter(([k, v]) => conf[k] !== v);
  if (wrong.length > 0)
    out.push(
      `workspace settings ${wrong.map(([k, v]) => `${k} must be ${v} (is ${conf[k] ?? "unset"})`).join(", ")}`,
    );
  const days = Number(conf.maxTokenLifetimeDays ?? "0");
  if (tier !== "dev" && !(days >= 1 && days <= 90))
    out.push(
      `maxTokenLifetimeDays is ${conf.maxTokenLifetimeDays ?? "unset"} (at most 90 outside development)`,
    );
  if (!phiReal) return out;
  const allow = lists.filter(
    (l) =>
      str(l.listType) === "ALLOW" && bool(l.enabled) !== false && strings(l.ipAddresses).length > 0,
  );
  if (conf.enableIpAccessLists !== "true" || allow.length === 0)
    out.push("no enabled ALLOW IP access list: the workspace is reachable from any address");
  const profile = csps.some((c) => {
    const p = rec(c.complianceSecurityProfileWorkspace);
    return bool(p.isEnabled) === true && strings(p.complianceStandards).includes("HIPAA");
  });
  if (!profile)
    out.push(
      "the compliance security profile with HIPAA is not enabled (Databricks requires it for PHI)",
    );
  return out;
}

/**
 * The workspace holding the environment's catalog is hardened: verbose audit logs, no result
 * downloads, notebook export or result-table clipboard, tokens of at most 90 days, and where real
 * PHI is processed an IP allow-list and the compliance security profile (HIPAA). HIPAA §164.312(b),
 * §164.312(a)(1), §164.312(a)(2)(iii), §164.312(e)(1).
 */
export const databricksWorkspaceHardening = stackPolicy(
  {
    name: "databricks-workspace-hardening",
    description:
      "The stack holding a catalog hardens its workspace: verbose audit logs, no download/export/clipboard, short tokens; IP allow-list and compliance security profile with real PHI.",
    remediation:
      "Create a WorkspaceHardening (@hdp/spark; the platform does in every core stack) and set databricks.hardening (ipAccessList, maxTokenLifetimeDays) in the environment config.",
    resourceTypes: [CATALOG, WORKSPACE_CONF, IP_ACCESS_LIST, CSP],
    hipaa: ["§164.312(b)", "§164.312(a)(1)", "§164.312(a)(2)(iii)", "§164.312(e)(1)"],
    awsConfig: [],
    anchors: {
      sra: [
        "sra-verbose-audit-logs",
        "sra-ip-access-lists",
        "sra-token-management",
        "sra-exfiltration-settings",
        "sra-compliance-security-profile",
      ],
    },
    severity: "high",
    presence: true,
    uses: ["phi"],
  },
  (resources, ctx) => {
    const catalogs = resources.filter((r) => r.type === CATALOG);
    if (catalogs.length === 0) return [];
    const of = (t: string) => resources.filter((r) => r.type === t).map((r) => r.props);
    const problems = hardeningProblems(
      of(WORKSPACE_CONF),
      of(IP_ACCESS_LIST),
      of(CSP),
      ctx.phi === "real",
      ctx.tier,
    );
    const target = catalogs[0];
    return problems.map((message): StackFinding => ({
      resource: { urn: target.urn, name: target.name },
      message,
    }));
  },
);

export const computeHardeningPolicies = [
  databricksLocalDiskEncryption,
  databricksNoInstanceProfiles,
  databricksNoSshKeys,
  databricksClusterLogDelivery,
  databricksJobsRunAsServicePrincipal,
  databricksUnityCatalogIsolation,
  databricksWorkspaceHardening,
];

/** Airflow on MWAA: the environment, its DAG capacity, and its network (security groups). */
import { MWAA_DAG_CAPACITY, isEnvironmentClass } from "@hdp/airflow";
import { resourcePolicy, stackPolicy, type StackFinding } from "../define";
import { bool, isUnknown, list, rec, str, strings } from "../values";

const MWAA = "aws:mwaa/environment:Environment";
const OBJECT_TYPES = ["aws:s3/bucketObjectv2:BucketObjectv2", "aws:s3/bucketObject:BucketObject"];

/**
 * Outside development the Airflow UI is reachable only inside the VPC (`PRIVATE_ONLY`, MWAA's
 * default). HIPAA §164.312(e)(1) transmission security, §164.312(a)(1) access control.
 */
export const mwaaPrivateWebserver = resourcePolicy(
  {
    name: "mwaa-private-webserver",
    description: "MWAA webservers are PRIVATE_ONLY in stage and production.",
    remediation:
      'Set webserverAccessMode "PRIVATE_ONLY" (the environment config\'s airflow.webserverAccess) and reach the UI through the VPN.',
    resourceTypes: [MWAA],
    hipaa: ["§164.312(e)(1)", "§164.312(a)(1)"],
    awsConfig: [],
    severity: "high",
  },
  ({ props }, ctx) => {
    if (ctx.tier === "dev" || isUnknown(props.webserverAccessMode)) return [];
    const mode = str(props.webserverAccessMode) ?? "PRIVATE_ONLY";
    return mode === "PRIVATE_ONLY"
      ? []
      : [`webserverAccessMode is ${mode} in ${ctx.environment}: the Airflow UI faces the internet`];
  },
);

/** The five MWAA log types. */
export const MWAA_LOG_TYPES = [
  "dagProcessingLogs",
  "schedulerLogs",
  "taskLogs",
  "webserverLogs",
  "workerLogs",
] as const;

/**
 * All five MWAA log types go to CloudWatch. HIPAA §164.312(b) audit controls,
 * §164.308(a)(1)(ii)(D) information system activity review.
 */
export const mwaaAllLogsEnabled = resourcePolicy(
  {
    name: "mwaa-all-logs-enabled",
    description: "MWAA environments send all five log types to CloudWatch Logs.",
    remediation:
      "Enable dagProcessingLogs, schedulerLogs, taskLogs, webserverLogs and workerLogs in loggingConfiguration (AirflowEnvironment does).",
    resourceTypes: [MWAA],
    hipaa: ["§164.312(b)", "§164.308(a)(1)(ii)(D)"],
    awsConfig: [],
    severity: "high",
  },
  ({ props }) => {
    if (isUnknown(props.loggingConfiguration)) return [];
    const logging = rec(props.loggingConfiguration);
    const off = MWAA_LOG_TYPES.filter((t) => {
      const enabled = rec(logging[t]).enabled;
      return !isUnknown(logging[t]) && !isUnknown(enabled) && bool(enabled) !== true;
    });
    return off.length === 0 ? [] : [`log types not enabled: ${off.join(", ")}`];
  },
);

/**
 * The environment (its metadata, logs and queues) is encrypted with a customer-managed key,
 * given as a single-region key ARN. HIPAA §164.312(a)(2)(iv) encryption and decryption.
 */
export const mwaaKmsKey = resourcePolicy(
  {
    name: "mwaa-kms-key",
    description:
      "MWAA environments use a customer-managed, single-region KMS key given by key ARN.",
    remediation:
      "Set kmsKey to the ARN of a LakeKey that allows CloudWatch Logs (AirflowEnvironment creates one); not an alias, not an mrk- key.",
    resourceTypes: [MWAA],
    hipaa: ["§164.312(a)(2)(iv)"],
    awsConfig: [],
    severity: "high",
  },
  ({ props }) => {
    if (isUnknown(props.kmsKey)) return [];
    const key = str(props.kmsKey) ?? "";
    if (key === "") return ["no kmsKey: MWAA falls back to an AWS-owned key"];
    if (key.includes(":alias/") || key.startsWith("alias/")) {
      return [`kmsKey ${key} is an alias; MWAA takes a key ARN or id`];
    }
    if (/(^|key\/)mrk-/.test(key))
      return [`kmsKey ${key} is a multi-region key; MWAA refuses those`];
    return [];
  },
);

/**
 * The environment class can schedule the DAGs it will hold (AWS sizes mw1.micro for 25 DAGs,
 * small 50, medium 250, large 1,000, xlarge 2,000, 2xlarge 4,000: `MWAA_DAG_CAPACITY` of
 * @hdp/airflow). The count is the larger of the config's `dagCount` and the DAG files uploaded
 * under the environment's `dagS3Path`. HIPAA §164.308(a)(7)(ii)(B) availability (disaster
 * recovery) of the pipelines moving ePHI.
 */
export const mwaaClassCapacity = stackPolicy(
  {
    name: "mwaa-class-capacity",
    description: "Each MWAA environment class is large enough for the DAGs it will hold.",
    remediation:
      "Raise airflow.environmentClass in the environment config to the class that fits (validateDagCount of @hdp/airflow names it), or split the DAGs.",
    resourceTypes: [MWAA, ...OBJECT_TYPES],
    hipaa: ["§164.308(a)(7)(ii)(B)"],
    awsConfig: [],
    severity: "medium",
    uses: ["dagCount"],
  },
  (resources, ctx) => {
    const out: StackFinding[] = [];
    for (const env of resources.filter((r) => r.type === MWAA)) {
      const cls = env.props.environmentClass;
      if (isUnknown(cls)) continue;
      const environmentClass = str(cls) ?? "mw1.small"; // MWAA's default class
      if (!isEnvironmentClass(environmentClass)) continue;
      const bucket = /^arn:[^:]+:s3:::(.+)$/.exec(str(env.props.sourceBucketArn) ?? "")?.[1];
      const prefix = `${(str(env.props.dagS3Path) ?? "dags").replace(/\/$/, "")}/`;
      const files = resources.filter(
        (o) =>
          OBJECT_TYPES.includes(o.type) &&
          bucket !== undefined &&
          o.props.bucket === bucket &&
          (str(o.props.key) ?? "").startsWith(prefix) &&
          (str(o.props.key) ?? "").endsWith(".py"),
      ).length;
      const dags = Math.max(files, ctx.dagCount ?? 0);
      const capacity = MWAA_DAG_CAPACITY[environmentClass];
      if (dags > capacity) {
        out.push({
          resource: { urn: env.urn, name: env.name },
          message: `${environmentClass} is sized for ${capacity} DAGs; this environment will hold ${dags}`,
        });
      }
    }
    return out;
  },
);

const OPEN = ["0.0.0.0/0", "::/0"];

/**
 * No security group admits traffic from the whole internet. HIPAA §164.312(e)(1) transmission
 * security, §164.312(a)(1) access control; AWS Config restricted-common-ports and
 * vpc-sg-open-only-to-authorized-ports (HIPAA pack), stricter: no port is open to the internet.
 */
export const vpcNoOpenIngress = resourcePolicy(
  {
    name: "vpc-no-open-ingress",
    description: "No security group ingress rule is open to 0.0.0.0/0 or ::/0.",
    remediation:
      "Admit only the VPN's or VPC's CIDRs (AirflowEnvironment's webserverIngressCidrs) or a referenced security group.",
    resourceTypes: [
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:ec2/securityGroupRule:SecurityGroupRule",
    ],
    hipaa: ["§164.312(e)(1)", "§164.312(a)(1)"],
    awsConfig: ["restricted-common-ports", "vpc-sg-open-only-to-authorized-ports"],
    anchors: { cdkNag: ["HIPAA.Security-EC2RestrictedCommonPorts"] },
    severity: "high",
  },
  ({ type, props }) => {
    const cidrs: string[] = [];
    if (type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
      cidrs.push(...strings(props.cidrIpv4), ...strings(props.cidrIpv6));
    } else if (type === "aws:ec2/securityGroupRule:SecurityGroupRule") {
      if (props.type === "ingress") {
        cidrs.push(...strings(props.cidrBlocks), ...strings(props.ipv6CidrBlocks));
      }
    } else {
      for (const rule of list(props.ingress)) {
        cidrs.push(...strings(rec(rule).cidrBlocks), ...strings(rec(rule).ipv6CidrBlocks));
      }
    }
    const open = [...new Set(cidrs.filter((c) => OPEN.includes(c)))];
    return open.length === 0 ? [] : [`ingress is open to ${open.join(" and ")}`];
  },
);

export const mwaaPolicies = [
  mwaaPrivateWebserver,
  mwaaAllLogsEnabled,
  mwaaKmsKey,
  mwaaClassCapacity,
  vpcNoOpenIngress,
];

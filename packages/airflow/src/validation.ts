/**
 * Pure checks of {@link AirflowEnvironmentArgs} that MWAA would only reject at deploy time (or
 * not at all). All problems are collected; Outputs (unknown until deploy) are skipped.
 */
import type * as pulumi from "@pulumi/pulumi";
import { refuseInsecure, validateBucketName, validateMwaaEnvironmentName } from "@hdp/naming";
import { isEnvironmentClass, validateDagCount, ENVIRONMENT_CLASSES } from "./capacity";

/** MWAA log levels. */
export type MwaaLogLevel = "CRITICAL" | "ERROR" | "WARNING" | "INFO" | "DEBUG";
const LOG_LEVELS: readonly string[] = ["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"];

/** The fields {@link validateAirflowArgs} checks (a subset of the component's args). */
export interface AirflowArgsToValidate {
  readonly environmentName: string;
  readonly dagBucketName: string;
  readonly privateSubnetIds: readonly pulumi.Input<string>[];
  readonly kmsKeyArn?: pulumi.Input<string>;
  readonly airflowVersion: string;
  readonly environmentClass: string;
  readonly minWorkers: number;
  readonly maxWorkers: number;
  readonly schedulers?: number;
  readonly logLevel: string;
  readonly webserverAccessMode: string;
  readonly webserverIngressCidrs: readonly string[];
  readonly webserverIngressSecurityGroupIds: readonly string[];
  readonly egressCidrs: readonly string[];
  readonly expectedDagCount?: number;
  readonly acceptInsecure?: readonly string[];
}

/** Pinned `major.minor.patch` of Airflow 2 or 3 (unset would mean "latest" and drift). */
const AIRFLOW_VERSION = /^[23]\.\d+\.\d+$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
/** Largest worker count MWAA accepts. */
export const MWAA_MAX_WORKERS = 25;

/** Whether `cidr` is an IPv4 CIDR block such as `10.0.0.0/16`. */
export function isIpv4Cidr(cidr: string): boolean {
  const m = IPV4_CIDR.exec(cidr);
  if (m === null) return false;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) && Number(m[5]) <= 32;
}

/**
 * A KMS key for MWAA: an ARN (the execution role's policy and the DAG bucket need it), not an
 * alias, not a multi-region key (`mrk-`), which MWAA refuses.
 */
export function validateMwaaKmsKey(key: pulumi.Input<string> | undefined): string[] {
  if (typeof key !== "string") return [];
  if (key.includes("alias/")) return [`kmsKeyArn "${key}" is an alias; MWAA needs a key ARN`];
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(key)) {
    return [`kmsKeyArn "${key}" must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`];
  }
  if (key.includes(":key/mrk-"))
    return [`kmsKeyArn "${key}" is a multi-region key; MWAA refuses those`];
  return [];
}

function wholeBetween(value: number, min: number, max: number, field: string): string[] {
  return Number.isInteger(value) && value >= min && value <= max
    ? []
    : [`${field} is ${value}; it must be a whole number from ${min} to ${max}`];
}

/** Every problem of the args, at once. */
export function validateAirflowArgs(a: AirflowArgsToValidate): string[] {
  const problems = [
    ...validateMwaaEnvironmentName(a.environmentName).map((p) => `environmentName: ${p}`),
    ...validateBucketName(a.dagBucketName).map((p) => `dagBucketName: ${p}`),
    ...validateMwaaKmsKey(a.kmsKeyArn),
  ];
  if (a.privateSubnetIds.length !== 2) {
    problems.push(
      `privateSubnetIds has ${a.privateSubnetIds.length} subnets; MWAA needs exactly two private subnets in different AZs`,
    );
  }
  const plain = a.privateSubnetIds.filter((s): s is string => typeof s === "string");
  for (const s of plain) {
    if (!SUBNET_ID.test(s)) problems.push(`privateSubnetIds: "${s}" is not a subnet id`);
  }
  if (plain.length === 2 && plain[0] === plain[1]) {
    problems.push(
      `privateSubnetIds: "${plain[0]}" is given twice; MWAA needs two different subnets`,
    );
  }
  if (!AIRFLOW_VERSION.test(a.airflowVersion)) {
    problems.push(
      `airflowVersion "${a.airflowVersion}" must be a pinned Airflow 2 or 3 version such as "2.10.3"`,
    );
  }
  if (!isEnvironmentClass(a.environmentClass)) {
    problems.push(
      `environmentClass "${a.environmentClass}" must be one of ${ENVIRONMENT_CLASSES.join(", ")}`,
    );
  } else if (a.expectedDagCount !== undefined) {
    problems.push(...validateDagCount(a.environmentClass, a.expectedDagCount));
  }
  problems.push(...wholeBetween(a.minWorkers, 1, MWAA_MAX_WORKERS, "minWorkers"));
  problems.push(...wholeBetween(a.maxWorkers, 1, MWAA_MAX_WORKERS, "maxWorkers"));
  if (a.maxWorkers < a.minWorkers) {
    problems.push(`maxWorkers (${a.maxWorkers}) is below minWorkers (${a.minWorkers})`);
  }
  if (a.schedulers !== undefined) {
    const max = a.environmentClass === "mw1.micro" ? 1 : 5;
    const min = a.environmentClass === "mw1.micro" ? 1 : 2;
    problems.push(...wholeBetween(a.schedulers, min, max, `schedulers (${a.environmentClass})`));
  }
  if (!LOG_LEVELS.includes(a.logLevel)) {
    problems.push(`logLevel "${a.logLevel}" must be one of ${LOG_LEVELS.join(", ")}`);
  }
  if (a.webserverAccessMode !== "PRIVATE_ONLY" && a.webserverAccessMode !== "PUBLIC_ONLY") {
    problems.push(
      `webserverAccessMode "${a.webserverAccessMode}" must be PRIVATE_ONLY or PUBLIC_ONLY`,
    );
  } else if (a.webserverAccessMode === "PUBLIC_ONLY") {
    // Defence in depth: the policy pack's rule, refused here unless accepted knowingly.
    problems.push(
      ...refuseInsecure(
        "webserverAccessMode",
        "mwaa-private-webserver",
        "webserverAccessMode is PUBLIC_ONLY: the Airflow UI faces the internet",
        a.acceptInsecure,
      ),
    );
  }
  for (const [field, cidrs] of [
    ["webserverIngressCidrs", a.webserverIngressCidrs],
    ["egressCidrs", a.egressCidrs],
  ] as const) {
    for (const c of cidrs)
      if (!isIpv4Cidr(c)) problems.push(`${field}: "${c}" is not an IPv4 CIDR`);
    if (new Set(cidrs).size !== cidrs.length) problems.push(`${field} lists a CIDR twice`);
  }
  for (const sg of a.webserverIngressSecurityGroupIds) {
    if (!/^sg-[0-9a-f]{8,17}$/.test(sg)) {
      problems.push(`webserverIngressSecurityGroupIds: "${sg}" is not a security group id`);
    }
  }
  if (a.egressCidrs.length === 0) {
    problems.push(
      "egressCidrs is empty: MWAA cannot reach S3, SQS, CloudWatch or KMS without egress",
    );
  }
  return problems;
}

/**
 * The component's own options: the caller's, without `protect` and `retainOnDelete`, which the
 * component applies to its stateful children explicitly. The component itself holds no data and
 * stays unprotected (a protected component would block every refactor of it), so children that
 * hold none are not protected by Pulumi's inheritance either.
 */
export function componentOptions(
  opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.ComponentResourceOptions {
  const { protect: _protect, retainOnDelete: _retain, ...own } = opts ?? {};
  return own;
}

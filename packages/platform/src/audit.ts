/**
 * The environment's audit trail: which buckets hold PHI (so their object-level calls are
 * recorded), where the records go, and for how long. Pure functions plus one creator.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  auditBucketName,
  auditKeyAlias,
  auditRetentionDays,
  auditTrailName,
  catalogBucketName,
  dagBucketName,
  logBucketName,
} from "@hdp/config";
import { bucketArnFor } from "@hdp/airflow";
import { AuditTrail, type AccessLogBucket } from "@hdp/lake";
import { statefulOptions, type StackPlan } from "./plan";

/**
 * Every bucket of the environment that may hold PHI, sorted: the lake layers of PHI-classified
 * domains, and (tagged with the environment's highest classification) the catalog's managed
 * storage and the DAG bucket when any domain holds PHI. The trail records all of them (it records
 * every bucket but the log buckets); this list is what `hdp explain` and tests name.
 */
export function phiBucketNames(plan: Pick<StackPlan, "domains" | "names">): string[] {
  const phi = plan.domains.filter((d) => d.classification === "phi");
  if (phi.length === 0) return [];
  return [
    ...phi.flatMap((d) => Object.values(d.bucketNames)),
    catalogBucketName(plan.names),
    dagBucketName(plan.names),
  ].sort();
}

/** The access-log targets of the environment: the trail does not record their deliveries. */
export function logBucketNames(plan: Pick<StackPlan, "domains" | "names">): string[] {
  return [logBucketName(plan.names), ...plan.domains.map((d) => d.logBucketName)].sort();
}

/** Where the environment's reads of PHI objects are recorded (for `hdp explain` and plans). */
export interface AuditRecordLocation {
  /** The trail's ARN (the platform's own or the organisation trail the config names). */
  readonly trailArn: string;
  /** `s3://bucket/prefix` of the log files. */
  readonly logLocation: string;
  /** Days the records are locked (the platform's own trail), undefined for an organisation trail. */
  readonly lockedDays: number | undefined;
  /** True when the config relies on an organisation trail. */
  readonly organizationTrail: boolean;
}

/** Where object-level reads of the environment's PHI buckets are recorded. */
export function auditRecordLocation(
  plan: Pick<StackPlan, "environment" | "names" | "region">,
): AuditRecordLocation {
  const env = plan.environment;
  const org = env.audit.organizationTrail;
  if (org !== undefined) {
    return {
      trailArn: org.trailArn,
      logLocation: org.logLocation,
      lockedDays: undefined,
      organizationTrail: true,
    };
  }
  return {
    trailArn: `arn:aws:cloudtrail:${plan.region}:${env.aws.accountId}:trail/${auditTrailName(plan.names)}`,
    logLocation: `s3://${auditBucketName(plan.names)}/AWSLogs/${env.aws.accountId}/CloudTrail/`,
    lockedDays: auditRetentionDays(env),
    organizationTrail: false,
  };
}

/** ARNs of the audit bucket, for the access-log bucket's sources (none with an organisation trail). */
export function auditBucketArns(plan: Pick<StackPlan, "environment" | "names">): string[] {
  return plan.environment.audit.organizationTrail !== undefined
    ? []
    : [bucketArnFor(auditBucketName(plan.names))];
}

/** The environment's trail and audit bucket, unless the config names an organisation trail. */
export function createAuditTrail(
  plan: StackPlan,
  accessLogs: AccessLogBucket,
  opts: pulumi.ComponentResourceOptions,
): AuditTrail | undefined {
  const env = plan.environment;
  if (env.audit.organizationTrail !== undefined) return undefined;
  return new AuditTrail(
    "audit",
    {
      trailName: auditTrailName(plan.names),
      bucketName: auditBucketName(plan.names),
      keyAliasName: auditKeyAlias(plan.names),
      accountId: env.aws.accountId,
      region: plan.region,
      excludedBucketNames: logBucketNames(plan),
      retentionDays: auditRetentionDays(env),
      accessLogs: accessLogs.asTarget(),
      tags: plan.sharedTags,
    },
    // The evidence is stateful in every environment that protects anything.
    { ...opts, ...statefulOptions(plan) },
  );
}

/**
 * The physical names this estate derives from config ids. One place, so the loader can check
 * them against AWS and Databricks rules before anything is planned, and the platform uses
 * exactly the names that were checked.
 */
import { composeLakeBucketName, joinName } from "@hdp/naming";
import type { Layer } from "./schema";

/** What names are derived from. */
export interface NameContext {
  readonly org: string;
  readonly env: string;
  readonly accountId: string;
}

/** S3 bucket of one domain's lake layer; the account id makes the global name unique. */
export const lakeBucketName = (c: NameContext, domain: string, layer: Layer): string =>
  composeLakeBucketName({ prefix: c.org, environment: c.env, domain, layer, suffix: c.accountId });

/** The environment's access-log bucket (SSE-S3, no PHI). */
export const logBucketName = (c: NameContext): string =>
  joinName([c.org, c.env, "access-logs", c.accountId], 63);

/** The access-log bucket of one domain's lake (each domain's cost center pays for its logs). */
export const domainLogBucketName = (c: NameContext, domain: string): string =>
  joinName([c.org, c.env, domain, "access-logs", c.accountId], 63);

/**
 * The bucket of the catalog's managed storage root (Unity Catalog needs one when the metastore
 * has no root storage; schemas keep their data in their domain's buckets).
 */
export const catalogBucketName = (c: NameContext): string =>
  joinName([c.org, c.env, "catalog", c.accountId], 63);

/** The environment's MWAA DAG bucket. */
export const dagBucketName = (c: NameContext): string =>
  joinName([c.org, c.env, "airflow", c.accountId], 63);

/** The environment's audit bucket: CloudTrail's PHI access records, under COMPLIANCE object lock. */
export const auditBucketName = (c: NameContext): string =>
  joinName([c.org, c.env, "audit", c.accountId], 63);

/** The CloudTrail trail recording object-level access to the environment's PHI buckets. */
export const auditTrailName = (c: NameContext): string =>
  joinName([c.org, c.env, "phi-access"], 128);

/** KMS alias of the audit key (trail and audit bucket). */
export const auditKeyAlias = (c: NameContext): string => `alias/${c.org}/${c.env}/audit`;

/** The local AWS Backup vault of the off-account copy (≤ 50 characters). */
export const backupVaultName = (c: NameContext): string => joinName([c.org, c.env, "phi-copy"], 50);

/** KMS alias of the backup vault's key. */
export const backupKeyAlias = (c: NameContext): string => `alias/${c.org}/${c.env}/backup`;

/**
 * Head every ingest role name of an environment starts with (before `-<source>`), so one
 * `arn:…:role/<head>-*` pattern covers them all. Org and environment ids may be 32 characters
 * each: a head longer than 44 characters is shortened (stably, with a hash) to leave a source
 * at least 19 characters of the 64 IAM allows.
 */
export const ingestRoleHead = (c: NameContext): string => joinName([c.org, c.env, "ingest"], 44);

/** IAM role an ingest source's jobs assume: the head, then the source (shortened if need be). */
export const ingestRoleName = (c: NameContext, source: string): string => {
  const head = ingestRoleHead(c);
  return `${head}-${joinName([source], 64 - head.length - 1)}`;
};

/** KMS alias of a domain's lake key. */
export const lakeKeyAlias = (c: NameContext, domain: string): string =>
  `alias/${c.org}/${c.env}/${domain}`;

/** KMS alias of the catalog bucket's key. */
export const catalogKeyAlias = (c: NameContext): string => lakeKeyAlias(c, "catalog");

/** Unity Catalog catalog of an environment. */
export const catalogName = (c: NameContext): string => `${c.org}_${c.env}`.replaceAll("-", "_");

/** Unity Catalog schema of one source's layer. */
export const schemaName = (source: string, layer: Layer): string =>
  `${source}_${layer}`.replaceAll("-", "_");

/** MWAA environment name. */
export const mwaaEnvironmentName = (c: NameContext): string =>
  joinName([c.org, c.env, "airflow"], 80);

/** Airflow DAG id of a pipeline. */
export const dagId = (source: string, pipeline: string): string =>
  `${source}__${pipeline}`.replaceAll("-", "_");

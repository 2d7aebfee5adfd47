/**
 * Where reads of a table are recorded, from config alone: the table's buckets and catalog
 * objects, the trail that records object-level access to them, where its files are kept and for
 * how long, and Databricks' audit log. What `hdp explain` prints; pure.
 */
import type { Estate } from "./estate";
import {
  auditBucketName,
  auditTrailName,
  catalogName,
  lakeBucketName,
  schemaName,
  type NameContext,
} from "./names";
import { effectiveEstate } from "./overlay";
import { auditRetentionDays } from "./tier";

/** Where one table's reads are recorded in one environment. */
export interface TableAuditRecord {
  readonly table: string;
  readonly environment: string;
  readonly classification: string;
  readonly enabled: boolean;
  /**
   * `s3://bucket/prefix/` of each layer the table reaches: landing files under
   * `<source>/<table>/`, Delta layers under the schema's managed root `managed/<source>/`.
   */
  readonly objects: readonly string[];
  /** Unity Catalog tables (`catalog.schema.table`) of its Delta layers. */
  readonly catalogTables: readonly string[];
  /** The trail recording object-level reads and writes of those objects. */
  readonly trailArn: string;
  /** Where the trail's log files are (`s3://…`). */
  readonly trailLogs: string;
  /** Days the files are locked (COMPLIANCE mode); undefined for an organisation trail. */
  readonly lockedDays: number | undefined;
  readonly organizationTrail: boolean;
  /** Where Databricks records reads through Unity Catalog (SQL, notebooks, jobs). */
  readonly databricksAudit: string;
}

/**
 * Where reads of `tableKey` (`<source>/<table>`) are recorded in `environment`; undefined when
 * the estate has no such table or environment.
 */
export function tableAuditRecord(
  estate: Estate,
  tableKey: string,
  environment: string,
): TableAuditRecord | undefined {
  const env = estate.environments.find((e) => e.name === environment);
  const table = estate.tables.find((t) => t.key === tableKey);
  const source = estate.sources.find((s) => s.id === table?.source);
  if (env === undefined || table === undefined || source === undefined) return undefined;
  const eff = effectiveEstate(estate, environment).tables.find((t) => t.key === tableKey);
  const c: NameContext = {
    org: estate.platform.organization.id,
    env: env.name,
    accountId: env.aws.accountId,
  };
  const org = env.audit.organizationTrail;
  const region = estate.platform.aws.region;
  return {
    table: tableKey,
    environment: env.name,
    classification: table.classification,
    enabled: eff?.enabled ?? false,
    objects: table.layers.map((l) =>
      l === "landing"
        ? `s3://${lakeBucketName(c, source.domain, l)}/${table.source}/${table.id}/`
        : `s3://${lakeBucketName(c, source.domain, l)}/managed/${table.source}/`,
    ),
    catalogTables: table.layers
      .filter((l) => l !== "landing")
      .map((l) => `${catalogName(c)}.${schemaName(table.source, l)}.${table.id}`),
    trailArn:
      org?.trailArn ??
      `arn:aws:cloudtrail:${region}:${env.aws.accountId}:trail/${auditTrailName(c)}`,
    trailLogs:
      org?.logLocation ?? `s3://${auditBucketName(c)}/AWSLogs/${env.aws.accountId}/CloudTrail/`,
    lockedDays: org === undefined ? auditRetentionDays(env) : undefined,
    organizationTrail: org !== undefined,
    databricksAudit:
      "Databricks audit log, verbose (enableVerboseAuditLogs): system.access.audit, service unityCatalog (getTable, generateTemporaryTableCredential) and notebook/databrickssql commands",
  };
}

/**
 * The audit part of `hdp explain <source>/<table>`: where reads of the table are recorded in
 * each environment (the trail, its locked storage, Databricks' audit log). Data from
 * @hdp/config's `tableAuditRecord`; here only the renderer.
 */
import { loadEstate, tableAuditRecord, type TableAuditRecord } from "@hdp/config";

/** The records of `target` (a `<source>/<table>` key) in `envs` (all when empty); [] otherwise. */
export function auditRecords(
  configs: string,
  target: string,
  envs: readonly string[] | undefined,
): TableAuditRecord[] {
  const loaded = loadEstate(configs);
  if (!loaded.ok || !loaded.estate.tables.some((t) => t.key === target)) return [];
  const names = loaded.estate.environments.map((e) => e.name);
  return (envs !== undefined && envs.length > 0 ? [...envs] : names)
    .map((e) => tableAuditRecord(loaded.estate, target, e))
    .filter((r): r is TableAuditRecord => r !== undefined);
}

/**
 * The text of the audit section ("" without records). The objects and catalog tables are the
 * ones "lands in" lists just above (the JSON carries them); Databricks' audit log is named once
 * when every environment records reads the same way.
 */
export function renderAuditText(records: readonly TableAuditRecord[]): string {
  if (records.length === 0) return "";
  const sameDatabricks = records.every((x) => x.databricksAudit === records[0]?.databricksAudit);
  const out: string[] = ["", "Where reads are recorded:"];
  for (const x of records) {
    out.push(
      `${x.table} in ${x.environment} (${x.classification}${x.enabled ? "" : ", disabled here"})`,
      `  S3 reads/writes:    CloudTrail data events, trail ${x.trailArn}${x.organizationTrail ? " (organisation trail)" : ""}`,
      `  kept in:            ${x.trailLogs}${x.lockedDays !== undefined ? ` (object lock COMPLIANCE, ${x.lockedDays} days; log-file validation on)` : ""}`,
      ...(sameDatabricks ? [] : [`  Databricks reads:   ${x.databricksAudit}`]),
    );
  }
  if (sameDatabricks && records[0] !== undefined)
    out.push(`Databricks reads (every environment above): ${records[0].databricksAudit}`);
  return `${out.join("\n")}\n`;
}

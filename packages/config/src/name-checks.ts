/** Derived physical names checked against AWS and Databricks rules before anything is planned. */
import {
  validateBucketName,
  validateDagId,
  validateIamRoleName,
  validateKmsAlias,
  validateMwaaEnvironmentName,
  validateUnityCatalogName,
} from "@hdp/naming";
import type { ErrorSink } from "./errors";
import type { Environment, Platform, Table } from "./estate";
import type { LoadedSource } from "./loaded-source";
import {
  catalogBucketName,
  catalogKeyAlias,
  catalogName,
  dagBucketName,
  dagId,
  domainLogBucketName,
  ingestRoleName,
  lakeBucketName,
  lakeKeyAlias,
  logBucketName,
  mwaaEnvironmentName,
  schemaName,
  type NameContext,
} from "./names";
import { DEFAULT_PIPELINE } from "./pipelines";
import { LAYERS } from "./schema";

/**
 * Environment-wide names are reported at the environment's `name` (the org id and the
 * environment name make them); source names at the source's `id`; table names at the table's `id`.
 */
export function checkDerivedNames(
  sink: ErrorSink,
  plat: Platform | undefined,
  envs: readonly Omit<Environment, "stacks">[],
  sources: readonly LoadedSource[],
  tables: readonly Table[],
): void {
  if (plat === undefined) return;
  for (const e of envs) {
    const c: NameContext = { org: plat.organization.id, env: e.name, accountId: e.aws.accountId };
    const problems = new Set<string>();
    for (const d of plat.domains) {
      for (const l of LAYERS)
        validateBucketName(lakeBucketName(c, d.id, l)).forEach((p) => problems.add(p));
      validateBucketName(domainLogBucketName(c, d.id)).forEach((p) => problems.add(p));
      validateKmsAlias(lakeKeyAlias(c, d.id)).forEach((p) => problems.add(p));
    }
    validateBucketName(catalogBucketName(c)).forEach((p) => problems.add(p));
    validateKmsAlias(catalogKeyAlias(c)).forEach((p) => problems.add(p));
    validateBucketName(logBucketName(c)).forEach((p) => problems.add(p));
    validateBucketName(dagBucketName(c)).forEach((p) => problems.add(p));
    validateUnityCatalogName(catalogName(c)).forEach((p) => problems.add(p));
    validateMwaaEnvironmentName(mwaaEnvironmentName(c)).forEach((p) => problems.add(p));
    if (problems.size > 0) {
      const list = [...problems];
      const shown = list.slice(0, 2).join("; ");
      const more = list.length > 2 ? `; and ${list.length - 2} more` : "";
      sink.error(
        e.origin.file,
        ["name"],
        `names derived from organization.id "${c.org}" and environment "${e.name}" are rejected: ${shown}${more}`,
      );
    }

    for (const s of sources) {
      const own = [
        ...validateIamRoleName(ingestRoleName(c, s.config.id)),
        ...LAYERS.flatMap((l) => validateUnityCatalogName(schemaName(s.config.id, l))),
        ...[DEFAULT_PIPELINE, ...s.config.pipelines.map((p) => p.id)].flatMap((p) =>
          validateDagId(dagId(s.config.id, p)),
        ),
      ];
      for (const p of new Set(own)) sink.error(s.file, ["id"], `derived name rejected: ${p}`);
    }
  }
  for (const t of tables) {
    for (const p of validateUnityCatalogName(t.id))
      sink.error(t.origin.file, ["id"], `table name rejected: ${p}`);
  }
}

/**
 * Table findings of the destructive-change guard: Unity Catalog tables are written by the
 * ingest jobs, not by Pulumi, so a table leaving an environment's config deletes no stateful
 * resource (only its job goes), yet its data is orphaned.
 */
import {
  catalogName,
  effectiveEstate,
  schemaName,
  type Environment,
  type Estate,
} from "@hdp/config";
import type { GuardFinding } from "./finding";
import { allowYaml } from "./guard-yaml";

/** An environment and which revision its config (its allow entries) comes from. */
export interface EnvInfo {
  readonly env: Environment;
  readonly configFrom: "head" | "base";
}

/**
 * Tables of `environment` enabled in the base revision and not in the head, for the tables whose
 * base stack is in `stacks` (the diffed ones): each is a finding of kind `table`.
 */
export function tableFindings(
  environment: string,
  info: EnvInfo,
  head: Estate,
  base: Estate,
  stacks: ReadonlySet<string>,
): GuardFinding[] {
  const baseEnv = base.environments.find((e) => e.name === environment);
  if (baseEnv === undefined) return [];
  const before = effectiveEstate(base, environment);
  const headHas = head.environments.some((e) => e.name === environment);
  const after = headHas ? effectiveEstate(head, environment) : undefined;
  const enabledAfter = new Set((after?.tables ?? []).filter((t) => t.enabled).map((t) => t.key));
  const catalog = catalogName({
    org: base.platform.organization.id,
    env: environment,
    accountId: baseEnv.aws.accountId,
  });
  const out: GuardFinding[] = [];
  for (const t of before.tables) {
    if (!t.enabled || enabledAfter.has(t.key)) continue;
    const stack = baseEnv.stacks.find((s) => s.sources.includes(t.source))?.name ?? environment;
    if (!stacks.has(stack)) continue;
    const now = after?.tables.find((x) => x.key === t.key);
    const dir = t.origin.file.slice(0, t.origin.file.lastIndexOf("/") + 1);
    const what =
      after === undefined
        ? `environment ${environment} is removed`
        : now !== undefined
          ? `disabled in ${environment} (\`enabled: false\` on the table or its source)`
          : after.sources.some((s) => s.id === t.source)
            ? `removed or renamed in ${dir} (a new table id is a new table: the data under the old id is not moved)`
            : `its source ${t.source} is removed`;
    const ucTables = t.layers
      .filter((l) => l !== "landing")
      .map((l) => `${catalog}.${schemaName(t.source, l)}.${t.id}`);
    const where = ucTables.length > 0 ? ` (${ucTables.join(", ")})` : "";
    out.push({
      kind: "table",
      stack,
      environment,
      type: "table",
      name: t.key,
      urn: undefined,
      to: undefined,
      with: [],
      within: [t.source],
      why: `${what}; its Unity Catalog tables${where} are written by the ingest jobs, not by Pulumi: they keep their ${t.classification} data, but nothing loads, maintains or retires it any more (orphaned data)`,
      causes: [],
      configFrom: info.configFrom,
      fix: { file: info.env.origin.file, resource: t.key, yaml: allowYaml([t.key]) },
    });
  }
  return out;
}

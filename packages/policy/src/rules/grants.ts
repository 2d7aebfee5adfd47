/**
 * Unity Catalog grants as plain data: which securable a `Grants`/`Grant` targets and whether it
 * holds PHI, from the classification the platform writes into schema and catalog properties.
 */
import { isPhi } from "@hdp/spark";
import type { StackResource } from "../define";
import { rec, str } from "../values";

export const GRANTS = ["databricks:index/grants:Grants", "databricks:index/grant:Grant"];
export const SCHEMA = "databricks:index/schema:Schema";
export const CATALOG = "databricks:index/catalog:Catalog";
const classificationOf = (r: StackResource): string | undefined =>
  str(rec(r.props.properties)["hdp.data-classification"]);

/** The securable a grant targets and whether it holds PHI (undefined: cannot tell). */
export function targetPhi(
  g: StackResource,
  resources: readonly StackResource[],
): { label: string; phi: boolean } | undefined {
  const linked = (key: string, type: string) =>
    (g.propertyDependencies[key] ?? []).find((r) => r.type === type) ??
    g.dependencies.find((r) => r.type === type);
  const schemaName = g.props.schema;
  if (schemaName !== null && schemaName !== undefined) {
    const full = str(schemaName);
    const schema =
      linked("schema", SCHEMA) ??
      resources.find(
        (r) => r.type === SCHEMA && `${str(r.props.catalogName)}.${str(r.props.name)}` === full,
      );
    const c = schema !== undefined ? classificationOf(schema) : undefined;
    return c === undefined ? undefined : { label: `schema ${full ?? schema?.name}`, phi: isPhi(c) };
  }
  const catalogName = str(g.props.catalog);
  if (catalogName === undefined) return undefined;
  const catalog =
    linked("catalog", CATALOG) ??
    resources.find((r) => r.type === CATALOG && r.props.name === catalogName);
  const levels = [
    ...(catalog !== undefined ? [classificationOf(catalog)] : []),
    ...resources
      .filter((r) => r.type === SCHEMA && r.props.catalogName === catalogName)
      .map(classificationOf),
  ].filter((c) => c !== undefined);
  return levels.length === 0
    ? undefined
    : { label: `catalog ${catalogName}`, phi: levels.some(isPhi) };
}

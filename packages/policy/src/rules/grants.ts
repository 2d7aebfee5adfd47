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

interface CatalogIndex {
  /** `<catalog>.<schema>` → schema. */
  readonly schemas: ReadonlyMap<string, StackResource>;
  /** Catalog name → its schemas. */
  readonly schemasOf: ReadonlyMap<string, readonly StackResource[]>;
  readonly catalogs: ReadonlyMap<string, StackResource>;
}

const cache = new WeakMap<readonly StackResource[], CatalogIndex>();

function indexCatalog(resources: readonly StackResource[]): CatalogIndex {
  const hit = cache.get(resources);
  if (hit !== undefined) return hit;
  const schemas = new Map<string, StackResource>();
  const schemasOf = new Map<string, StackResource[]>();
  const catalogs = new Map<string, StackResource>();
  for (const r of resources) {
    if (r.type === SCHEMA) {
      const catalog = str(r.props.catalogName);
      if (catalog === undefined) continue;
      schemas.set(`${catalog}.${str(r.props.name)}`, r);
      const list = schemasOf.get(catalog) ?? [];
      list.push(r);
      schemasOf.set(catalog, list);
    } else if (r.type === CATALOG) {
      const name = str(r.props.name);
      if (name !== undefined) catalogs.set(name, r);
    }
  }
  const index = { schemas, schemasOf, catalogs };
  cache.set(resources, index);
  return index;
}

/** The securable a grant targets and whether it holds PHI (undefined: cannot tell). */
export function targetPhi(
  g: StackResource,
  resources: readonly StackResource[],
): { label: string; phi: boolean } | undefined {
  const index = indexCatalog(resources);
  const linked = (key: string, type: string) =>
    (g.propertyDependencies[key] ?? []).find((r) => r.type === type) ??
    g.dependencies.find((r) => r.type === type);
  const tableName = str(g.props.table);
  if (tableName !== undefined) {
    // A table holds what its schema is classified as.
    const schema = index.schemas.get(tableName.split(".").slice(0, 2).join("."));
    const c = schema !== undefined ? classificationOf(schema) : undefined;
    return c === undefined ? undefined : { label: `table ${tableName}`, phi: isPhi(c) };
  }
  const location = str(g.props.externalLocation);
  if (location !== undefined) {
    // Files under a lake location bypass every table grant: treat them as the most protected data.
    return { label: `external location ${location} (its files bypass table grants)`, phi: true };
  }
  const credential = str(g.props.storageCredential);
  if (credential !== undefined) {
    // A credential reaches every file of the lake's buckets, below every grant.
    return { label: `storage credential ${credential} (it reaches every lake file)`, phi: true };
  }
  const schemaName = g.props.schema;
  if (schemaName !== null && schemaName !== undefined) {
    const full = str(schemaName);
    const schema =
      linked("schema", SCHEMA) ?? (full !== undefined ? index.schemas.get(full) : undefined);
    const c = schema !== undefined ? classificationOf(schema) : undefined;
    return c === undefined ? undefined : { label: `schema ${full ?? schema?.name}`, phi: isPhi(c) };
  }
  const catalogName = str(g.props.catalog);
  if (catalogName === undefined) return undefined;
  const catalog = linked("catalog", CATALOG) ?? index.catalogs.get(catalogName);
  const levels = [
    ...(catalog !== undefined ? [classificationOf(catalog)] : []),
    ...(index.schemasOf.get(catalogName) ?? []).map(classificationOf),
  ].filter((c) => c !== undefined);
  return levels.length === 0
    ? undefined
    : { label: `catalog ${catalogName}`, phi: levels.some(isPhi) };
}

export const EXTERNAL_LOCATION = "databricks:index/externalLocation:ExternalLocation";
export const STORAGE_CREDENTIAL = "databricks:index/storageCredential:StorageCredential";
export const TABLE = "databricks:index/sqlTable:SqlTable";

/** The securable a grant targets, as `kind name` (undefined when its name is not known yet). */
export function securableOf(g: StackResource): { kind: string; name: string } | undefined {
  for (const kind of ["table", "schema", "catalog", "externalLocation", "storageCredential"]) {
    const name = str(g.props[kind]);
    if (name !== undefined) return { kind, name };
  }
  return undefined;
}

/** Whether this stack creates the securable `s` (by its full name). */
export function createdHere(
  s: { kind: string; name: string },
  resources: readonly StackResource[],
): boolean | undefined {
  const index = indexCatalog(resources);
  switch (s.kind) {
    case "catalog":
      return index.catalogs.has(s.name);
    case "schema":
      return index.schemas.has(s.name);
    case "table":
      return resources.some(
        (r) =>
          r.type === TABLE &&
          `${str(r.props.catalogName)}.${str(r.props.schemaName)}.${str(r.props.name)}` === s.name,
      );
    case "externalLocation":
      return resources.some((r) => r.type === EXTERNAL_LOCATION && str(r.props.name) === s.name);
    case "storageCredential":
      return resources.some((r) => r.type === STORAGE_CREDENTIAL && str(r.props.name) === s.name);
    default:
      return undefined;
  }
}

/**
 * The plan of an environment's catalog as plain data: one schema per source and layer, and for
 * the catalog and every schema exactly one merged grant list (admin group included). Schemas
 * are keyed and sorted by source id and layer, never by position, so reordering sources or
 * grant rules changes nothing.
 */
import { validateUnityCatalogName } from "@hdp/naming";
import {
  type GrantSpec,
  isBroadPrincipal,
  isPhi,
  mergeGrants,
  PRIVILEGES_DENIED_TO_BROAD_ON_PHI,
  validateGrantSpecs,
  validatePhiGrants,
  validatePrivilegeNames,
} from "./grants";
import { sortedEntries } from "./validation";

/** Lake layers that hold tables (landing holds raw files). */
export const SCHEMA_LAYERS = ["bronze", "silver", "gold"] as const;

/** A layer with a schema per source. */
export type SchemaLayer = (typeof SCHEMA_LAYERS)[number];

/** One ingest source of the catalog. */
export interface LakeSourceSpec {
  /** Data classification of the source's data: `public`, `internal`, `confidential`, `pii`, `phi`. */
  readonly classification: string;
  /** Layers that get a schema. @default ["bronze", "silver", "gold"] */
  readonly layers?: readonly SchemaLayer[];
}

/** Privileges for every schema matching the filters (all schemas when none is given). */
export interface SchemaGrantRule extends GrantSpec {
  /** Source ids the rule applies to. @default every source */
  readonly sources?: readonly string[];
  /** Layers the rule applies to. @default every layer */
  readonly layers?: readonly SchemaLayer[];
}

/** Everything the catalog plan is built from. */
export interface LakeCatalogSpec {
  readonly catalogName: string;
  /** Source id (kebab- or snake-case) → source. */
  readonly sources: Readonly<Record<string, LakeSourceSpec>>;
  readonly adminGroup: string;
  readonly adminPrivileges: readonly string[];
  readonly catalogGrants: readonly GrantSpec[];
  readonly schemaGrants: readonly SchemaGrantRule[];
}

/** One planned schema. */
export interface PlannedSchema {
  /** `<source>-<layer>`: the stable suffix of its logical names. */
  readonly key: string;
  readonly source: string;
  readonly layer: SchemaLayer;
  /** Unity Catalog name, `<source>_<layer>` with `-` as `_`. */
  readonly name: string;
  readonly classification: string;
  /** Merged grants of the schema, the admin group included. */
  readonly grants: readonly GrantSpec[];
}

/** The plan: catalog grants and schemas, sorted by key. */
export interface LakeCatalogPlan {
  readonly catalogGrants: readonly GrantSpec[];
  readonly schemas: readonly PlannedSchema[];
}

/** Unity Catalog schema name of a source's layer (the same rule as @hdp/config's `schemaName`). */
export function schemaNameFor(source: string, layer: SchemaLayer): string {
  return `${source}_${layer}`.replaceAll("-", "_");
}

const layersOf = (s: LakeSourceSpec): readonly SchemaLayer[] => s.layers ?? SCHEMA_LAYERS;

/** The plan of a valid spec (validate first). */
export function planLakeCatalog(spec: LakeCatalogSpec): LakeCatalogPlan {
  const admin: GrantSpec = { principal: spec.adminGroup, privileges: spec.adminPrivileges };
  const schemas: PlannedSchema[] = [];
  for (const [source, s] of sortedEntries(spec.sources)) {
    for (const layer of SCHEMA_LAYERS.filter((l) => layersOf(s).includes(l))) {
      const rules = spec.schemaGrants.filter(
        (r) =>
          (r.sources === undefined || r.sources.includes(source)) &&
          (r.layers === undefined || r.layers.includes(layer)),
      );
      schemas.push({
        key: `${source}-${layer}`,
        source,
        layer,
        name: schemaNameFor(source, layer),
        classification: s.classification,
        grants: mergeGrants([admin, ...rules]),
      });
    }
  }
  return { catalogGrants: mergeGrants([admin, ...spec.catalogGrants]), schemas };
}

/** Every problem with the spec, each naming its field. */
export function validateLakeCatalogSpec(spec: LakeCatalogSpec): string[] {
  const prefix = (field: string) => (p: string) => `${field}: ${p}`;
  const problems = [
    ...validateUnityCatalogName(spec.catalogName).map(prefix("catalogName")),
    ...(spec.adminGroup.trim().length === 0 ? ["adminGroup: is empty"] : []),
    ...validatePrivilegeNames("adminPrivileges", spec.adminPrivileges),
    ...validateGrantSpecs("catalogGrants", spec.catalogGrants),
    ...validateGrantSpecs("schemaGrants", spec.schemaGrants),
  ];
  if (isBroadPrincipal(spec.adminGroup)) {
    problems.push(`adminGroup: "${spec.adminGroup}" is everyone; name the platform admin group`);
  }
  const sourceIds = Object.keys(spec.sources);
  if (sourceIds.length === 0) problems.push("sources: the catalog has no source");
  for (const [source, s] of sortedEntries(spec.sources)) {
    if (s.classification.trim().length === 0)
      problems.push(`sources.${source}.classification: is empty`);
    const bad = layersOf(s).filter((l) => !(SCHEMA_LAYERS as readonly string[]).includes(l));
    if (bad.length > 0)
      problems.push(`sources.${source}.layers: unknown layer(s) ${bad.join(", ")}`);
  }
  spec.schemaGrants.forEach((r, i) => {
    const unknown = (r.sources ?? []).filter((s) => !sourceIds.includes(s));
    if (unknown.length > 0)
      problems.push(`schemaGrants[${i}].sources: unknown source(s) ${unknown.join(", ")}`);
  });
  if (problems.length > 0) return problems;

  const plan = planLakeCatalog(spec);
  const seen = new Map<string, string>();
  for (const schema of plan.schemas) {
    problems.push(...validateUnityCatalogName(schema.name).map(prefix(`sources.${schema.source}`)));
    const other = seen.get(schema.name);
    if (other !== undefined) {
      problems.push(
        `sources.${schema.source}: schema "${schema.name}" is also the name of ${other}'s schema`,
      );
    }
    seen.set(schema.name, schema.source);
    problems.push(
      ...validatePhiGrants(`schema "${schema.name}"`, schema.classification, schema.grants),
    );
  }
  // Catalog privileges are inherited by every schema: a PHI schema makes the catalog PHI too.
  const phiSchemas = plan.schemas.filter((s) => isPhi(s.classification)).map((s) => s.name);
  for (const g of plan.catalogGrants.filter((x) => isBroadPrincipal(x.principal))) {
    const denied = g.privileges.filter((p) => PRIVILEGES_DENIED_TO_BROAD_ON_PHI.includes(p));
    if (denied.length > 0 && phiSchemas.length > 0) {
      problems.push(
        `catalogGrants: the broad group "${g.principal}" must not hold ${denied.join(" or ")} on catalog "${spec.catalogName}": it is inherited by the phi schemas ${phiSchemas.join(", ")}`,
      );
    }
  }
  return problems;
}

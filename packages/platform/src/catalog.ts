/**
 * The environment's Unity Catalog catalog and each source's schemas, as two components so a
 * sharded environment can keep the catalog in its core stack and the schemas with their sources.
 * `LakeCatalog` of @hdp/spark creates both in one component and takes one storage location per
 * layer; here each source's schemas keep their data in their own domain's buckets. Names and
 * grants come from @hdp/spark's pure catalog plan, so the rules (one authoritative `Grants` per
 * securable with the admin group in it, no broad group with ALL_PRIVILEGES or MANAGE on PHI) are
 * the same.
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { validateUnityCatalogName } from "@hdp/naming";
import {
  isBroadPrincipal,
  mergeGrants,
  planLakeCatalog,
  PRIVILEGES_DENIED_TO_BROAD_ON_PHI,
  validateGrantSpecs,
  validateLakeCatalogSpec,
  validatePrivilegeNames,
  type GrantSpec,
  type ManagedStorage,
  type SchemaGrantRule,
  type SchemaLayer,
} from "@hdp/spark";

/** The admin group's privileges on the catalog and every schema. */
export const ADMIN_PRIVILEGES: readonly string[] = ["ALL_PRIVILEGES", "MANAGE"];

const propertiesOf = (tags: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tags)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [`hdp.${k}`, v]),
  );

const toGrants = (grants: readonly GrantSpec[]): databricks.types.input.GrantsGrant[] =>
  grants.map((g) => ({ principal: g.principal, privileges: [...g.privileges] }));

function fail(what: string, problems: readonly string[]): void {
  if (problems.length > 0) {
    throw new Error(`${what}: invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Arguments of {@link EnvironmentCatalog}. */
export interface EnvironmentCatalogArgs {
  /** Catalog name, unique in the metastore (the environment is in it). */
  readonly catalogName: string;
  /** Managed storage root of the catalog; the catalog is created after its external location. */
  readonly storage: ManagedStorage;
  /** Group that administers the catalog; always in its grants (they are authoritative). */
  readonly adminGroup: string;
  /** Further catalog grants (e.g. `USE_CATALOG` to the engineers and readers). @default [] */
  readonly catalogGrants?: readonly GrantSpec[];
  /**
   * What the catalog must wait for besides its location, e.g. the storage root's bucket and
   * its settings (Unity Catalog checks access to the storage root on create).
   * @default []
   */
  readonly waitFor?: readonly pulumi.Input<pulumi.Resource>[];
  /** @default "ISOLATED" (bound to the deploying workspace: dev cannot read prod) */
  readonly isolationMode?: "ISOLATED" | "OPEN";
  /** Written as `hdp.<key>` properties. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The environment's catalog and its one authoritative `Grants` (the admin group). */
export class EnvironmentCatalog extends pulumi.ComponentResource {
  public readonly catalog: databricks.Catalog;
  public readonly grants: databricks.Grants;
  public readonly catalogName: pulumi.Output<string>;

  constructor(name: string, args: EnvironmentCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    fail(`EnvironmentCatalog "${name}"`, [
      ...validateUnityCatalogName(args.catalogName).map((p) => `catalogName: ${p}`),
      ...validatePrivilegeNames("adminPrivileges", ADMIN_PRIVILEGES),
      ...validateGrantSpecs("catalogGrants", args.catalogGrants ?? []),
      ...(args.catalogGrants ?? [])
        .filter((g) => isBroadPrincipal(g.principal))
        .filter((g) => g.privileges.some((p) => PRIVILEGES_DENIED_TO_BROAD_ON_PHI.includes(p)))
        .map(
          (g) =>
            `catalogGrants: the broad group "${g.principal}" must not hold ${g.privileges.join(", ")} on the catalog: every schema inherits it, PHI ones included`,
        ),
      ...(args.adminGroup.trim().length === 0 || isBroadPrincipal(args.adminGroup)
        ? [`adminGroup: "${args.adminGroup}" must name the platform admin group`]
        : []),
    ]);
    super("hdp:platform:EnvironmentCatalog", name, {}, componentOptions(opts));
    this.catalog = new databricks.Catalog(
      `${name}-catalog`,
      {
        name: args.catalogName,
        storageRoot: args.storage.url,
        isolationMode: args.isolationMode ?? "ISOLATED",
        forceDestroy: false,
        comment: `Lake catalog ${args.catalogName}, managed by health-data-platform`,
        properties: propertiesOf(args.tags ?? {}),
      },
      {
        parent: this,
        dependsOn: [args.storage.location, ...(args.waitFor ?? [])],
        // Stateful: the caller's options, else protected and retained (Pulumi passes protect
        // down to children, not retainOnDelete, so both are explicit).
        protect: opts?.protect ?? true,
        retainOnDelete: opts?.retainOnDelete ?? true,
      },
    );
    this.catalogName = this.catalog.name;
    this.grants = new databricks.Grants(
      `${name}-grants`,
      {
        catalog: this.catalog.name,
        grants: toGrants(
          mergeGrants([
            { principal: args.adminGroup, privileges: ADMIN_PRIVILEGES },
            ...(args.catalogGrants ?? []),
          ]),
        ),
      },
      // Grants are rewritten whole on every change: never protected by the caller's option.
      { parent: this, protect: false },
    );
    this.registerOutputs({ catalogName: this.catalogName });
  }
}

/** Arguments of {@link SourceSchemas}. */
export interface SourceSchemasArgs {
  /** The catalog (its name, or the core stack's export of it in a shard). */
  readonly catalogName: pulumi.Input<string>;
  /** Source id (kebab-case): schemas are `<source>_<layer>`. */
  readonly source: string;
  /** The source's classification (`phi` schemas refuse broad grants). */
  readonly classification: string;
  /** Layers that get a schema, each with its managed storage root (`s3://bucket/path`). */
  readonly storageRoots: Readonly<Partial<Record<SchemaLayer, string>>>;
  /**
   * What the schemas must wait for: the external locations covering their storage roots and the
   * buckets (none when those live in the core stack, deployed first).
   * @default []
   */
  readonly waitFor?: readonly pulumi.Input<pulumi.Resource>[];
  /** Group that administers the schemas; always in their grants. */
  readonly adminGroup: string;
  /**
   * Further schema grants, each for the layers it names (e.g. `SELECT` on gold to readers).
   * Broad groups are refused on `phi` schemas. @default []
   */
  readonly schemaGrants?: readonly Omit<SchemaGrantRule, "sources">[];
  /** Written as `hdp.<key>` properties. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** One source's schemas (one per layer) and one authoritative `Grants` per schema. */
export class SourceSchemas extends pulumi.ComponentResource {
  /** Layer → schema. */
  public readonly schemas: Readonly<Partial<Record<SchemaLayer, databricks.Schema>>>;
  /** Layer → the schema's grants. */
  public readonly grants: Readonly<Partial<Record<SchemaLayer, databricks.Grants>>>;

  constructor(name: string, args: SourceSchemasArgs, opts?: pulumi.ComponentResourceOptions) {
    const layers = (Object.keys(args.storageRoots) as SchemaLayer[]).sort();
    const spec = {
      // The catalog's own name was checked where it was created; a placeholder keeps the
      // checks of the schemas running when it is an Output.
      catalogName: typeof args.catalogName === "string" ? args.catalogName : "catalog",
      sources: { [args.source]: { classification: args.classification, layers } },
      adminGroup: args.adminGroup,
      adminPrivileges: ADMIN_PRIVILEGES,
      catalogGrants: [],
      schemaGrants: args.schemaGrants ?? [],
    };
    fail(`SourceSchemas "${name}"`, [
      ...(layers.length === 0 ? ["storageRoots: give at least one layer"] : []),
      ...validateLakeCatalogSpec(spec),
    ]);
    super("hdp:platform:SourceSchemas", name, {}, componentOptions(opts));
    const stateful: pulumi.CustomResourceOptions = {
      parent: this,
      // Stateful: the caller's options, else protected and retained.
      protect: opts?.protect ?? true,
      retainOnDelete: opts?.retainOnDelete ?? true,
      ...(args.waitFor !== undefined && args.waitFor.length > 0
        ? { dependsOn: [...args.waitFor] }
        : {}),
    };
    const properties = propertiesOf(args.tags ?? {});
    const schemas: Partial<Record<SchemaLayer, databricks.Schema>> = {};
    const grants: Partial<Record<SchemaLayer, databricks.Grants>> = {};
    for (const planned of planLakeCatalog(spec).schemas) {
      const schema = new databricks.Schema(
        `${name}-${planned.layer}`,
        {
          catalogName: args.catalogName,
          name: planned.name,
          storageRoot: args.storageRoots[planned.layer],
          forceDestroy: false,
          comment: `${planned.layer} layer of source ${planned.source} (${planned.classification}), managed by health-data-platform`,
          properties: {
            ...properties,
            "hdp.data-classification": planned.classification,
            "hdp.source": planned.source,
            "hdp.layer": planned.layer,
          },
        },
        stateful,
      );
      schemas[planned.layer] = schema;
      grants[planned.layer] = new databricks.Grants(
        `${name}-${planned.layer}-grants`,
        {
          schema: pulumi.interpolate`${schema.catalogName}.${schema.name}`,
          grants: toGrants(planned.grants),
        },
        // Grants are rewritten whole on every change: never protected by the caller's option.
        { parent: this, protect: false },
      );
    }
    this.schemas = schemas;
    this.grants = grants;
    this.registerOutputs({});
  }
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

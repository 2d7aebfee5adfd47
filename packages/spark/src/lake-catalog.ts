import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import type { GrantSpec } from "./grants";
import {
  type LakeSourceSpec,
  type PlannedSchema,
  planLakeCatalog,
  type SchemaGrantRule,
  type SchemaLayer,
  validateLakeCatalogSpec,
} from "./lake-catalog-spec";
import { assertValid, componentOptions, sortedEntries, statefulChildOptions } from "./validation";

/** Managed storage: a URL under an external location, and that location (created first). */
export interface ManagedStorage {
  /** `s3://bucket/path`, inside the location's URL. */
  readonly url: pulumi.Input<string>;
  /** The `databricks.ExternalLocation` covering `url` (e.g. `UnityCatalogStorage.locations[id]`). */
  readonly location: pulumi.Input<pulumi.Resource>;
}

/** Arguments of {@link LakeCatalog}. */
export interface LakeCatalogArgs {
  /** Catalog name, unique in the metastore: put the environment in it (e.g. `hdp_prod`). */
  readonly catalogName: string;
  /** The catalog's managed storage root; the catalog is created after its external location. */
  readonly storage: ManagedStorage;
  /**
   * Per-layer managed storage for the schemas (e.g. bronze schemas in the bronze bucket).
   * @default the catalog's storage
   */
  readonly layerStorage?: Readonly<Partial<Record<SchemaLayer, ManagedStorage>>>;
  /**
   * The workspace's `databricks.MetastoreAssignment` (usually created with the account-level
   * provider): the catalog waits for it. @default none (the workspace is already assigned)
   */
  readonly metastoreAssignment?: pulumi.Input<pulumi.Resource>;
  /** Source id → classification and layers; one schema per source and layer. */
  readonly sources: Readonly<Record<string, LakeSourceSpec>>;
  /**
   * The platform admin group (or the deployer's service principal). Grants are authoritative,
   * so it is written into the catalog's and every schema's grants; otherwise an apply could
   * lock the platform out. Must not be an all-users group.
   */
  readonly adminGroup: string;
  /** The admin group's privileges on the catalog and on every schema. @default ["ALL_PRIVILEGES", "MANAGE"] */
  readonly adminPrivileges?: readonly string[];
  /** Further catalog grants (e.g. `USE_CATALOG` to analysts). @default [] */
  readonly catalogGrants?: readonly GrantSpec[];
  /** Schema grants, each for the schemas matching its sources/layers. @default [] */
  readonly schemaGrants?: readonly SchemaGrantRule[];
  /** Owner of the catalog and schemas. @default the deployer (Unity Catalog's default) */
  readonly owner?: pulumi.Input<string>;
  /**
   * `ISOLATED` binds the catalog to the deploying workspace only, so a dev workspace on the same
   * metastore cannot read prod.
   * @default "ISOLATED"
   */
  readonly isolationMode?: "ISOLATED" | "OPEN";
  /** @default "Lake catalog <catalogName>, managed by health-data-platform" */
  readonly comment?: pulumi.Input<string>;
  /** Written as `hdp.<key>` properties on the catalog and schemas. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * An environment's Unity Catalog catalog (workspace-level provider through the usual resource
 * options) with managed storage on an external location, one schema per source and layer, and
 * exactly one authoritative `databricks.Grants` per securable.
 *
 * `databricks.Grants` removes every grant it does not list, including ones made by hand or by
 * another program: all privileges on the catalog and its schemas belong here. Broad groups
 * (`account users`, `users`) may never hold ALL_PRIVILEGES or MANAGE on PHI schemas (directly or
 * through the catalog); such arguments are rejected.
 */
export class LakeCatalog extends pulumi.ComponentResource {
  public readonly catalog: databricks.Catalog;
  public readonly catalogGrants: databricks.Grants;
  /** `<source>-<layer>` → schema. */
  public readonly schemas: Readonly<Record<string, databricks.Schema>>;
  /** `<source>-<layer>` → the schema's grants. */
  public readonly schemaGrants: Readonly<Record<string, databricks.Grants>>;
  public readonly catalogName: pulumi.Output<string>;

  constructor(name: string, args: LakeCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    const spec = {
      catalogName: args.catalogName,
      sources: args.sources,
      adminGroup: args.adminGroup,
      adminPrivileges: args.adminPrivileges ?? ["ALL_PRIVILEGES", "MANAGE"],
      catalogGrants: args.catalogGrants ?? [],
      schemaGrants: args.schemaGrants ?? [],
    };
    assertValid(`LakeCatalog "${name}"`, validateLakeCatalogSpec(spec));
    // The catalog and schemas take the caller's protect/retainOnDelete (resource options); the
    // component and its grants do not (see componentOptions).
    super("hdp:spark:LakeCatalog", name, {}, componentOptions(opts));
    const plan = planLakeCatalog(spec);
    const stateful = statefulChildOptions(this, opts);
    const properties = Object.fromEntries(
      sortedEntries(args.tags ?? {}).map(([k, v]) => [`hdp.${k}`, v]),
    );

    this.catalog = new databricks.Catalog(
      `${name}-catalog`,
      {
        name: args.catalogName,
        storageRoot: args.storage.url,
        isolationMode: args.isolationMode ?? "ISOLATED",
        owner: args.owner,
        forceDestroy: false,
        comment:
          args.comment ?? `Lake catalog ${args.catalogName}, managed by health-data-platform`,
        properties,
      },
      {
        ...stateful,
        dependsOn: [
          args.storage.location,
          ...(args.metastoreAssignment ? [args.metastoreAssignment] : []),
        ],
      },
    );
    this.catalogName = this.catalog.name;
    this.catalogGrants = new databricks.Grants(
      `${name}-catalog-grants`,
      { catalog: this.catalog.name, grants: toGrants(plan.catalogGrants) },
      { parent: this },
    );

    const schemas: Record<string, databricks.Schema> = {};
    const schemaGrants: Record<string, databricks.Grants> = {};
    for (const planned of plan.schemas) {
      const schema = this.schema(name, planned, args, properties, stateful);
      schemas[planned.key] = schema;
      schemaGrants[planned.key] = new databricks.Grants(
        `${name}-${planned.key}-grants`,
        {
          schema: pulumi.interpolate`${schema.catalogName}.${schema.name}`,
          grants: toGrants(planned.grants),
        },
        { parent: this },
      );
    }
    this.schemas = schemas;
    this.schemaGrants = schemaGrants;
    this.registerOutputs({ catalogName: this.catalogName });
  }

  private schema(
    name: string,
    planned: PlannedSchema,
    args: LakeCatalogArgs,
    properties: Record<string, string>,
    stateful: pulumi.CustomResourceOptions,
  ): databricks.Schema {
    const storage = args.layerStorage?.[planned.layer];
    return new databricks.Schema(
      `${name}-${planned.key}`,
      {
        catalogName: this.catalog.name,
        name: planned.name,
        storageRoot: storage?.url,
        owner: args.owner,
        forceDestroy: false,
        comment: `${planned.layer} layer of source ${planned.source} (${planned.classification})`,
        properties: {
          ...properties,
          "hdp.data-classification": planned.classification,
          "hdp.source": planned.source,
          "hdp.layer": planned.layer,
        },
      },
      { ...stateful, ...(storage ? { dependsOn: [storage.location] } : {}) },
    );
  }
}

function toGrants(grants: readonly GrantSpec[]): databricks.types.input.GrantsGrant[] {
  return grants.map((g) => ({ principal: g.principal, privileges: [...g.privileges] }));
}

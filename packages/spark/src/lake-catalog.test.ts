import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { findResource, ofType, record } from "@hdp/testing";
import { LakeCatalog, type LakeCatalogArgs } from "./lake-catalog";
import { inventory } from "./__fixtures__";

const CATALOG = "databricks:index/catalog:Catalog";
const SCHEMA = "databricks:index/schema:Schema";
const GRANTS = "databricks:index/grants:Grants";
const LOCATION = "databricks:index/externalLocation:ExternalLocation";

const SOURCES: LakeCatalogArgs["sources"] = {
  "epic-clarity": { classification: "phi" },
  workday: { classification: "confidential", layers: ["bronze", "silver"] },
};

/** A program with the catalog's prerequisites, as the platform would write it. */
function program(
  over: Partial<LakeCatalogArgs> = {},
  opts: pulumi.ComponentResourceOptions = { protect: true, retainOnDelete: true },
) {
  return () => {
    const gold = new databricks.ExternalLocation("gold-location", {
      name: "hdp_prod_gold",
      url: "s3://hdp-prod-gold/",
      credentialName: "hdp_prod_lake",
    });
    const bronze = new databricks.ExternalLocation("bronze-location", {
      name: "hdp_prod_bronze",
      url: "s3://hdp-prod-bronze/",
      credentialName: "hdp_prod_lake",
    });
    const assignment = new databricks.MetastoreAssignment("assignment", {
      metastoreId: "metastore-1",
      workspaceId: "1234",
    });
    return new LakeCatalog(
      "lake",
      {
        catalogName: "hdp_prod",
        storage: { url: "s3://hdp-prod-gold/catalog", location: gold },
        layerStorage: { bronze: { url: "s3://hdp-prod-bronze/managed", location: bronze } },
        metastoreAssignment: assignment,
        sources: SOURCES,
        adminGroup: "hdp-admins",
        catalogGrants: [{ principal: "analysts", privileges: ["USE_CATALOG"] }],
        schemaGrants: [
          { principal: "analysts", privileges: ["USE_SCHEMA", "SELECT"], layers: ["gold"] },
        ],
        tags: { environment: "prod", owner: "data-platform" },
        ...over,
      },
      opts,
    );
  };
}

describe("LakeCatalog", () => {
  it("creates the catalog, a schema per source and layer, and one Grants per securable", async () => {
    const { resources } = await record(program());
    const keys = [
      "epic-clarity-bronze",
      "epic-clarity-gold",
      "epic-clarity-silver",
      "workday-bronze",
      "workday-silver",
    ];
    expect(inventory(resources)).toEqual(
      [
        [LOCATION, "gold-location", ""],
        [LOCATION, "bronze-location", ""],
        ["databricks:index/metastoreAssignment:MetastoreAssignment", "assignment", ""],
        ["hdp:spark:LakeCatalog", "lake", ""],
        [CATALOG, "lake-catalog", "lake"],
        [GRANTS, "lake-catalog-grants", "lake"],
        ...keys.flatMap((k) => [
          [SCHEMA, `lake-${k}`, "lake"],
          [GRANTS, `lake-${k}-grants`, "lake"],
        ]),
      ].sort((a, b) => (a.join("|") < b.join("|") ? -1 : 1)),
    );

    const catalog = findResource(resources, CATALOG, "lake-catalog");
    expect(catalog.inputs).toMatchObject({
      name: "hdp_prod",
      storageRoot: "s3://hdp-prod-gold/catalog",
      isolationMode: "ISOLATED",
      forceDestroy: false,
      properties: { "hdp.environment": "prod", "hdp.owner": "data-platform" },
    });
    expect(catalog.protect).toBe(true);
    expect(catalog.retainOnDelete).toBe(true);
    // The storage root's external location and the metastore assignment come first.
    expect(catalog.dependencies).toEqual(
      [
        findResource(resources, LOCATION, "gold-location").urn,
        findResource(
          resources,
          "databricks:index/metastoreAssignment:MetastoreAssignment",
          "assignment",
        ).urn,
      ].sort(),
    );

    const bronze = findResource(resources, SCHEMA, "lake-epic-clarity-bronze");
    expect(bronze.inputs).toMatchObject({
      catalogName: "hdp_prod",
      name: "epic_clarity_bronze",
      storageRoot: "s3://hdp-prod-bronze/managed",
      forceDestroy: false,
      properties: {
        "hdp.data-classification": "phi",
        "hdp.source": "epic-clarity",
        "hdp.layer": "bronze",
        "hdp.environment": "prod",
      },
    });
    expect(bronze.protect && bronze.retainOnDelete).toBe(true);
    expect(bronze.dependencies).toEqual(
      [catalog.urn, findResource(resources, LOCATION, "bronze-location").urn].sort(),
    );
    const gold = findResource(resources, SCHEMA, "lake-epic-clarity-gold");
    expect(gold.inputs.storageRoot).toBeUndefined();
    expect(gold.dependencies).toEqual([catalog.urn]);

    expect(findResource(resources, GRANTS, "lake-catalog-grants").inputs).toEqual({
      catalog: "hdp_prod",
      grants: [
        { principal: "analysts", privileges: ["USE_CATALOG"] },
        { principal: "hdp-admins", privileges: ["ALL_PRIVILEGES", "MANAGE"] },
      ],
    });
    const goldGrants = findResource(resources, GRANTS, "lake-epic-clarity-gold-grants");
    expect(goldGrants.inputs).toEqual({
      schema: "hdp_prod.epic_clarity_gold",
      grants: [
        { principal: "analysts", privileges: ["SELECT", "USE_SCHEMA"] },
        { principal: "hdp-admins", privileges: ["ALL_PRIVILEGES", "MANAGE"] },
      ],
    });
    expect(goldGrants.dependencies).toEqual([gold.urn]);
    expect(findResource(resources, GRANTS, "lake-workday-bronze-grants").inputs.grants).toEqual([
      { principal: "hdp-admins", privileges: ["ALL_PRIVILEGES", "MANAGE"] },
    ]);
    // Exactly one Grants per securable.
    const securables = ofType(resources, GRANTS).map((g) => g.inputs.catalog ?? g.inputs.schema);
    expect(new Set(securables).size).toBe(securables.length);
  });

  it("keeps every URN and input when sources and grant rules are reordered", async () => {
    const reversed = Object.fromEntries(Object.entries(SOURCES).reverse());
    const a = await record(program());
    const b = await record(
      program({
        sources: reversed,
        schemaGrants: [
          { principal: "analysts", privileges: ["SELECT", "USE_SCHEMA"], layers: ["gold"] },
        ],
      }),
    );
    const view = (rs: typeof a.resources) =>
      rs.map((r) => `${r.urn} ${JSON.stringify(r.inputs)}`).sort();
    expect(view(b.resources)).toEqual(view(a.resources));
  });

  it("rejects ALL_PRIVILEGES for account users on phi schemas", async () => {
    await expect(
      record(
        program({
          schemaGrants: [{ principal: "account users", privileges: ["ALL_PRIVILEGES"] }],
        }),
      ),
    ).rejects.toThrow(
      'LakeCatalog "lake": invalid arguments:\n  - schema "epic_clarity_bronze" is classified phi: the broad group "account users" must not hold ALL_PRIVILEGES',
    );
    // The prerequisites registered before the throw: let them settle inside this test.
    await pulumi.runtime.disconnect();
  });
});

describe("LakeCatalog options", () => {
  it("protects the catalog and schemas through resource options, never the component or grants", async () => {
    const { resources } = await record(program());
    const stateful = resources.filter(
      (r) => (r.type === CATALOG || r.type === SCHEMA) && r.parent !== undefined,
    );
    expect(stateful.length).toBe(6);
    expect(stateful.every((r) => r.protect && r.retainOnDelete)).toBe(true);
    const grants = ofType(resources, GRANTS);
    expect(grants.length).toBe(6);
    expect(grants.some((g) => g.protect)).toBe(false);
    expect(findResource(resources, "hdp:spark:LakeCatalog", "lake").protect).toBe(false);
  });

  it("leaves everything unprotected without the options", async () => {
    const { resources } = await record(program({}, {}));
    expect(resources.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
  });
});

import * as pulumi from "@pulumi/pulumi";
import { findResource, record } from "@hdp/testing";
import { EnvironmentCatalog, SourceSchemas, type SourceSchemasArgs } from "./catalog";

/** A concrete custom resource standing for an external location. */
class Location extends pulumi.CustomResource {
  constructor(name: string) {
    super("databricks:index/externalLocation:ExternalLocation", name, {});
  }
}

const schemasArgs: SourceSchemasArgs = {
  catalogName: "tst_dev",
  source: "lab",
  classification: "phi",
  storageRoots: {
    silver: "s3://tst-dev-clinical-silver-111111111111/managed/lab",
    bronze: "s3://tst-dev-clinical-bronze-111111111111/managed/lab",
  },
  adminGroup: "platform-admins",
  tags: { owner: "clinical-data", domain: "clinical" },
};

/** `type::name <- parent name`, sorted (registration order depends on Outputs resolving). */
const tree = (rs: readonly { type: string; name: string; parent?: string | undefined }[]) =>
  rs.map((r) => `${r.type}::${r.name} <- ${r.parent?.replace(/^.*::/, "") ?? "-"}`).sort();

describe("SourceSchemas", () => {
  it("creates a schema per layer with one authoritative Grants each, and nothing else", async () => {
    const { resources } = await record(() => new SourceSchemas("lab", schemasArgs));
    expect(tree(resources)).toEqual([
      "databricks:index/grants:Grants::lab-bronze-grants <- lab",
      "databricks:index/grants:Grants::lab-silver-grants <- lab",
      "databricks:index/schema:Schema::lab-bronze <- lab",
      "databricks:index/schema:Schema::lab-silver <- lab",
      "hdp:platform:SourceSchemas::lab <- -",
    ]);
    const bronze = findResource(resources, "databricks:index/schema:Schema", "lab-bronze");
    expect(bronze.inputs).toMatchObject({
      catalogName: "tst_dev",
      name: "lab_bronze",
      storageRoot: "s3://tst-dev-clinical-bronze-111111111111/managed/lab",
      forceDestroy: false,
      properties: {
        "hdp.owner": "clinical-data",
        "hdp.domain": "clinical",
        "hdp.data-classification": "phi",
        "hdp.source": "lab",
        "hdp.layer": "bronze",
      },
    });
    expect([bronze.protect, bronze.retainOnDelete]).toEqual([true, true]);
    const grants = findResource(resources, "databricks:index/grants:Grants", "lab-bronze-grants");
    expect(grants.inputs).toEqual({
      schema: "tst_dev.lab_bronze",
      grants: [{ principal: "platform-admins", privileges: ["ALL_PRIVILEGES", "MANAGE"] }],
    });
    expect(grants.protect).toBe(false);
  });

  it("waits for the storage it is given", async () => {
    const { resources } = await record(() => {
      const location = new Location("loc");
      return new SourceSchemas("lab", { ...schemasArgs, waitFor: [location] });
    });
    const loc = findResource(
      resources,
      "databricks:index/externalLocation:ExternalLocation",
      "loc",
    );
    for (const layer of ["bronze", "silver"]) {
      expect(
        findResource(resources, "databricks:index/schema:Schema", `lab-${layer}`).dependencies,
      ).toContain(loc.urn);
    }
  });

  it("takes the catalog name as an Output (a shard reads it from its core)", async () => {
    const { resources } = await record(
      () => new SourceSchemas("lab", { ...schemasArgs, catalogName: pulumi.output("tst_prod") }),
    );
    expect(
      findResource(resources, "databricks:index/grants:Grants", "lab-silver-grants").inputs.schema,
    ).toBe("tst_prod.lab_silver");
  });

  it("refuses an all-users admin group and an empty layer list before creating anything", () => {
    expect(() => new SourceSchemas("lab", { ...schemasArgs, adminGroup: "account users" })).toThrow(
      /SourceSchemas "lab": invalid arguments:\n.*adminGroup: "account users" is everyone/,
    );
    expect(() => new SourceSchemas("lab", { ...schemasArgs, storageRoots: {} })).toThrow(
      "storageRoots: give at least one layer",
    );
  });

  it("gives the same URNs whatever order the layers are given in", async () => {
    const a = await record(() => new SourceSchemas("lab", schemasArgs));
    const reordered = {
      bronze: schemasArgs.storageRoots.bronze,
      silver: schemasArgs.storageRoots.silver,
    };
    const b = await record(
      () => new SourceSchemas("lab", { ...schemasArgs, storageRoots: reordered }),
    );
    expect(b.resources.map((r) => r.urn).sort()).toEqual(a.resources.map((r) => r.urn).sort());
  });
});

describe("EnvironmentCatalog", () => {
  it("creates an isolated catalog on its storage, after it, with the admin group's grants", async () => {
    const { resources } = await record(() => {
      const location = new Location("loc");
      const bucket = new Location("bucket");
      return new EnvironmentCatalog("lake", {
        catalogName: "tst_prod",
        storage: { url: "s3://tst-prod-catalog-222222222222/managed", location },
        adminGroup: "platform-admins",
        waitFor: [bucket],
        tags: { environment: "prod" },
      });
    });
    expect(tree(resources.filter((r) => r.name !== "loc" && r.name !== "bucket"))).toEqual([
      "databricks:index/catalog:Catalog::lake-catalog <- lake",
      "databricks:index/grants:Grants::lake-grants <- lake",
      "hdp:platform:EnvironmentCatalog::lake <- -",
    ]);
    const catalog = findResource(resources, "databricks:index/catalog:Catalog", "lake-catalog");
    expect(catalog.inputs).toEqual({
      name: "tst_prod",
      storageRoot: "s3://tst-prod-catalog-222222222222/managed",
      isolationMode: "ISOLATED",
      forceDestroy: false,
      comment: "Lake catalog tst_prod, managed by health-data-platform",
      properties: { "hdp.environment": "prod" },
    });
    expect([catalog.protect, catalog.retainOnDelete]).toEqual([true, true]);
    for (const dep of ["loc", "bucket"]) {
      expect(catalog.dependencies).toContain(
        findResource(resources, "databricks:index/externalLocation:ExternalLocation", dep).urn,
      );
    }
    expect(findResource(resources, "databricks:index/grants:Grants", "lake-grants").inputs).toEqual(
      {
        catalog: "tst_prod",
        grants: [{ principal: "platform-admins", privileges: ["ALL_PRIVILEGES", "MANAGE"] }],
      },
    );
  });

  it("refuses a catalog name Unity Catalog rejects", () => {
    expect(
      () =>
        new EnvironmentCatalog("lake", {
          catalogName: "tst prod",
          storage: {
            url: "s3://b/managed",
            location: pulumi.output(undefined as unknown as pulumi.Resource),
          },
          adminGroup: "platform-admins",
        }),
    ).toThrow(/EnvironmentCatalog "lake": invalid arguments:\n {2}- catalogName:/);
  });
});

describe("the catalog components' protect and retainOnDelete", () => {
  it.each([
    [{ protect: false, retainOnDelete: false }, false, false],
    // Pulumi passes protect down to children, not retainOnDelete: both are applied explicitly.
    [{ retainOnDelete: false }, true, false],
    [{ protect: true, retainOnDelete: true }, true, true],
  ])(
    "follow the caller's options %p on the schemas only (grants are never protected)",
    async (opts, protect, retain) => {
      const { resources } = await record(() => new SourceSchemas("lab", schemasArgs, opts));
      const schemas = resources.filter((r) => r.type === "databricks:index/schema:Schema");
      const grants = resources.filter((r) => r.type === "databricks:index/grants:Grants");
      expect(schemas).toHaveLength(2);
      expect(grants).toHaveLength(2);
      for (const r of schemas)
        expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, protect, retain]);
      for (const r of grants) expect([r.name, r.protect]).toEqual([r.name, false]);
    },
  );
});

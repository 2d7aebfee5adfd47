import fc from "fast-check";
import { validateUnityCatalogName } from "@hdp/naming";
import {
  type LakeCatalogSpec,
  planLakeCatalog,
  schemaNameFor,
  validateLakeCatalogSpec,
} from "./lake-catalog-spec";

const spec = (over: Partial<LakeCatalogSpec> = {}): LakeCatalogSpec => ({
  catalogName: "hdp_prod",
  sources: {
    "epic-clarity": { classification: "phi" },
    workday: { classification: "confidential", layers: ["bronze", "silver"] },
  },
  adminGroup: "hdp-admins",
  adminPrivileges: ["ALL_PRIVILEGES"],
  catalogGrants: [{ principal: "analysts", privileges: ["USE_CATALOG"] }],
  schemaGrants: [
    { principal: "analysts", privileges: ["USE_SCHEMA", "SELECT"], layers: ["gold"] },
    { principal: "hr", privileges: ["USE_SCHEMA", "SELECT"], sources: ["workday"] },
  ],
  ...over,
});

describe("planLakeCatalog", () => {
  it("plans one schema per source and layer with merged grants, admin included", () => {
    const plan = planLakeCatalog(spec());
    expect(plan.catalogGrants).toEqual([
      { principal: "analysts", privileges: ["USE_CATALOG"] },
      { principal: "hdp-admins", privileges: ["ALL_PRIVILEGES"] },
    ]);
    expect(plan.schemas.map((s) => [s.key, s.name, s.classification])).toEqual([
      ["epic-clarity-bronze", "epic_clarity_bronze", "phi"],
      ["epic-clarity-silver", "epic_clarity_silver", "phi"],
      ["epic-clarity-gold", "epic_clarity_gold", "phi"],
      ["workday-bronze", "workday_bronze", "confidential"],
      ["workday-silver", "workday_silver", "confidential"],
    ]);
    const grantsOf = (key: string) => plan.schemas.find((s) => s.key === key)?.grants;
    expect(grantsOf("epic-clarity-gold")).toEqual([
      { principal: "analysts", privileges: ["SELECT", "USE_SCHEMA"] },
      { principal: "hdp-admins", privileges: ["ALL_PRIVILEGES"] },
    ]);
    expect(grantsOf("epic-clarity-bronze")).toEqual([
      { principal: "hdp-admins", privileges: ["ALL_PRIVILEGES"] },
    ]);
    expect(grantsOf("workday-silver")).toEqual([
      { principal: "hdp-admins", privileges: ["ALL_PRIVILEGES"] },
      { principal: "hr", privileges: ["SELECT", "USE_SCHEMA"] },
    ]);
  });

  it("does not depend on the order of sources or grant rules (property)", () => {
    const id = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(id, { minLength: 1, maxLength: 6 }),
        fc.constantFrom("phi", "internal"),
        (ids, classification) => {
          const sources = Object.fromEntries(ids.map((s) => [s, { classification }]));
          const reversed = Object.fromEntries(ids.reverse().map((s) => [s, { classification }]));
          const rules = spec().schemaGrants.map((r) => ({ ...r, sources: undefined }));
          const a = planLakeCatalog(spec({ sources, schemaGrants: rules }));
          const b = planLakeCatalog(
            spec({ sources: reversed, schemaGrants: [...rules].reverse() }),
          );
          expect(b).toEqual(a);
          for (const s of a.schemas) expect(validateUnityCatalogName(s.name)).toEqual([]);
        },
      ),
    );
  });
});

describe("validateLakeCatalogSpec", () => {
  it("accepts the example", () => expect(validateLakeCatalogSpec(spec())).toEqual([]));

  it("rejects ALL_PRIVILEGES for account users on a phi schema", () => {
    expect(
      validateLakeCatalogSpec(
        spec({
          schemaGrants: [{ principal: "account users", privileges: ["ALL_PRIVILEGES"] }],
        }),
      ),
    ).toEqual(
      ["epic_clarity_bronze", "epic_clarity_silver", "epic_clarity_gold"].map(
        (s) =>
          `schema "${s}" is classified phi: the broad group "account users" must not hold ALL_PRIVILEGES; grant specific privileges (e.g. USE_SCHEMA, SELECT) to a narrower group instead`,
      ),
    );
  });

  it("allows the same grant on non-phi schemas only", () => {
    expect(
      validateLakeCatalogSpec(
        spec({
          schemaGrants: [
            { principal: "users", privileges: ["ALL_PRIVILEGES"], sources: ["workday"] },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it("rejects a broad group's ALL_PRIVILEGES on a catalog holding phi schemas (inherited)", () => {
    expect(
      validateLakeCatalogSpec(
        spec({ catalogGrants: [{ principal: "users", privileges: ["ALL_PRIVILEGES"] }] }),
      ),
    ).toEqual([
      'catalogGrants: the broad group "users" must not hold ALL_PRIVILEGES on catalog "hdp_prod": it is inherited by the phi schemas epic_clarity_bronze, epic_clarity_silver, epic_clarity_gold',
    ]);
  });

  it("collects name, grant and reference problems at once", () => {
    expect(
      validateLakeCatalogSpec(
        spec({
          catalogName: "HDP-prod",
          adminGroup: "account users",
          adminPrivileges: ["all privileges"],
          schemaGrants: [{ principal: "x", privileges: ["SELECT"], sources: ["nope"] }],
        }),
      ),
    ).toEqual([
      'catalogName: Unity Catalog name "HDP-prod" must be lowercase letters, digits and "_", starting with a letter',
      'adminPrivileges: "all privileges" is not a privilege name such as "USE_SCHEMA" or "SELECT"',
      'adminGroup: "account users" is everyone; name the platform admin group',
      "schemaGrants[0].sources: unknown source(s) nope",
    ]);
  });

  it("rejects two sources that map to one schema name, and bad schema names", () => {
    const problems = validateLakeCatalogSpec(
      spec({
        sources: {
          "a-b": { classification: "internal" },
          a_b: { classification: "internal" },
          "1x": { classification: "internal" },
        },
        schemaGrants: [],
      }),
    );
    expect(problems).toContain(
      'sources.a_b: schema "a_b_bronze" is also the name of a-b\'s schema',
    );
    expect(problems).toContain(
      'sources.1x: Unity Catalog name "1x_bronze" must be lowercase letters, digits and "_", starting with a letter',
    );
  });

  it("names schemas as @hdp/config does", () => {
    expect(schemaNameFor("epic-clarity", "gold")).toBe("epic_clarity_gold");
  });
});

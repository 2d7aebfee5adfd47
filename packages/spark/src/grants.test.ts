import fc from "fast-check";
import {
  type GrantSpec,
  isBroadPrincipal,
  mergeGrants,
  validateGrantSpecs,
  validatePhiGrants,
} from "./grants";

describe("mergeGrants", () => {
  it("merges each principal's privileges into one sorted entry", () => {
    expect(
      mergeGrants([
        { principal: "analysts", privileges: ["SELECT", "USE_SCHEMA"] },
        { principal: "admins", privileges: ["ALL_PRIVILEGES"] },
        { principal: "analysts", privileges: ["USE_SCHEMA", "EXECUTE"] },
        { principal: "nobody", privileges: [] },
      ]),
    ).toEqual([
      { principal: "admins", privileges: ["ALL_PRIVILEGES"] },
      { principal: "analysts", privileges: ["EXECUTE", "SELECT", "USE_SCHEMA"] },
    ]);
  });

  const grant = fc.record({
    principal: fc.constantFrom("admins", "analysts", "engineers", "account users", "sp-1"),
    privileges: fc.array(fc.constantFrom("SELECT", "MODIFY", "USE_SCHEMA", "MANAGE"), {
      maxLength: 4,
    }),
  });

  it("does not depend on order, is idempotent and loses no privilege (property)", () => {
    fc.assert(
      fc.property(fc.array(grant, { maxLength: 12 }), (grants: GrantSpec[]) => {
        const merged = mergeGrants(grants);
        expect(mergeGrants([...grants].reverse())).toEqual(merged);
        expect(mergeGrants(merged)).toEqual(merged);
        const principals = merged.map((g) => g.principal);
        expect(new Set(principals).size).toBe(principals.length);
        for (const g of grants) {
          for (const p of g.privileges) {
            expect(merged.find((m) => m.principal === g.principal)?.privileges).toContain(p);
          }
        }
      }),
    );
  });
});

describe("validateGrantSpecs", () => {
  it("names the field of each bad spelling", () => {
    expect(
      validateGrantSpecs("g", [
        { principal: " ", privileges: ["use catalog"] },
        { principal: "a", privileges: [] },
      ]),
    ).toEqual([
      "g[0].principal: is empty",
      'g[0].privileges: "use catalog" is not a privilege name such as "USE_SCHEMA" or "SELECT"',
      "g[1].privileges: is empty",
    ]);
  });
});

describe("validatePhiGrants", () => {
  it.each(["account users", "users", "Account Users ", "All Users"])("%p is broad", (p) =>
    expect(isBroadPrincipal(p)).toBe(true),
  );
  it.each(["admins", "account-users-clinical", "analysts"])("%p is not broad", (p) =>
    expect(isBroadPrincipal(p)).toBe(false),
  );

  it("rejects ALL_PRIVILEGES, MANAGE or SELECT for broad groups on phi, with a clear message", () => {
    expect(
      validatePhiGrants('schema "epic_bronze"', "phi", [
        { principal: "account users", privileges: ["ALL_PRIVILEGES"] },
        { principal: "users", privileges: ["MANAGE", "SELECT"] },
        { principal: "admins", privileges: ["ALL_PRIVILEGES"] },
      ]),
    ).toEqual([
      'schema "epic_bronze" is classified phi: the broad group "account users" must not hold ALL_PRIVILEGES; grant specific privileges (e.g. USE_SCHEMA, SELECT) to a narrower group instead',
      'schema "epic_bronze" is classified phi: the broad group "users" must not hold MANAGE or SELECT; grant specific privileges (e.g. USE_SCHEMA, SELECT) to a narrower group instead',
    ]);
  });

  it("allows it below phi and allows narrow privileges on phi", () => {
    const all = [{ principal: "account users", privileges: ["ALL_PRIVILEGES"] }];
    expect(validatePhiGrants("s", "internal", all)).toEqual([]);
    expect(
      validatePhiGrants("s", "phi", [{ principal: "account users", privileges: ["USE_SCHEMA"] }]),
    ).toEqual([]);
  });
});

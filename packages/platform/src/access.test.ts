import {
  catalogGrants,
  jobAccess,
  locationGrants,
  policyUsers,
  poolAccess,
  schemaGrants,
} from "./access";

const db = {
  adminGroup: "hdp-prod-admins",
  groups: {
    engineers: ["hdp-prod-platform-engineers"],
    readers: ["hdp-prod-analysts"],
    domains: {
      clinical: {
        engineers: ["hdp-prod-clinical-engineers"],
        readers: ["hdp-prod-clinical-stewards"],
      },
      workforce: { engineers: [], readers: ["hdp-prod-hr-stewards"] },
    },
  },
};
const none = { adminGroup: "hdp-prod-admins", groups: { engineers: [], readers: [], domains: {} } };

describe("access from the environment's groups", () => {
  it("lets every group into the catalog; engineers also browse it", () => {
    expect(catalogGrants(db)).toEqual([
      { principal: "hdp-prod-clinical-engineers", privileges: ["USE_CATALOG", "BROWSE"] },
      { principal: "hdp-prod-platform-engineers", privileges: ["USE_CATALOG", "BROWSE"] },
      { principal: "hdp-prod-analysts", privileges: ["USE_CATALOG"] },
      { principal: "hdp-prod-clinical-stewards", privileges: ["USE_CATALOG"] },
      { principal: "hdp-prod-hr-stewards", privileges: ["USE_CATALOG"] },
    ]);
    expect(catalogGrants(none)).toEqual([]);
  });

  it("gives readers the gold schemas only, a domain's engineers MODIFY on their domain only", () => {
    const principals = (domain: string, layer: "bronze" | "gold") =>
      schemaGrants(db, domain, layer).map((g) => `${g.principal}:${g.privileges.join("+")}`);
    expect(principals("clinical", "bronze")).toEqual([
      "hdp-prod-platform-engineers:USE_SCHEMA+SELECT",
      "hdp-prod-clinical-engineers:USE_SCHEMA+SELECT+MODIFY",
    ]);
    expect(principals("clinical", "gold")).toEqual([
      "hdp-prod-platform-engineers:USE_SCHEMA+SELECT",
      "hdp-prod-clinical-engineers:USE_SCHEMA+SELECT+MODIFY",
      "hdp-prod-analysts:USE_SCHEMA+SELECT",
      "hdp-prod-clinical-stewards:USE_SCHEMA+SELECT",
    ]);
    // Another domain's groups reach nothing of clinical, and clinical's nothing of workforce.
    expect(principals("workforce", "gold")).toEqual([
      "hdp-prod-platform-engineers:USE_SCHEMA+SELECT",
      "hdp-prod-analysts:USE_SCHEMA+SELECT",
      "hdp-prod-hr-stewards:USE_SCHEMA+SELECT",
    ]);
  });

  it("lets engineers read landing files of their domain, nothing below the Delta layers", () => {
    expect(locationGrants(db, "clinical", "landing")).toEqual([
      { principal: "hdp-prod-clinical-engineers", privileges: ["READ_FILES"] },
      { principal: "hdp-prod-platform-engineers", privileges: ["READ_FILES"] },
    ]);
    expect(locationGrants(db, "clinical", "gold")).toEqual([]);
  });

  it("lets admins manage, engineers run and readers watch a domain's jobs", () => {
    expect(jobAccess(db, "clinical")).toEqual([
      { group: "hdp-prod-admins", level: "CAN_MANAGE" },
      { group: "hdp-prod-clinical-engineers", level: "CAN_MANAGE_RUN" },
      { group: "hdp-prod-platform-engineers", level: "CAN_MANAGE_RUN" },
      { group: "hdp-prod-analysts", level: "CAN_VIEW" },
      { group: "hdp-prod-clinical-stewards", level: "CAN_VIEW" },
    ]);
    expect(jobAccess(none, "clinical")).toEqual([
      { group: "hdp-prod-admins", level: "CAN_MANAGE" },
    ]);
  });

  it("lets admins and engineers use a domain's policy and pool; readers neither", () => {
    expect(policyUsers(db, "workforce")).toEqual([
      "hdp-prod-admins",
      "hdp-prod-platform-engineers",
    ]);
    expect(poolAccess(db, "clinical")).toEqual([
      { group: "hdp-prod-admins", level: "CAN_MANAGE" },
      { group: "hdp-prod-clinical-engineers", level: "CAN_ATTACH_TO" },
      { group: "hdp-prod-platform-engineers", level: "CAN_ATTACH_TO" },
    ]);
  });
});

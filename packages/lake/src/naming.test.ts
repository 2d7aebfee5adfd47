import fc from "fast-check";
import { validateBucketName } from "@hdp/naming";
import {
  LAKE_LAYERS,
  lakeBucketName,
  lakeKeyAlias,
  tablePrefix,
  type LakeBucketRole,
} from "./naming";

const ROLES: readonly LakeBucketRole[] = [...LAKE_LAYERS, "audit", "logs"];
const part = fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,3}$/);

describe("lakeBucketName", () => {
  it.each([
    [
      { prefix: "hdp-acme", environment: "prod", domain: "clinical", layer: "bronze" },
      "hdp-acme-prod-clinical-bronze",
    ],
    [
      { prefix: "hdp", environment: "dev", domain: "genomics", layer: "landing" },
      "hdp-dev-genomics-landing",
    ],
    [
      { prefix: "h1", environment: "stage", domain: "finance", layer: "logs" },
      "h1-stage-finance-logs",
    ],
  ] as const)("%o -> %s", (parts, name) => {
    expect(lakeBucketName(parts)).toBe(name);
  });

  it("shortens long names with a hash and keeps the layer at the end", () => {
    const name = lakeBucketName({
      prefix: "hospital-system-data-platform",
      environment: "production",
      domain: "clinical-research-genomics",
      layer: "landing",
    });
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(
      /^hospital-system-data-platform-production-[a-z0-9-]*-[0-9a-f]{8}-landing$/,
    );
    expect(validateBucketName(name)).toEqual([]);
  });

  it.each([
    [
      { prefix: "HDP", environment: "prod", domain: "x", layer: "gold" },
      'prefix "HDP" must be lowercase',
    ],
    [{ prefix: "hdp", environment: "prod.1", domain: "x", layer: "gold" }, 'environment "prod.1"'],
    [{ prefix: "hdp", environment: "prod", domain: "a--b", layer: "gold" }, 'domain "a--b"'],
    [{ prefix: "hdp", environment: "prod", domain: "", layer: "gold" }, 'domain ""'],
    [
      { prefix: "sthree-x", environment: "prod", domain: "x", layer: "gold" },
      'must not start with "sthree-"',
    ],
  ] as const)("rejects %o", (parts, message) => {
    expect(() => lakeBucketName(parts)).toThrow(message);
  });

  it("reports every bad part at once", () => {
    expect(() =>
      lakeBucketName({ prefix: "A", environment: "B", domain: "c", layer: "gold" }),
    ).toThrow(/prefix "A".*environment "B"/);
  });

  it("always gives a valid, stable, layer-suffixed name of at most 63 characters", () => {
    fc.assert(
      fc.property(
        part,
        part,
        part,
        fc.constantFrom(...ROLES),
        (prefix, environment, domain, layer) => {
          fc.pre(!prefix.startsWith("sthree-") && !prefix.startsWith("xn--"));
          const parts = { prefix, environment, domain, layer };
          const name = lakeBucketName(parts);
          expect(name.length).toBeLessThanOrEqual(63);
          expect(name.endsWith(`-${layer}`)).toBe(true);
          expect(validateBucketName(name)).toEqual([]);
          expect(lakeBucketName({ ...parts })).toBe(name);
        },
      ),
    );
  });

  it("gives different names to different layers and different domains", () => {
    fc.assert(
      fc.property(part, part, part, part, (prefix, environment, d1, d2) => {
        fc.pre(d1 !== d2 && !prefix.startsWith("sthree-"));
        const names = new Set(
          ROLES.flatMap((layer) =>
            [d1, d2].map((domain) => lakeBucketName({ prefix, environment, domain, layer })),
          ),
        );
        expect(names.size).toBe(ROLES.length * 2);
      }),
    );
  });
});

describe("lakeKeyAlias", () => {
  it("builds alias/<prefix>/<env>/<domain>/lake", () => {
    expect(lakeKeyAlias({ prefix: "hdp-acme", environment: "prod", domain: "clinical" })).toBe(
      "alias/hdp-acme/prod/clinical/lake",
    );
  });
  it("rejects bad parts", () => {
    expect(() => lakeKeyAlias({ prefix: "hdp", environment: "Prod", domain: "x" })).toThrow(
      'environment "Prod"',
    );
  });
});

describe("tablePrefix", () => {
  it.each([
    ["epic", "encounters", "epic/encounters/"],
    ["lab_lis", "results-v2", "lab_lis/results-v2/"],
  ])("%s/%s -> %s", (source, table, prefix) => expect(tablePrefix(source, table)).toBe(prefix));
  it.each([
    ["", "t", 'source ""'],
    ["epic", "a/b", 'table "a/b"'],
    ["Epic", "t", 'source "Epic"'],
    ["epic", "_x", 'table "_x"'],
  ])("rejects %s/%s", (source, table, message) => {
    expect(() => tablePrefix(source, table)).toThrow(message);
  });
});

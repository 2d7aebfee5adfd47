import fc from "fast-check";
import { validateUnityCatalogName } from "@hdp/naming";
import {
  isWithin,
  joinUrl,
  locationNameFor,
  locationUrl,
  resolveLocationUrls,
  validateLocations,
} from "./unity-catalog-storage-spec";

describe("locationUrl / joinUrl", () => {
  it.each([
    ["b", "", "s3://b/"],
    ["b", "/", "s3://b/"],
    ["b", "/bronze/", "s3://b/bronze"],
    ["b", "a/b", "s3://b/a/b"],
  ])("locationUrl(%s, %p) = %s", (bucket, path, url) => {
    expect(locationUrl(bucket, path)).toBe(url);
  });
  it.each([
    ["s3://b/", "managed", "s3://b/managed"],
    ["s3://b/x", "/managed/", "s3://b/x/managed"],
    ["s3://b/x", "", "s3://b/x"],
  ])("joinUrl(%s, %p) = %s", (base, sub, url) => expect(joinUrl(base, sub)).toBe(url));
});

describe("isWithin / validateLocations", () => {
  it.each([
    [{ bucketName: "b", path: "a/b" }, { bucketName: "b", path: "a" }, true],
    [{ bucketName: "b", path: "a" }, { bucketName: "b", path: "" }, true],
    [{ bucketName: "b", path: "a" }, { bucketName: "b", path: "a" }, true],
    [{ bucketName: "b", path: "ab" }, { bucketName: "b", path: "a" }, false],
    [{ bucketName: "b", path: "" }, { bucketName: "c", path: "" }, false],
  ])("%p within %p: %p", (inner, outer, expected) => {
    expect(isWithin(inner, outer)).toBe(expected);
  });

  const segment = fc.stringMatching(/^[a-z0-9]{1,4}$/);
  const location = fc.record({
    bucketName: fc.constantFrom("hdp-a", "hdp-b"),
    path: fc.array(segment, { maxLength: 3 }).map((s) => s.join("/")),
  });

  it("accepts a set of locations exactly when none lies inside another (property)", () => {
    fc.assert(
      fc.property(fc.array(location, { minLength: 1, maxLength: 5 }), (list) => {
        const record = Object.fromEntries(list.map((l, i) => [`l${i}`, l]));
        const nested = list.some((a, i) => list.some((b, j) => i !== j && isWithin(a, b)));
        expect(validateLocations(record).length > 0).toBe(nested);
        if (!nested) {
          const urls = resolveLocationUrls(record);
          expect(Object.values(urls).every((u) => u.startsWith("s3://hdp-"))).toBe(true);
        }
      }),
    );
  });
});

describe("locationNameFor", () => {
  it("puts the environment in a valid Unity Catalog name (property)", () => {
    const id = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5})?$/);
    fc.assert(
      fc.property(fc.constantFrom("dev", "stage", "prod"), id, (env, layer) => {
        const name = locationNameFor("hdp", env, layer);
        expect(validateUnityCatalogName(name)).toEqual([]);
        expect(name.startsWith(`hdp_${env}_`)).toBe(true);
      }),
    );
    expect(locationNameFor("hdp", "prod", "clinical-bronze")).toBe("hdp_prod_clinical_bronze");
  });
});

import fc from "fast-check";
import { CLASSIFICATIONS, classificationRank, type Source } from "@hdp/config";
import { baseEstate } from "./__fixtures__";
import {
  domainTags,
  highestClassification,
  providerDefaultTags,
  sharedTags,
  sourceTags,
} from "./tags";

const source = (id: string): Source => {
  const s = baseEstate().sources.find((x) => x.id === id);
  if (s === undefined) throw new Error(id);
  return s;
};

describe("house tags", () => {
  it("a domain's objects carry its owner, classification ceiling and cost center", () => {
    expect(domainTags(baseEstate(), "dev", "workforce")).toEqual({
      owner: "hr-data",
      domain: "workforce",
      "data-classification": "pii",
      environment: "dev",
      "cost-center": "CC-2001",
    });
  });

  it("a source's objects carry its owner and classification and its domain's cost center", () => {
    expect(sourceTags(baseEstate(), "prod", source("lab"))).toEqual({
      owner: "clinical-data",
      domain: "clinical",
      "data-classification": "phi",
      environment: "prod",
      "cost-center": "CC-1001",
    });
  });

  it("a source's own tags add keys but never replace a house tag", () => {
    const lab = {
      ...source("lab"),
      tags: { vendor: "sunquest", owner: "someone-else", environment: "x" },
    };
    const tags = sourceTags(baseEstate(), "dev", lab);
    expect(tags.vendor).toBe("sunquest");
    expect(tags.owner).toBe("clinical-data");
    expect(tags.environment).toBe("dev");
  });

  it("platform tag defaults are on every tag set and on the AWS provider", () => {
    const estate = {
      ...baseEstate(),
      platform: {
        ...baseEstate().platform,
        tags: { required: [], defaults: { "managed-by": "pulumi" } },
      },
    };
    expect(providerDefaultTags(estate, "prod")).toEqual({
      environment: "prod",
      "managed-by": "pulumi",
    });
    expect(domainTags(estate, "prod", "clinical")["managed-by"]).toBe("pulumi");
    expect(sourceTags(estate, "prod", source("payroll"))["managed-by"]).toBe("pulumi");
    expect(sharedTags(estate, "prod", "admins", ["clinical"])["managed-by"]).toBe("pulumi");
  });

  test.each([
    [["clinical", "workforce"], "phi"],
    [["workforce"], "pii"],
    [[], "internal"],
  ])("shared objects serving %j are classified %s", (domains, classification) => {
    expect(sharedTags(baseEstate(), "dev", "platform-admins", domains)).toEqual({
      owner: "platform-admins",
      domain: "platform",
      "data-classification": classification,
      environment: "dev",
      "cost-center": "shared",
    });
  });

  it("tag keys come out sorted, whatever order they were built in", () => {
    const keys = Object.keys(
      sourceTags(baseEstate(), "dev", { ...source("lab"), tags: { z: "1", a: "2" } }),
    );
    expect(keys).toEqual([...keys].sort());
  });

  it("throws on a domain platform.yaml does not define", () => {
    expect(() => domainTags(baseEstate(), "dev", "genomics")).toThrow('unknown domain "genomics"');
  });
});

describe("highestClassification", () => {
  it("is the most sensitive level, whatever the order", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CLASSIFICATIONS)), (levels) => {
        const top = highestClassification(levels);
        for (const l of levels)
          expect(classificationRank(top)).toBeGreaterThanOrEqual(classificationRank(l));
        expect(highestClassification([...levels].reverse())).toBe(top);
        if (levels.length > 0) expect(levels).toContain(top);
      }),
    );
  });
});

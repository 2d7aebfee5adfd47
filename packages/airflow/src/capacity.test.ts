import fc from "fast-check";
import {
  ENVIRONMENT_CLASSES,
  dagCapacity,
  isEnvironmentClass,
  smallestClassFor,
  validateDagCount,
  type EnvironmentClass,
} from "./capacity";

describe("dagCapacity", () => {
  it.each<[EnvironmentClass, number]>([
    ["mw1.micro", 25],
    ["mw1.small", 50],
    ["mw1.medium", 250],
    ["mw1.large", 1000],
    ["mw1.xlarge", 2000],
    ["mw1.2xlarge", 4000],
  ])("%s holds %i DAGs", (cls, capacity) => {
    expect(dagCapacity(cls)).toBe(capacity);
    expect(validateDagCount(cls, capacity)).toEqual([]);
    expect(validateDagCount(cls, capacity + 1)).toHaveLength(1);
  });

  it("knows exactly the six classes", () => {
    expect(ENVIRONMENT_CLASSES).toEqual([
      "mw1.micro",
      "mw1.small",
      "mw1.medium",
      "mw1.large",
      "mw1.xlarge",
      "mw1.2xlarge",
    ]);
    expect(isEnvironmentClass("mw1.small")).toBe(true);
    expect(isEnvironmentClass("mw1.huge")).toBe(false);
    expect(isEnvironmentClass("toString")).toBe(false);
  });
});

describe("validateDagCount", () => {
  it.each([
    ["mw1.small", 51, "51 DAGs exceed the capacity of mw1.small (50); use mw1.medium (250)"],
    ["mw1.micro", 1001, "use mw1.xlarge (2000)"],
    ["mw1.2xlarge", 4001, "split the DAGs over several environments"],
    ["mw1.huge", 1, 'environmentClass "mw1.huge" is not an MWAA class'],
    ["mw1.small", -1, "DAG count -1 must be a whole number"],
    ["mw1.small", 2.5, "DAG count 2.5 must be a whole number"],
  ])("%s with %p DAGs: %s", (cls, count, message) => {
    expect(validateDagCount(cls, count).join("\n")).toContain(message);
  });

  it("accepts a count exactly when it is within the class's capacity", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ENVIRONMENT_CLASSES), fc.nat(5000), (cls, count) => {
        expect(validateDagCount(cls, count).length === 0).toBe(count <= dagCapacity(cls));
      }),
    );
  });

  it("suggests the smallest class that fits", () => {
    fc.assert(
      fc.property(fc.nat(4000), (count) => {
        const cls = smallestClassFor(count) as EnvironmentClass;
        expect(dagCapacity(cls)).toBeGreaterThanOrEqual(count);
        const smaller = ENVIRONMENT_CLASSES.slice(0, ENVIRONMENT_CLASSES.indexOf(cls));
        for (const s of smaller) expect(dagCapacity(s)).toBeLessThan(count);
      }),
    );
    expect(smallestClassFor(4001)).toBeUndefined();
  });
});

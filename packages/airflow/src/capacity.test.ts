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

  // Properties of the behaviour, not a restatement of it: the documented figures are the table
  // above; here, that acceptance is monotonic and that every suggestion is the smallest that works.
  it("accepting a count means accepting every smaller one", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ENVIRONMENT_CLASSES), fc.nat(5000), (cls, count) => {
        if (validateDagCount(cls, count).length === 0 && count > 0) {
          expect(validateDagCount(cls, count - 1)).toEqual([]);
        }
      }),
    );
  });

  it("suggests a class that accepts the count, and no smaller class does", () => {
    let suggested = 0;
    fc.assert(
      fc.property(fc.integer({ min: 26, max: 4000 }), (count) => {
        const message = validateDagCount("mw1.micro", count).join("\n");
        const use = /use (mw1\.[a-z0-9]+) \(/.exec(message)?.[1] as EnvironmentClass;
        expect(ENVIRONMENT_CLASSES).toContain(use);
        suggested++;
        expect(validateDagCount(use, count)).toEqual([]);
        const smaller = ENVIRONMENT_CLASSES.slice(0, ENVIRONMENT_CLASSES.indexOf(use));
        expect(smaller.length).toBeGreaterThan(0); // micro at least: it rejected the count
        for (const s of smaller) expect(validateDagCount(s, count)).not.toEqual([]);
        expect(smallestClassFor(count)).toBe(use);
      }),
    );
    expect(suggested).toBeGreaterThan(0);
    expect(smallestClassFor(4001)).toBeUndefined();
  });
});

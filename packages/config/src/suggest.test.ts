import fc from "fast-check";
import { closest, didYouMean, editDistance } from "./suggest";
import { findCycles } from "./graph";

describe("editDistance", () => {
  it.each([
    ["colums", "columns", 1],
    ["kitten", "sitting", 3],
    ["", "abc", 3],
    ["same", "same", 0],
  ])("%s ~ %s = %d", (a, b, d) => expect(editDistance(a, b)).toBe(d));

  it("is symmetric and zero only for equal strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
      }),
    );
  });
});

describe("closest / didYouMean", () => {
  it("suggests near misses only", () => {
    expect(closest("clinicl", ["clinical", "financial"])).toBe("clinical");
    expect(closest("zzzzzz", ["clinical", "financial"])).toBeUndefined();
    expect(didYouMean("nulable", ["name", "nullable"])).toBe('; did you mean "nullable"?');
    expect(didYouMean("xyz", ["name"])).toBe("");
  });
});

describe("findCycles", () => {
  it("finds each cycle once, rotated to its smallest node", () => {
    const edges = new Map([
      ["c", ["a"]],
      ["a", ["b"]],
      ["b", ["c"]],
      ["d", ["d"]],
      ["e", ["a"]],
    ]);
    expect(findCycles(edges)).toEqual([["a", "b", "c"], ["d"]]);
  });

  it("finds none in a DAG", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(30), fc.nat(30)), { maxLength: 60 }), (pairs) => {
        // Edges only from a larger to a smaller number: acyclic by construction.
        const edges = new Map<string, string[]>();
        for (const [a, b] of pairs) {
          if (a <= b) continue;
          edges.set(`n${a}`, [...(edges.get(`n${a}`) ?? []), `n${b}`]);
        }
        expect(findCycles(edges)).toEqual([]);
      }),
    );
  });

  it("handles long chains without overflowing the stack", () => {
    const edges = new Map(
      Array.from({ length: 20000 }, (_, i) => [`t${i}`, i > 0 ? [`t${i - 1}`] : ["t19999"]]),
    );
    expect(findCycles(edges)).toHaveLength(1);
  });
});

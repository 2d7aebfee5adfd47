import fc from "fast-check";
import { jsonPieces } from "./json-pieces";

const joined = (v: Record<string, unknown>): string => [...jsonPieces(v)].join("");

describe("jsonPieces", () => {
  it("gives the bytes of JSON.stringify(value, null, 2) with a newline (property)", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string(),
          fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue()), fc.constant(undefined)),
        ),
        (v) => {
          expect(joined(v)).toBe(`${JSON.stringify(v, null, 2)}\n`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives each element of a top-level array as its own piece", () => {
    const report = {
      findings: [{ rule: "a", origin: undefined }, { rule: "b" }, undefined],
      blocking: 1,
      skipped: undefined,
      stacks: [],
    };
    const pieces = [...jsonPieces(report)];
    expect(pieces.join("")).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(pieces.filter((p) => p.includes('"rule"'))).toEqual([
      '\n    {\n      "rule": "a"\n    }',
      ',\n    {\n      "rule": "b"\n    }',
    ]);
    expect(joined({})).toBe("{}\n");
  });
});

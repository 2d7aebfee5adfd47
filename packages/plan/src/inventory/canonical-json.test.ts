import fc from "fast-check";
import { canonicalJson } from "./canonical-json";

const json = fc.jsonValue({ maxDepth: 4 });

/** The same value with every object's keys in reverse order. */
function reversed(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversed);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .reverse()
        .map((k) => [k, reversed((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

describe("canonicalJson", () => {
  it("parses back to the same value", () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it("does not depend on the order keys were inserted in", () => {
    fc.assert(fc.property(json, (v) => expect(canonicalJson(reversed(v))).toBe(canonicalJson(v))));
  });

  it("sorts keys, reading fields first, and drops undefined fields", () => {
    expect(
      canonicalJson({ b: 1, a: { z: [], y: {} }, urn: "u", stack: "s", gone: undefined }),
    ).toBe(
      '{\n  "stack": "s",\n  "urn": "u",\n  "a": {\n    "y": {},\n    "z": []\n  },\n  "b": 1\n}',
    );
  });

  it("indents as if nested at a given depth", () => {
    expect(canonicalJson({ a: [1] }, 2)).toBe('{\n      "a": [\n        1\n      ]\n    }');
  });
});

it("keeps a key named __proto__ as data", () => {
  const v = JSON.parse('{"__proto__": {"a": 1}, "b": 2}') as unknown;
  expect(JSON.parse(canonicalJson(v))).toEqual(v);
  expect(canonicalJson(v)).toContain('"__proto__"');
});

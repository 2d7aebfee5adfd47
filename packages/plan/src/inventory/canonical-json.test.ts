import fc from "fast-check";
import { canonicalJson, viaStringify } from "./canonical-json";

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

describe("the direct writer", () => {
  // Values JSON.stringify treats specially, mixed into JSON data at any depth.
  const odd = fc.oneof(
    fc.constant(undefined),
    fc.constant(() => 1),
    fc.constant(Number.NaN),
    fc.constant(-0),
    fc.constant(Infinity),
    fc.constant({ toJSON: () => "custom" }),
    fc.constant(new Date(0)),
    fc.constant("line\nbreak \u2028 \ud800"),
  );
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      fc.jsonValue({ maxDepth: 1 }),
      odd,
      fc.array(tie("v"), { maxLength: 4 }),
      fc.dictionary(
        fc.oneof(fc.string(), fc.constantFrom("stack", "urn", "type", "name", "__proto__")),
        tie("v"),
        { maxKeys: 5 },
      ),
    ),
  })).v;

  it("gives the bytes of the key-ordered copy through JSON.stringify, at any depth", () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 3 }), (v, depth) => {
        expect(canonicalJson(v, depth)).toBe(viaStringify(v, depth));
      }),
      { numRuns: 500 },
    );
  });

  it("gives the bytes of the reference for a recorded inventory's shapes", () => {
    const stack = {
      stack: "prod-x",
      resources: [
        { urn: "u", type: "t", name: "n", parent: null, inputs: { tags: { b: "1", a: "2" } } },
        { urn: "v", type: "t", name: "m", parent: "u", ignoreChanges: [], inputs: {} },
      ],
      exports: {},
    };
    expect(canonicalJson(stack, 2)).toBe(viaStringify(stack, 2));
    expect(canonicalJson(undefined)).toBe("null");
  });
});

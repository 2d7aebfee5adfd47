import { setOwn } from "@hdp/recorder";
import fc from "fast-check";
import { canonicalJson, canonicalJsonBytes, viaStringify } from "./canonical-json";

import { previousCanonicalJson } from "../__fixtures__/previous-canonical-json";

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

describe("the rendering against the key-ordered copy", () => {
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

  it("gives the same text as UTF-8 bytes (canonicalJsonBytes), any characters, at any depth", () => {
    const text = fc.string({ unit: "binary" });
    const withText = fc.oneof(
      value,
      fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 })), { maxKeys: 4 }),
    );
    fc.assert(
      fc.property(withText, fc.integer({ min: 0, max: 3 }), (v, depth) => {
        const bytes = canonicalJsonBytes(v, depth);
        expect(bytes.equals(Buffer.from(canonicalJson(v, depth), "utf8"))).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(canonicalJsonBytes({ "é—": ["✓"] }, 2).toString("utf8")).toBe(
      canonicalJson({ "é—": ["✓"] }, 2),
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

describe("against the previous implementation", () => {
  // Strings JSON.stringify escapes, or nearly does: quotes, backslashes, every control
  // character, DEL, lone and paired surrogates (Node 20+ escapes a lone one), U+2028/2029
  // (left as they are), non-BMP characters.
  const awkwardChar = fc.oneof(
    fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('"', "\\", "/", "\u007f", "\u2028", "\u2029", "\ufeff", "\ud83d\ude00", "é"),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    fc.string({ unit: "binary", maxLength: 3 }),
    fc.string({ maxLength: 3 }),
  );
  const awkward = fc.array(awkwardChar, { maxLength: 6 }).map((a) => a.join(""));
  const key = fc.oneof(
    awkward,
    fc.constantFrom("stack", "urn", "type", "name", "__proto__", "toString", "constructor"),
    fc.constantFrom("0", "1", "10", "01", "-1", "1.5", "4294967294", "4294967295", ""),
  );
  const leaf = fc.oneof(
    awkward,
    fc.double(),
    fc.constantFrom(-0, 0, 1e21, 1e-7, -1e21, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant(() => 1),
    fc.constant(Symbol("s")),
  );
  const value = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      leaf,
      fc.array(tie("v"), { maxLength: 5 }),
      fc.sparseArray(tie("v"), { maxLength: 5 }),
      // Keys inserted in the generated (arbitrary) order, __proto__ as data.
      fc.array(fc.tuple(key, tie("v")), { maxLength: 6 }).map((entries) => {
        const o: Record<string, unknown> = {};
        for (const [k, v] of entries) setOwn(o, k, v);
        return o;
      }),
      fc
        .array(fc.tuple(key, tie("v")), { maxLength: 4 })
        .map((entries) =>
          Object.assign(Object.create(null) as object, Object.fromEntries(entries)),
        ),
    ),
  })).v;

  it("gives the previous implementation's bytes for arbitrary values, at any depth", () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 4 }), (v, depth) => {
        expect(canonicalJson(v, depth)).toBe(previousCanonicalJson(v, depth));
      }),
      { numRuns: 3000 },
    );
  });

  it("gives the previous bytes for JSON data with keys in reverse order", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.integer({ min: 0, max: 3 }), (v, depth) => {
        expect(canonicalJson(reversed(v), depth)).toBe(previousCanonicalJson(v, depth));
      }),
      { numRuns: 1000 },
    );
  });

  it("escapes exactly as JSON.stringify: controls, quotes, lone surrogates; not U+2028", () => {
    const s = 'a\u0000\u001f"\\\u2028\u2029\ud800x\udfff\ud83d\ude00';
    const out = canonicalJson({ [s]: s });
    expect(out).toBe(previousCanonicalJson({ [s]: s }));
    expect(out).toContain('\\u0000\\u001f\\"\\\\\u2028\u2029\\ud800x\\udfff\ud83d\ude00');
  });

  it("writes numbers as JSON.stringify does and drops what it drops", () => {
    const v = {
      a: -0,
      b: 1e21,
      c: NaN,
      d: -Infinity,
      e: undefined,
      f: () => 1,
      g: [undefined, Symbol("x"), 1e-7],
    };
    expect(canonicalJson(v)).toBe(previousCanonicalJson(v));
    expect(JSON.parse(canonicalJson(v))).toEqual({
      a: 0,
      b: 1e21,
      c: null,
      d: null,
      g: [null, null, 1e-7],
    });
  });

  it("honours toJSON where the previous implementation did (own method, Date, nested)", () => {
    class Tagged {
      constructor(readonly x: number) {}
      toJSON(): string {
        return "tagged";
      }
    }
    for (const v of [
      { when: new Date(0), b: { toJSON: (k: string) => `k=${k}` } },
      [new Tagged(1), { z: { toJSON: () => ({ b: 1, a: 2 }) } }],
      Object.assign([1, 2], { toJSON: () => "array" }),
      new Date(0),
    ]) {
      expect(canonicalJson(v, 1)).toBe(previousCanonicalJson(v, 1));
    }
  });

  it("throws as JSON.stringify does on a bigint", () => {
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
    expect(() => previousCanonicalJson({ a: 1n })).toThrow(TypeError);
  });
});

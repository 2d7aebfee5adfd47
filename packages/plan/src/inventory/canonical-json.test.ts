import { setOwn } from "@hdp/recorder";
import fc from "fast-check";
import { canonicalJson, viaStringify } from "./canonical-json";

// ---------------------------------------------------------------------------------------------
// The implementation before this round (main at a7db983), kept verbatim as a reference:
// a key-ordered view of the value (copying only what is out of order) through
// `JSON.stringify(…, null, 2)`, re-indented by `replaceAll` for a depth.
// ---------------------------------------------------------------------------------------------

const KEY_ORDER: readonly string[] = ["stack", "urn", "type", "name"];

/** Key order for objects whose fields have a reading order: listed keys first, the rest sorted. */
function orderedKeys(obj: object, first: readonly string[] = KEY_ORDER): string[] {
  const keys = Object.keys(obj).sort();
  const head = first.filter((k) => k in obj);
  return head.length === 0 ? keys : [...head, ...keys.filter((k) => !head.includes(k))];
}

/** Position of a key among {@link KEY_ORDER}, else past them (then sorted by code units). */
function rank(k: string): number {
  const i = KEY_ORDER.indexOf(k);
  return i < 0 ? KEY_ORDER.length : i;
}

/** An array-index key (`"0"`, `"42"`; not `"01"`): every JS object lists these first, ascending. */
function isIndex(k: string): boolean {
  const c = k.charCodeAt(0);
  if (!(c >= 48 && c <= 57) || (c === 48 && k.length > 1)) return false;
  for (let i = 1; i < k.length; i++) {
    const d = k.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return Number(k) < 4294967295;
}

/**
 * True when the copy {@link copyOrdered} would make of `obj` enumerates the same keys in the same
 * order with the same values: a plain object, no undefined field, its keys already in canonical
 * order (array-index keys, which any JS object lists first, aside).
 */
function alreadyOrdered(obj: Record<string, unknown>, keys: readonly string[]): boolean {
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) return false;
  let previous: string | undefined;
  for (const k of keys) {
    if (obj[k] === undefined) return false;
    if (isIndex(k)) continue;
    if (previous !== undefined) {
      const a = rank(previous);
      const b = rank(k);
      if (a > b || (a === b && previous > k)) return false;
    }
    previous = k;
  }
  return true;
}

function copyOrdered(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of orderedKeys(obj)) {
    const v = obj[k];
    if (v !== undefined) setOwn(out, k, ordered(v));
  }
  return out;
}

/**
 * `value` with its objects' keys in canonical order (JSON.stringify keeps it): objects and arrays
 * already in that order, all the way down, are used as they are; the others are copied.
 */
function ordered(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) {
        out ??= value.slice(0, i);
        out.length = i + 1;
        continue;
      }
      const v: unknown = value[i];
      const o = ordered(v);
      if (out === undefined && o !== v) out = value.slice(0, i);
      if (out !== undefined) out[i] = o;
    }
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (!alreadyOrdered(obj, keys)) return copyOrdered(obj);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = obj[k];
    const o = ordered(v);
    if (out === undefined && o !== v) {
      out = {};
      for (let j = 0; j < i; j++) setOwn(out, keys[j], obj[keys[j]]);
    }
    if (out !== undefined) setOwn(out, k, o);
  }
  return out ?? obj;
}

/** Renders `value` as indented JSON with sorted keys, as if nested `depth` levels deep. */
export function previousCanonicalJson(value: unknown, depth = 0): string {
  const text = JSON.stringify(ordered(value), null, 2) ?? "null";
  return depth === 0 ? text : text.replaceAll("\n", `\n${"  ".repeat(depth)}`);
}

// ---------------------------------------------------------------------------------------------

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

import fc from "fast-check";
import {
  ENGINE_UNKNOWN,
  ENGINE_UNKNOWN_SENTINELS,
  UNKNOWN,
  containsUnknown,
  num,
  parseJsonDocument,
  snapshot,
  stringRecord,
} from "./values";

describe("snapshot", () => {
  it("turns the engine's unknown sentinels into UNKNOWN and drops undefined members", () => {
    expect(snapshot({ a: ENGINE_UNKNOWN, b: [1, ENGINE_UNKNOWN], c: undefined, d: null })).toEqual({
      a: UNKNOWN,
      b: [1, UNKNOWN],
      d: null,
    });
  });

  it("knows the same sentinels as @pulumi/policy's proxy", () => {
    // Internal module of @pulumi/policy (no declarations): the protocol constants it checks.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proxy = require("@pulumi/policy/proxy") as Record<string, unknown>;
    const theirs = Object.entries(proxy)
      .filter(([k]) => /^unknown[A-Z]\w*Value$/.test(k))
      .map(([, v]) => v)
      .sort();
    expect(theirs).toEqual([...ENGINE_UNKNOWN_SENTINELS].sort());
  });

  it("reads through @pulumi/policy's unknown-checking proxy without throwing", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as {
      unknownCheckingProxy: (o: object) => Record<string, unknown>;
    };
    const props = unknownCheckingProxy({ bucket: ENGINE_UNKNOWN, rules: [{ id: "x" }] });
    expect(() => props.bucket).toThrow("can't be known during preview");
    expect(snapshot(props)).toEqual({ bucket: UNKNOWN, rules: [{ id: "x" }] });
  });

  it("keeps a `__proto__` key as data", () => {
    const raw = JSON.parse(
      '{"__proto__": {"polluted": "yes"}, "tags": {"__proto__": "x"}}',
    ) as object;
    const s = snapshot(raw) as Record<string, unknown>;
    expect(Object.keys(s)).toEqual(["__proto__", "tags"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(stringRecord(s.tags as never))).toEqual(["__proto__"]);
  });

  it("is the identity on plain JSON (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(snapshot(JSON.parse(JSON.stringify(v)))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});

test.each([
  [UNKNOWN, true],
  [{ a: [1, { b: UNKNOWN }] }, true],
  [{ a: [1, { b: "x" }] }, false],
])("containsUnknown(%p) is %p", (v, expected) => {
  expect(containsUnknown(v as never)).toBe(expected);
});

test.each([
  ['{"a":1}', { a: 1 }],
  ["not json", undefined],
  [ENGINE_UNKNOWN, UNKNOWN],
  [7, undefined],
])("parseJsonDocument(%p)", (text, expected) => {
  expect(parseJsonDocument(snapshot(text))).toEqual(expected);
});

test.each([
  [30, 30],
  ["30", 30],
  ["", undefined],
  ["x", undefined],
  [null, undefined],
])("num(%p) is %p", (v, expected) => {
  expect(num(v as never)).toBe(expected);
});

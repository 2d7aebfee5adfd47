import fc from "fast-check";
import {
  ENGINE_UNKNOWN,
  ENGINE_UNKNOWN_SENTINELS,
  UNKNOWN,
  containsUnknown,
  isEngineUnknownSentinel,
  isOwnSnapshot,
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

describe("isEngineUnknownSentinel", () => {
  it("knows every sentinel and nothing else, whatever its length", () => {
    for (const s of ENGINE_UNKNOWN_SENTINELS) expect(isEngineUnknownSentinel(s)).toBe(true);
    const near = [...ENGINE_UNKNOWN_SENTINELS].flatMap((s) => [
      s.toUpperCase(),
      s.slice(1),
      `${s} `,
      `x${s.slice(1)}`,
    ]);
    for (const s of [...near, "", "04da6b54", "a".repeat(5000)]) {
      expect(isEngineUnknownSentinel(s)).toBe(false);
    }
  });
});

describe("isOwnSnapshot", () => {
  const MARK = "[unknown]";
  /** `[1, <hole>, 3]`. */
  const holey = (): unknown[] => {
    const a: unknown[] = new Array(3);
    a[0] = 1;
    a[2] = 3;
    return a;
  };

  it("holds only where the snapshot is the same value (key order too), and for plain JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        if (isOwnSnapshot(v, MARK)) {
          expect(JSON.stringify(snapshot(v))).toBe(JSON.stringify(v));
          expect(containsUnknown(snapshot(v))).toBe(false);
        } else {
          // Plain JSON is refused only for a `__proto__` key (snapshot builds a fresh object).
          expect(JSON.stringify(v)).toContain('"__proto__"');
        }
      }),
    );
  });

  it("refuses the mark, the engine's sentinels, holes, undefined members and non-plain objects", () => {
    const cases: unknown[] = [
      { a: MARK },
      [1, [MARK]],
      { a: ENGINE_UNKNOWN },
      ...[...ENGINE_UNKNOWN_SENTINELS].map((s) => ({ deep: [{ s }] })),
      holey(),
      { a: undefined },
      { a: new Date(0) },
      { a: Object.create(null) as object },
      JSON.parse('{"__proto__": {"x": 1}}'),
      { f: () => 1 },
      undefined,
      Symbol("s"),
    ];
    for (const v of cases) expect(isOwnSnapshot(v, MARK)).toBe(false);
    expect(isOwnSnapshot({ a: [1, "x", null, true, { b: {} }] }, MARK)).toBe(true);
  });

  it("when it refuses, snapshot differs from the value or a copy is needed", () => {
    // The cases it refuses are the ones snapshot changes (or builds a fresh plain object for).
    expect(snapshot({ a: ENGINE_UNKNOWN })).toEqual({ a: UNKNOWN });
    expect(snapshot(holey())).toEqual([1, null, 3]);
    expect(snapshot({ a: undefined, b: 1 })).toEqual({ b: 1 });
  });
});

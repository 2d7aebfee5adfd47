import fc from "fast-check";
import { structRoundTrip } from "./lazy-struct";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the protobuf Struct the SDK uses
const { Struct } = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [require.resolve("@pulumi/pulumi/runtime/resource")],
  }),
) as { Struct: { fromJavaScript(o: unknown): { toJavaScript(): unknown } } };

const viaProtobuf = (o: unknown): unknown => Struct.fromJavaScript(o).toJavaScript();
const outcome = (f: () => unknown): unknown => {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

describe("structRoundTrip", () => {
  test("equals protobuf's Struct round trip for any JSON-like object, key order included (property)", () => {
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("any"), { maxLength: 4 }),
        tie("obj"),
      ),
      obj: fc.dictionary(fc.string(), tie("any"), { maxKeys: 5 }),
    }));
    fc.assert(
      fc.property(value.obj, (o) => {
        const ours = structRoundTrip(o);
        const theirs = viaProtobuf(o);
        expect(ours).toEqual(theirs);
        expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  test.each([
    ["undefined", { a: undefined }],
    ["a function", { a: () => 1 }],
    // eslint-disable-next-line no-sparse-arrays -- the hole is the case
    ["a hole in a list", { a: [1, , 3] }],
    ["a nested undefined", { a: { b: [undefined] } }],
  ])("fails like protobuf on %s", (_, o) => {
    const ours = outcome(() => structRoundTrip(o));
    expect(ours).toEqual(outcome(() => viaProtobuf(o)));
    expect(ours).toHaveProperty("error");
  });

  test.each([
    ["already sorted", Array.from({ length: 40 }, (_, i) => `k${String(i).padStart(2, "0")}`)],
    ["reversed, few", ["d", "c", "b", "a"]],
    ["reversed, many (past insertion sort)", Array.from({ length: 40 }, (_, i) => `k${99 - i}`)],
    [
      "mixed case and numbers, many",
      Array.from({ length: 50 }, (_, i) =>
        i % 3 === 0 ? `${i * 7}` : i % 3 === 1 ? `Z${i}` : `a${50 - i}`,
      ),
    ],
  ])("orders keys %s as protobuf does, values with their keys", (_, keys) => {
    const o: Record<string, unknown> = {};
    keys.forEach((k, i) => (o[k] = i % 2 === 0 ? { [k]: i, b: [i, k] } : `v${i}`));
    const ours = structRoundTrip(o);
    expect(ours).toEqual(viaProtobuf(o));
    expect(JSON.stringify(ours)).toBe(JSON.stringify(viaProtobuf(o)));
  });

  test("sorts keys as protobuf maps iterate them (code units, not locale)", () => {
    const o = { b: 1, B: 2, a: 3, é: 4, _: 5, "10": 6, "9": 7 };
    expect(Object.keys(structRoundTrip(o))).toEqual(Object.keys(viaProtobuf(o) as object));
  });
});

import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { isPlainWire, recordInputs, recordValue, serializePlainState } from "./values";

const SIG = rpc.specialSigKey;

/** The protobuf Struct the SDK's own copy of google-protobuf provides. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const structproto = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [require.resolve("@pulumi/pulumi")],
  }),
) as { Struct: { fromJavaScript(x: unknown): { toJavaScript(): unknown } } };

describe("recordValue", () => {
  test.each([
    ["a string", "x", "x"],
    ["a number", 3, 3],
    ["null", null, null],
    ["the unknown sentinel", rpc.unknownValue, "[unknown]"],
    ["a secret", { [SIG]: rpc.specialSecretSig, value: "pw" }, "[secret]"],
    [
      "a nested secret",
      { a: [1, { [SIG]: rpc.specialSecretSig, value: 2 }] },
      { a: [1, "[secret]"] },
    ],
    [
      "a text asset",
      { [SIG]: rpc.specialAssetSig, text: "print(1)" },
      { $asset: { text: "print(1)" } },
    ],
    [
      "an archive",
      { [SIG]: rpc.specialArchiveSig, path: "./a.zip" },
      { $archive: { path: "./a.zip" } },
    ],
    [
      "a resource reference",
      { [SIG]: rpc.specialResourceSig, urn: "urn:pulumi:s::p::t::n", id: "i-1" },
      { $resource: "urn:pulumi:s::p::t::n" },
    ],
  ])("records %s", (_, wire, recorded) => {
    expect(recordValue(wire)).toEqual(recorded);
  });

  it("rejects a signature it does not know", () => {
    expect(() => recordValue({ [SIG]: "zzz" })).toThrow('unknown value signature "zzz"');
  });

  it("drops undefined inputs, as the wire does", () => {
    expect(recordInputs({ a: 1, b: undefined })).toEqual({ a: 1 });
  });
});

/** Arbitrary output states of plain data, with undefined fields and elements sprinkled in. */
const state = fc.dictionary(
  fc.string({ maxLength: 6 }),
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 4 }), tie("value"), { maxKeys: 4 }),
    ),
  })).value,
  { maxKeys: 6 },
);

describe("serializePlainState", () => {
  it("equals the SDK's serializeProperties followed by a protobuf Struct round trip", async () => {
    await fc.assert(
      fc.asyncProperty(state, async (s) => {
        const sdk = structproto.Struct.fromJavaScript(
          await rpc.serializeProperties("", s),
        ).toJavaScript();
        const fast = serializePlainState(s);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(sdk));
      }),
      { numRuns: 200 },
    );
  });

  it("declines anything but plain data (the SDK's path handles it)", () => {
    expect(serializePlainState({ a: pulumi.output(1) })).toBeUndefined();
    expect(serializePlainState({ a: new pulumi.asset.StringAsset("x") })).toBeUndefined();
    expect(serializePlainState({ a: [Promise.resolve(1)] })).toBeUndefined();
    expect(serializePlainState({ a: () => 1 })).toBeUndefined();
  });
});

describe("isPlainWire (the sharedInputs lever)", () => {
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      fc.string(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.string(), tie("value"), { maxKeys: 4 }),
    ),
  })).value;

  it("holds exactly when the recorded and the deserialized copies equal the wire tree", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json, { maxKeys: 5 }), (obj) => {
        // As the register request carries it: through a protobuf Struct.
        const wire = structproto.Struct.fromJavaScript(obj).toJavaScript() as Record<
          string,
          unknown
        >;
        if (!isPlainWire(wire)) return;
        expect(recordInputs(wire)).toStrictEqual(wire);
        const deserialized: Record<string, unknown> = {};
        for (const k of Object.keys(wire)) deserialized[k] = rpc.deserializeProperty(wire[k]);
        expect(deserialized).toStrictEqual(wire);
      }),
    );
    expect(isPlainWire({ a: [1, "x", null, true, { b: {} }] })).toBe(true);
  });

  test.each([
    ["a secret", { a: { [SIG]: rpc.specialSecretSig, value: "pw" } }],
    ["an asset", { a: [{ [SIG]: rpc.specialAssetSig, text: "x" }] }],
    ["a resource", { r: { [SIG]: rpc.specialResourceSig, urn: "urn:x" } }],
    ["an unknown", { a: { b: [rpc.unknownValue] } }],
    ["a class instance", { a: new (class P {})() }],
    // eslint-disable-next-line no-sparse-arrays -- a hole, on purpose
    ["a list with a hole", { a: [1, , 3] }],
    ["an own __proto__ key", JSON.parse('{"a": {"__proto__": {"x": 1}}}') as unknown],
    ["undefined", { a: undefined }],
  ])("is false for %s", (_, value) => {
    expect(isPlainWire(value)).toBe(false);
  });
});

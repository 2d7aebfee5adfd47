/**
 * A cost lever: the SDK builds a protobuf `Struct` of every resource's inputs
 * (`Struct.fromJavaScript(serializedProps)`, a message per value), and under mocks the only
 * reader of that request is the mock monitor, which turns it straight back into plain values
 * (`toJavaScript()`). While the lever is on, `Struct.fromJavaScript` returns a {@link LazyStruct}
 * that keeps the plain object and answers `toJavaScript()` from it, with the same result the real
 * round trip gives (keys sorted as protobuf maps iterate, the same errors for values a Struct
 * cannot hold). A register request keeps it as is; anything else that touches it (another
 * request's setter, a response's fields map, binary serialization) gets the real message, built
 * on first use. Measured under the mock runtime: ~15% of a shard's recording time.
 *
 * Touches SDK internals (`google-protobuf`'s Struct as `@pulumi/pulumi` loads it, and
 * `RegisterResourceRequest`'s `setObject`/`getObject`): each is checked before use.
 */

interface StructLike {
  toJavaScript(this: StructLike): Record<string, unknown>;
  toArray(this: StructLike): unknown[];
  getFieldsMap(this: StructLike, noLazyCreate?: boolean): unknown;
}
interface StructClass {
  new (data?: unknown[]): StructLike;
  fromJavaScript(this: void, obj: Record<string, unknown>): StructLike;
  prototype: StructLike;
}
interface RegisterRequestClass {
  prototype: { setObject(this: unknown, v: unknown): unknown; getObject(this: unknown): unknown };
}

/** A plain value as `Value.toJavaScript(Value.fromJavaScript(v))` returns it. */
function roundTrip(v: unknown): unknown {
  if (v === null) return null;
  switch (typeof v) {
    case "string":
    case "number":
    case "boolean":
      return v;
    case "object":
      return Array.isArray(v) ? listRoundTrip(v) : structRoundTrip(v as Record<string, unknown>);
    default:
      // What google-protobuf's Value.fromJavaScript throws for undefined, functions, symbols…
      throw new Error("Unexpected struct type.");
  }
}

function listRoundTrip(a: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < a.length; i++) out[i] = roundTrip(a[i]);
  return out;
}

/** Above this many keys an unsorted object is ordered through a Map, not by insertion sort. */
const INSERTION_SORT_MAX = 32;

/** `Struct.toJavaScript(Struct.fromJavaScript(obj))`: every enumerable key, sorted. */
export function structRoundTrip(obj: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const keys: string[] = [];
  // for…in, as Struct.fromJavaScript iterates (inherited enumerable keys included).
  for (const k in obj) keys.push(k);
  // Values convert in the source's key order (an error names the first bad one), then the map
  // iterates its keys sorted (by code units, as `Array.prototype.sort` and `<` compare strings).
  // This runs for every object of every resource's inputs: no Map and no sort's work array
  // unless the keys are out of order (then a few keys are insertion-sorted in place).
  const values: unknown[] = [];
  let sorted = true;
  for (let i = 0; i < keys.length; i++) {
    values.push(roundTrip(obj[keys[i]]));
    if (i > 0 && keys[i - 1] > keys[i]) sorted = false;
  }
  const out: Record<string, unknown> = {};
  if (!sorted && keys.length > INSERTION_SORT_MAX) {
    const byKey = new Map<string, unknown>();
    for (let i = 0; i < keys.length; i++) byKey.set(keys[i], values[i]);
    for (const k of keys.sort()) out[k] = byKey.get(k);
    return out;
  }
  if (!sorted) {
    for (let i = 1; i < keys.length; i++) {
      const k = keys[i];
      const v = values[i];
      let j = i - 1;
      for (; j >= 0 && keys[j] > k; j--) {
        keys[j + 1] = keys[j];
        values[j + 1] = values[j];
      }
      keys[j + 1] = k;
      values[j + 1] = v;
    }
  }
  for (let i = 0; i < keys.length; i++) out[keys[i]] = values[i];
  return out;
}

const LAZY = Symbol("hdp.lazyStruct");

/**
 * Installs the lever on the `Struct` and `RegisterResourceRequest` classes the SDK uses; returns
 * the function that removes it.
 */
export function deferRequestStructs(): () => void {
  /* eslint-disable @typescript-eslint/no-require-imports -- SDK internals, resolved as the SDK resolves them */
  const sdkDir = require.resolve("@pulumi/pulumi/runtime/resource");
  const gstruct = require(
    require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkDir] }),
  ) as { Struct?: StructClass };
  const resproto = require("@pulumi/pulumi/proto/resource_pb") as {
    RegisterResourceRequest?: RegisterRequestClass;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const Struct = gstruct.Struct;
  const Request = resproto.RegisterResourceRequest;
  if (
    typeof Struct?.fromJavaScript !== "function" ||
    typeof Struct.prototype.toJavaScript !== "function" ||
    typeof Struct.prototype.toArray !== "function" ||
    typeof Struct.prototype.getFieldsMap !== "function" ||
    typeof Request?.prototype.setObject !== "function" ||
    typeof Request.prototype.getObject !== "function"
  ) {
    throw new Error(
      "@hdp/recorder: google-protobuf's Struct or the SDK's RegisterResourceRequest changed shape; update packages/recorder/src/lazy-struct.ts",
    );
  }
  const fromJavaScript = Struct.fromJavaScript;
  // Kept to restore them, and called with .call(request).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const { setObject, getObject } = Request.prototype;
  const real = new WeakMap<object, StructLike>();

  /** The plain object kept; the real message built (and its fields copied in) on first use. */
  class LazyStruct extends Struct {
    [LAZY]: Record<string, unknown>;
    constructor(obj: Record<string, unknown>) {
      super();
      this[LAZY] = obj;
    }
    private materialize(): StructLike {
      let r = real.get(this);
      if (r === undefined) {
        r = fromJavaScript(this[LAZY]);
        real.set(this, r);
      }
      return r;
    }
    override toJavaScript(): Record<string, unknown> {
      return structRoundTrip(this[LAZY]);
    }
    override toArray(): unknown[] {
      return this.materialize().toArray();
    }
    override getFieldsMap(noLazyCreate?: boolean): unknown {
      return this.materialize().getFieldsMap(noLazyCreate);
    }
  }

  Struct.fromJavaScript = (obj) => new LazyStruct(obj);
  Request.prototype.setObject = function (this: { [LAZY]?: unknown }, v: unknown) {
    if (v instanceof LazyStruct) {
      this[LAZY] = v;
      return this;
    }
    delete this[LAZY];
    return setObject.call(this, v);
  };
  Request.prototype.getObject = function (this: { [LAZY]?: unknown }) {
    return this[LAZY] ?? getObject.call(this);
  };
  return () => {
    Struct.fromJavaScript = fromJavaScript;
    Request.prototype.setObject = setObject;
    Request.prototype.getObject = getObject;
  };
}

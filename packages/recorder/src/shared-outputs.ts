/**
 * A cost lever: when a registration answers, the SDK's `resolveOutputs` turns the response's
 * state into property values with `deserializeProperties` (`runtime/rpc.js`), which copies every
 * object and list of it node by node (`deserializeProperty`). On the mock monitor's fast path
 * (`monitor.ts`) that state is plain JSON the recorder has just built for this response alone
 * (`serializePlainState`): a value of it that is plain wire data (`isPlainWire`: no signature,
 * no unknown, only plain objects and dense lists) comes out of `deserializeProperty` as an equal
 * copy, so the lever hands over the value itself. Anything else (a secret, an asset, a resource
 * reference, an unknown, a response from any other path) goes through the SDK's own functions;
 * the result's keys and order are the SDK loop's.
 *
 * The values are shared with the mock monitor's record of the resource (`resources`), which the
 * SDK's monitor reads only to answer `getResource` and reads; programs do not modify the values
 * their Outputs resolve to.
 *
 * Touches SDK internals (`deserializeProperties`, `deserializeProperty`, which
 * `runtime/resource.js` calls through the module's exports): checked before use.
 */
import { PlainStruct } from "./monitor";
import { isPlainWire } from "./values";

interface RpcModule {
  deserializeProperties: (struct: unknown, keepUnknowns?: boolean) => Record<string, unknown>;
  deserializeProperty: (prop: unknown, keepUnknowns?: boolean) => unknown;
}

/** Installs the lever on the SDK's `deserializeProperties`; returns the function removing it. */
export function shareFastPathOutputs(): () => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- SDK internal, no types
  const rpc = require("@pulumi/pulumi/runtime/rpc") as Partial<RpcModule>;
  const original = rpc.deserializeProperties;
  const deserializeProperty = rpc.deserializeProperty;
  if (
    typeof original !== "function" ||
    original.length !== 2 ||
    typeof deserializeProperty !== "function" ||
    deserializeProperty.length !== 2
  ) {
    throw new Error(
      "@hdp/recorder: the SDK's deserializeProperties or deserializeProperty (runtime/rpc) changed shape; update packages/recorder/src/shared-outputs.ts",
    );
  }
  rpc.deserializeProperties = (struct, keepUnknowns) => {
    if (!(struct instanceof PlainStruct)) return original(struct, keepUnknowns);
    // The SDK's loop (undefined values skipped, keys in the state's order), sharing plain values.
    const props: Record<string, unknown> = {};
    const outputs = struct.toJavaScript();
    for (const k of Object.keys(outputs)) {
      const v = outputs[k];
      if (v !== undefined) props[k] = isPlainWire(v) ? v : deserializeProperty(v, keepUnknowns);
    }
    return props;
  };
  return () => {
    rpc.deserializeProperties = original;
  };
}

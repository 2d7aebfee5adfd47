/**
 * A cost lever: the SDK serializes every resource's inputs with `serializeProperty`, an async
 * function that awaits every node of the input tree (a promise and several microtask turns per
 * string, number, list and object), although most inputs are plain data: strings, numbers,
 * lists and objects with no `Output`, `Promise`, resource, asset or unknown anywhere inside.
 * While the lever is on, `serializeResourceProperties` (what `prepareResource` calls) walks each
 * top-level property synchronously first, checking every node with the SDK's own predicates in
 * the SDK's order (a function is dropped, `undefined` object members are omitted and `undefined`
 * list elements become `null`, as `serializeProperty` does); the first node that is not plain
 * data sends the whole property to the SDK's own `serializeProperty` instead, so Outputs,
 * secrets, unknowns, resources (and their dependencies), assets and promises are serialized by
 * the SDK itself. A plain property depends on no resource, as in the SDK: its dependency set is
 * empty. Property order, omitted properties and error messages are the SDK's.
 *
 * The one thing that differs is when a plain property is read: all at once, where the SDK reads
 * its nodes across microtask turns (a program that mutated its own input objects in between
 * would see a difference; none does, and the SDK reads them right after construction either way).
 *
 * Off when the SDK's `excessiveDebugOutput` is set (the SDK then logs every node). Touches SDK
 * internals (`runtime/rpc`'s `serializeResourceProperties` and `serializeProperty`, the
 * `isInstance` predicates of Output, Asset, Archive and the resource classes, `isUnknown`):
 * each is checked before use, and so is the member each predicate reads (`__pulumiOutput`, …),
 * which the walk reads directly on plain objects and lists instead of calling six predicates.
 */

type SerializeOptions = unknown;
type Serialized = [Record<string, unknown>, Map<string, Set<unknown>>];

interface RpcModule {
  serializeResourceProperties: (
    label: string,
    props: Record<string, unknown>,
    opts?: SerializeOptions,
  ) => Promise<Serialized>;
  serializeProperty: (
    ctx: string,
    prop: unknown,
    dependentResources: Set<unknown> | undefined,
    opts?: SerializeOptions,
  ) => Promise<unknown>;
}
interface Predicate {
  isInstance(v: unknown): boolean;
}
interface Sdk {
  readonly Asset: Predicate;
  readonly Archive: Predicate;
  readonly Output: Predicate;
  readonly CustomResource: Predicate;
  readonly ComponentResource: Predicate;
  readonly isUnknown: (v: unknown) => boolean;
}

const NOT_PLAIN: unique symbol = Symbol("not plain");
/** Deeper than this is treated as not plain (the SDK's own path then handles it as it would). */
const MAX_DEPTH = 200;

/**
 * `serializeProperty(prop)` computed synchronously when `prop` is plain data; {@link NOT_PLAIN}
 * as soon as a node is anything the SDK serializes asynchronously or specially.
 */
function plainSerialized(sdk: Sdk, prop: unknown, depth: number): unknown {
  if (typeof prop === "function") return undefined;
  if (
    prop === undefined ||
    prop === null ||
    typeof prop === "boolean" ||
    typeof prop === "number" ||
    typeof prop === "string"
  ) {
    return prop;
  }
  // Bigints and symbols: rare, left to the SDK.
  if (typeof prop !== "object" || depth > MAX_DEPTH) return NOT_PLAIN;
  const proto: unknown = Object.getPrototypeOf(prop);
  if (proto === Object.prototype || proto === Array.prototype || proto === null) {
    // A plain object or list: not a Promise, and each predicate below reads one member (checked
    // when the lever is installed), which only an own member could set.
    const marks = prop as Record<string, unknown>;
    if (
      marks.__pulumiAsset === true ||
      marks.__pulumiArchive === true ||
      marks.__pulumiOutput === true ||
      marks.__pulumiUnknown === true ||
      marks.__pulumiCustomResource === true ||
      marks.__pulumiComponentResource === true
    ) {
      return NOT_PLAIN;
    }
  } else if (
    sdk.Asset.isInstance(prop) ||
    sdk.Archive.isInstance(prop) ||
    prop instanceof Promise ||
    sdk.Output.isInstance(prop) ||
    sdk.isUnknown(prop) ||
    sdk.CustomResource.isInstance(prop) ||
    sdk.ComponentResource.isInstance(prop)
  ) {
    return NOT_PLAIN;
  }
  if (prop instanceof Array) {
    const result: unknown[] = [];
    for (let i = 0; i < prop.length; i++) {
      const elem = plainSerialized(sdk, prop[i], depth + 1);
      if (elem === NOT_PLAIN) return NOT_PLAIN;
      result.push(elem === undefined ? null : elem);
    }
    return result;
  }
  const obj = prop as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    const v = plainSerialized(sdk, obj[k], depth + 1);
    if (v === NOT_PLAIN) return NOT_PLAIN;
    if (v !== undefined) result[k] = v;
  }
  return result;
}

/** The SDK's message for a property that failed to serialize (same error object, as it keeps). */
function rethrowFor(k: string, err: unknown): never {
  if (err instanceof Error) {
    err.message = `error serializing property "${k}": ${err.message}`;
    throw err;
  }
  throw new Error(`error serializing property "${k}": ${String(err)}`);
}

/** Installs the lever on the SDK's `serializeResourceProperties`; returns what removes it. */
export function serializePlainInputsSynchronously(): () => void {
  /* eslint-disable @typescript-eslint/no-require-imports -- SDK internals, no types */
  const rpc = require("@pulumi/pulumi/runtime/rpc") as Partial<RpcModule>;
  const settings = require("@pulumi/pulumi/runtime/settings") as {
    excessiveDebugOutput?: unknown;
  };
  const asset = require("@pulumi/pulumi/asset") as Partial<{
    Asset: Predicate;
    Archive: Predicate;
  }>;
  const output = require("@pulumi/pulumi/output") as Partial<{
    Output: Predicate;
    isUnknown: (v: unknown) => boolean;
  }>;
  const resource = require("@pulumi/pulumi/resource") as Partial<{
    CustomResource: Predicate;
    ComponentResource: Predicate;
  }>;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const original = rpc.serializeResourceProperties;
  const serializeProperty = rpc.serializeProperty;
  if (
    typeof original !== "function" ||
    original.length !== 3 ||
    typeof serializeProperty !== "function" ||
    serializeProperty.length !== 4 ||
    typeof settings.excessiveDebugOutput !== "boolean" ||
    typeof asset.Asset?.isInstance !== "function" ||
    typeof asset.Archive?.isInstance !== "function" ||
    typeof output.Output?.isInstance !== "function" ||
    typeof output.isUnknown !== "function" ||
    typeof resource.CustomResource?.isInstance !== "function" ||
    typeof resource.ComponentResource?.isInstance !== "function"
  ) {
    throw new Error(
      "@hdp/recorder: the SDK's serializeResourceProperties/serializeProperty (runtime/rpc), excessiveDebugOutput or an isInstance predicate changed shape; update packages/recorder/src/sync-serialize.ts",
    );
  }
  const members: [Predicate | undefined, string][] = [
    [asset.Asset, "__pulumiAsset"],
    [asset.Archive, "__pulumiArchive"],
    [output.Output, "__pulumiOutput"],
    [{ isInstance: output.isUnknown }, "__pulumiUnknown"],
    [resource.CustomResource, "__pulumiCustomResource"],
    [resource.ComponentResource, "__pulumiComponentResource"],
  ];
  const probe = (p: Predicate, v: object): boolean => p.isInstance(v);
  const membersChanged = members.filter(
    ([p, m]) =>
      p === undefined ||
      !probe(p, { [m]: true }) ||
      !probe(p, Object.assign([], { [m]: true })) ||
      probe(p, {}) ||
      probe(p, []) ||
      probe(p, Object.create(null) as object) ||
      m in Object.prototype ||
      m in Array.prototype,
  );
  if (membersChanged.length > 0) {
    throw new Error(
      `@hdp/recorder: the SDK's isInstance predicates no longer read ${membersChanged.map(([, m]) => m).join(", ")}; update packages/recorder/src/sync-serialize.ts`,
    );
  }
  const sdk: Sdk = {
    Asset: asset.Asset,
    Archive: asset.Archive,
    Output: output.Output,
    CustomResource: resource.CustomResource,
    ComponentResource: resource.ComponentResource,
    isUnknown: output.isUnknown,
  };
  const module = rpc as RpcModule;
  // As the SDK's serializeFilteredProperties with its "not id or urn" filter.
  module.serializeResourceProperties = async (label, props, opts) => {
    if (settings.excessiveDebugOutput === true) return original(label, props, opts);
    const propertyToDependentResources = new Map<string, Set<unknown>>();
    const result: Record<string, unknown> = {};
    for (const k of Object.keys(props)) {
      if (k === "id" || k === "urn") continue;
      const dependentResources = new Set<unknown>();
      let v: unknown;
      try {
        v = plainSerialized(sdk, props[k], 0);
      } catch {
        // A getter that throws, a proxy, a cycle too deep for the stack: the SDK's own path.
        v = NOT_PLAIN;
      }
      if (v === NOT_PLAIN) {
        try {
          v = await serializeProperty(`${label}.${k}`, props[k], dependentResources, opts);
        } catch (err) {
          rethrowFor(k, err);
        }
      }
      if (v !== undefined) {
        result[k] = v;
        propertyToDependentResources.set(k, dependentResources);
      }
    }
    return [result, propertyToDependentResources];
  };
  return () => {
    module.serializeResourceProperties = original;
  };
}

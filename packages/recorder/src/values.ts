/**
 * Values on the wire between the Pulumi SDK and the (mock) engine, turned into what a plan
 * records: plain JSON with secrets masked, assets and resource references spelled out.
 * Pure functions over the SDK's serialized form (the `toJavaScript()` of a protobuf Struct).
 */
import * as rpc from "@pulumi/pulumi/runtime/rpc";

import { SECRET_MASK, setOwn, UNKNOWN_MARK } from "./marks";

export { SECRET_MASK, UNKNOWN_MARK };

const SIG = rpc.specialSigKey;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The recorded form of one serialized property value: secrets become {@link SECRET_MASK};
 * assets and archives `{ "$asset": {...} }` / `{ "$archive": {...} }`; resource references
 * `{ "$resource": urn }`. Object keys keep the wire order (sorted by the protobuf Struct).
 */
export function recordValue(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value === rpc.unknownValue ? UNKNOWN_MARK : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(recordValue);
  if (typeof value !== "object") return typeof value === "bigint" ? Number(value) : null;
  const obj = value as Record<string, unknown>;
  const sig = obj[SIG];
  if (sig !== undefined) {
    switch (sig) {
      case rpc.specialSecretSig:
        return SECRET_MASK;
      case rpc.specialAssetSig:
        return { $asset: recordPlainFields(obj) };
      case rpc.specialArchiveSig:
        return { $archive: recordPlainFields(obj) };
      case rpc.specialResourceSig:
        return { $resource: typeof obj.urn === "string" ? obj.urn : null };
      case rpc.specialOutputValueSig:
        return "secret" in obj && obj.secret === true
          ? SECRET_MASK
          : "value" in obj
            ? recordValue(obj.value)
            : UNKNOWN_MARK;
      default:
        throw new Error(
          `@hdp/recorder: unknown value signature ${JSON.stringify(sig)} on the wire`,
        );
    }
  }
  return recordPlainFields(obj);
}

function recordPlainFields(obj: Record<string, unknown>): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const k of Object.keys(obj)) {
    if (k === SIG) continue;
    const v = obj[k];
    if (v !== undefined) setOwn(out, k, recordValue(v));
  }
  return out;
}

/** Records every top-level input property (undefined ones are absent, as on the wire). */
export function recordInputs(serialized: Record<string, unknown>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const k of Object.keys(serialized)) {
    const v = serialized[k];
    if (v !== undefined) setOwn(out, k, recordValue(v));
  }
  return out;
}

/**
 * Serializes a mock's output state the way the SDK's `serializeProperties` followed by a
 * protobuf Struct round trip would (undefined object fields dropped, undefined array elements
 * null, keys sorted), synchronously. Returns undefined when the state holds anything but plain
 * data (an Output, a Promise, an asset, a resource, a function): the caller then takes the
 * SDK's own asynchronous path, so results never differ.
 */
export function serializePlainState(
  state: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const out = plainObject(state);
  return out === NOT_PLAIN ? undefined : (out as Record<string, unknown>);
}

const NOT_PLAIN: unique symbol = Symbol("not plain");

function plain(v: unknown): unknown {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const e = v[i] === undefined ? null : plain(v[i]);
      if (e === NOT_PLAIN) return NOT_PLAIN;
      out[i] = e;
    }
    return out;
  }
  if (typeof v === "object" && isPlainObject(v)) {
    return plainObject(v as Record<string, unknown>);
  }
  return NOT_PLAIN;
}

function isPlainObject(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** True when `keys` are in `Array.prototype.sort`'s order (code units). */
function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

function plainObject(obj: Record<string, unknown>): unknown {
  // Sorted only when out of order: a sort copies the keys into a work array, and this runs for
  // every object of every mock output state.
  const keys = Object.keys(obj);
  if (!isSorted(keys)) keys.sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    const p = plain(v);
    if (p === NOT_PLAIN) return NOT_PLAIN;
    setOwn(out, k, p);
  }
  return out;
}

/**
 * True when a serialized input tree is plain JSON as the wire carries it: no value with a
 * signature (secret, asset, archive, resource, output value), no unknown, only plain objects and
 * lists. Such a tree is its own recorded form ({@link recordInputs} copies it unchanged) and its
 * own deserialized form (the SDK's `deserializeProperty` copies it unchanged), so the
 * `sharedInputs` lever uses it as both instead of copying it twice.
 */
export function isPlainWire(value: unknown): boolean {
  if (value === null || typeof value === "boolean" || typeof value === "number") return true;
  if (typeof value === "string") return value !== rpc.unknownValue;
  if (typeof value !== "object") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const list = value as unknown[];
    for (let i = 0; i < list.length; i++) {
      if (!(i in list) || !isPlainWire(list[i])) return false;
    }
    return true;
  }
  if (proto !== Object.prototype) return false;
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (k === SIG || k === "__proto__" || !isPlainWire(obj[k])) return false;
  }
  return true;
}

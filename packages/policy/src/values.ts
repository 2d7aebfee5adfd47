/**
 * Resource properties as the rules see them: plain JSON in which every value that is unknown
 * (an Output not resolved at preview) is the {@link UNKNOWN} symbol.
 *
 * In `pulumi preview`, @pulumi/policy hands policies a proxy that throws on any read of an
 * unknown value; one such read would abort a whole stack policy. {@link snapshot} copies the
 * properties through property descriptors (which the proxy does not intercept) and replaces the
 * engine's unknown sentinels, so a rule can skip an unknown value instead of guessing.
 */
import { setOwn } from "@hdp/recorder";

/** A value not known before the update (skip it: never guess). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/** A plain property value after {@link snapshot}. */
export type Value = null | boolean | number | string | Unknown | Value[] | { [key: string]: Value };

/** An object of properties after {@link snapshot}. */
export type Props = { [key: string]: Value };

/**
 * The sentinels the Pulumi engine (and @pulumi/policy's proxy) use for unknown values: the wire's
 * unknown string and the typed placeholders of `@pulumi/policy/proxy`. Protocol constants.
 */
export const ENGINE_UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (also `rpc.unknownValue`)
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The sentinels' lengths: a string of another length is no sentinel, without hashing it. */
const SENTINEL_LENGTHS: ReadonlySet<number> = new Set(
  [...ENGINE_UNKNOWN_SENTINELS].map((s) => s.length),
);

/**
 * True when `s` is one of {@link ENGINE_UNKNOWN_SENTINELS}. The length first: a Set lookup hashes
 * the whole string, and this runs for every string of every resource's inputs (most of them
 * fresh, so their hash is not cached yet; a workspace file's content is kilobytes).
 */
export function isEngineUnknownSentinel(s: string): boolean {
  return SENTINEL_LENGTHS.has(s.length) && ENGINE_UNKNOWN_SENTINELS.has(s);
}

/** The engine's unknown string: what the offline evaluator turns a plan's unknown mark into. */
export const ENGINE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function ownValue(obj: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(obj, key)?.value;
}

/**
 * A plain copy of `value` (possibly behind @pulumi/policy's unknown-checking proxy) with unknown
 * sentinels as {@link UNKNOWN}. Functions, assets and class instances keep only their own
 * enumerable data; `undefined` members are dropped.
 */
export function snapshot(value: unknown): Value {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return isEngineUnknownSentinel(value) ? UNKNOWN : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value !== "object") return null;
  if (Array.isArray(value)) {
    const length = ownValue(value, "length") as number;
    const out: Value[] = [];
    for (let i = 0; i < length; i++) out.push(snapshot(ownValue(value, String(i))));
    return out;
  }
  const out: Props = {};
  for (const key of Object.keys(value)) {
    const v = ownValue(value, key);
    if (v !== undefined) setOwn(out, key, snapshot(v));
  }
  return out;
}

/**
 * True when `value` is already its own {@link snapshot} and its own engine form: plain JSON (plain
 * objects without `undefined` members or a `__proto__` key, dense arrays, strings, numbers,
 * booleans, null) holding no `mark` and no engine unknown sentinel. The offline evaluator hands
 * such recorded inputs to the rules as they are instead of copying them twice (a mocked
 * resource's inputs nearly always are); the rules only read props. Members are read as values:
 * meant for recorded data (which has no accessors), not for the engine's proxies.
 */
export function isOwnSnapshot(value: unknown, mark: string): boolean {
  if (value === null || typeof value === "boolean" || typeof value === "number") return true;
  if (typeof value === "string") return value !== mark && !isEngineUnknownSentinel(value);
  if (typeof value !== "object") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const list = value as unknown[];
    for (let i = 0; i < list.length; i++) {
      if (!(i in list) || !isOwnSnapshot(list[i], mark)) return false;
    }
    return true;
  }
  if (proto !== Object.prototype) return false;
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    if (k === "__proto__" || !isOwnSnapshot(obj[k], mark)) return false;
  }
  return true;
}

/** {@link snapshot} of a property bag (never null). */
export function snapshotProps(props: unknown): Props {
  const s = snapshot(props);
  return s !== null && typeof s === "object" && !Array.isArray(s) ? s : {};
}

export function isUnknown(v: Value | undefined): v is Unknown {
  return v === UNKNOWN;
}

/** True when `v` or anything inside it is unknown. */
export function containsUnknown(v: Value | undefined): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

export function isRecord(v: Value | undefined): v is { [key: string]: Value } {
  return v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);
}

/** The object at `v`, or an empty one. */
export function rec(v: Value | undefined): { [key: string]: Value } {
  return isRecord(v) ? v : {};
}

/** The array at `v` (a single value becomes a one-element array), or an empty one. */
export function list(v: Value | undefined): Value[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** A known string, else undefined. */
export function str(v: Value | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** A known number (numeric strings included), else undefined. */
export function num(v: Value | undefined): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** `true`/`false` (or their strings), else undefined. */
export function bool(v: Value | undefined): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** Known string values of a string-or-list field (unknown members are left out). */
export function strings(v: Value | undefined): string[] {
  return list(v).filter((x): x is string => typeof x === "string");
}

/** The tags of a property (`tags`, `customTags`, …) as strings; unknown values left out. */
export function stringRecord(v: Value | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(rec(v))) if (typeof x === "string") setOwn(out, k, x);
  return out;
}

/**
 * Parses a JSON document given as text (or already an object, as providers sometimes store
 * them). Unknown text gives {@link UNKNOWN}; text that is not JSON gives undefined.
 */
export function parseJsonDocument(v: Value | undefined): Value | undefined {
  if (v === UNKNOWN) return UNKNOWN;
  if (isRecord(v)) return v;
  if (typeof v !== "string") return undefined;
  try {
    return snapshot(JSON.parse(v));
  } catch {
    return undefined;
  }
}

/** Code-point order (locale-independent: plans must be byte-identical on every machine). */
export function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

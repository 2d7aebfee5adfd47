/**
 * Deterministic JSON: object keys sorted (by UTF-16 code units, not locale; a few reading
 * fields first, see {@link orderedKeys}), two-space indentation, `undefined` fields dropped. The
 * same value always gives the same bytes, so inventories can be compared and hashed as text, and
 * chunks rendered at a given depth can be pasted into a larger document unchanged.
 */

import { setOwn } from "@hdp/recorder";

/**
 * Fields read first wherever they appear (stack and resource entries of an inventory), so a
 * reader sees what a thing is before its details. Everything else is sorted.
 */
const KEY_ORDER: readonly string[] = ["stack", "urn", "type", "name"];

/** Key order for objects whose fields have a reading order: listed keys first, the rest sorted. */
export function orderedKeys(obj: object, first: readonly string[] = KEY_ORDER): string[] {
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
 * already in that order, all the way down, are used as they are; the others are copied. Used
 * only for values the writer leaves alone (see {@link Unusual}), through JSON.stringify.
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

/** Canonical order of two keys that are not array indices: {@link KEY_ORDER} first, then code units. */
function byRankThenCodeUnits(a: string, b: string): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Thrown by the writer at a value it does not render itself (a `toJSON` method, a bigint): the
 * whole value is then rendered through JSON.stringify of its key-ordered view, as before the
 * writer (a `toJSON` is called on the view, an own one on an array only if the array is not
 * copied: these rare semantics are kept, not redefined).
 */
class Unusual extends Error {}

/**
 * `s` as a JSON string literal, exactly as JSON.stringify writes it: a string with nothing to
 * escape (no `"`, `\\`, control character or surrogate: a lone one is escaped, and a pair is
 * left to JSON.stringify too) is quoted as it is; any other goes through JSON.stringify.
 */
function quote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
      return JSON.stringify(s);
    }
  }
  return `"${s}"`;
}

/** Newline plus indentation for each nesting level, built once per level. */
const BREAKS: string[] = ["\n"];
function lineBreak(level: number): string {
  for (let i = BREAKS.length; i <= level; i++) BREAKS.push(`${BREAKS[i - 1]}  `);
  return BREAKS[level];
}

/**
 * The rendering of `value` at indentation `level`, or undefined where JSON.stringify writes
 * nothing (undefined, a function, a symbol: dropped from objects, `null` in arrays).
 */
function write(value: unknown, level: number): string | undefined {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "object":
      if (value === null) return "null";
      // `toJSON` anywhere (own, or inherited as a Date's): rendered as before the writer.
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") throw new Unusual();
      return Array.isArray(value)
        ? writeArray(value as unknown[], level)
        : writeObject(value as Record<string, unknown>, level);
    default:
      throw new Unusual(); // bigint
  }
}

function writeArray(arr: readonly unknown[], level: number): string {
  const n = arr.length;
  if (n === 0) return "[]";
  const inner = lineBreak(level + 1);
  let out = "[";
  for (let i = 0; i < n; i++) {
    if (i > 0) out += ",";
    out += inner;
    out += write(arr[i], level + 1) ?? "null";
  }
  return `${out}${lineBreak(level)}]`;
}

function writeObject(obj: Record<string, unknown>, level: number): string {
  let keys = Object.keys(obj);
  // Array-index keys come first, ascending, from any object (and from the key-ordered copy
  // the reference makes); the others are put in canonical order unless they already are.
  let first = 0;
  while (first < keys.length && isIndex(keys[first])) first++;
  let sorted = true;
  for (let i = first + 1; i < keys.length; i++) {
    const k = keys[i];
    if (isIndex(k)) throw new Unusual(); // not the order any ordinary object lists keys in
    if (sorted && byRankThenCodeUnits(keys[i - 1], k) > 0) sorted = false;
  }
  if (!sorted) keys = [...keys.slice(0, first), ...keys.slice(first).sort(byRankThenCodeUnits)];
  const inner = lineBreak(level + 1);
  let out = "";
  for (const k of keys) {
    const text = write(obj[k], level + 1);
    if (text === undefined) continue;
    out += out === "" ? "{" : ",";
    out += `${inner}${quote(k)}: ${text}`;
  }
  return out === "" ? "{}" : `${out}${lineBreak(level)}}`;
}

/** Renders `value` as indented JSON with sorted keys, as if nested `depth` levels deep. */
export function canonicalJson(value: unknown, depth = 0): string {
  try {
    return write(value, depth) ?? "null";
  } catch (e) {
    if (!(e instanceof Unusual)) throw e;
    const text = JSON.stringify(ordered(value), null, 2) ?? "null";
    return depth === 0 ? text : text.replaceAll("\n", lineBreak(depth));
  }
}

/**
 * The reference rendering: a key-ordered copy of every object through `JSON.stringify`.
 * {@link canonicalJson} gives the same bytes, copying only what is out of order (tests compare).
 */
export function viaStringify(value: unknown, depth = 0): string {
  const text = JSON.stringify(copyAll(value), null, 2) ?? "null";
  return depth === 0 ? text : text.replaceAll("\n", `\n${"  ".repeat(depth)}`);
}

function copyAll(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(copyAll);
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of orderedKeys(obj)) {
    const v = obj[k];
    if (v !== undefined) setOwn(out, k, copyAll(v));
  }
  return out;
}

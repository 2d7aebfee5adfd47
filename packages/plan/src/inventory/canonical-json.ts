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
  // KEY_ORDER spelled out: this runs for every key of every inventory object.
  switch (k) {
    case "stack":
      return 0;
    case "urn":
      return 1;
    case "type":
      return 2;
    case "name":
      return 3;
    default:
      return 4;
  }
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
 * already in that order, all the way down, are used as they are; the others are copied.
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
  // Used as it is when it is a plain object, its keys already in canonical order (array-index
  // keys, which any JS object lists first, aside) and no undefined field; else copied.
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) return copyOrdered(obj);
  const keys = Object.keys(obj);
  let previous: string | undefined;
  let previousRank = 0;
  for (const k of keys) {
    if (isIndex(k)) continue;
    const r = rank(k);
    if (previous !== undefined && (previousRank > r || (previousRank === r && previous > k))) {
      return copyOrdered(obj);
    }
    previous = k;
    previousRank = r;
  }
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = obj[k];
    if (v === undefined) return copyOrdered(obj);
    const o = ordered(v);
    if (out === undefined && o !== v) {
      out = {};
      for (let j = 0; j < i; j++) setOwn(out, keys[j], obj[keys[j]]);
    }
    if (out !== undefined) setOwn(out, k, o);
  }
  return out ?? obj;
}

/**
 * Text around a value nested `depth` arrays deep in JSON.stringify(…, null, 2): the value's
 * rendering between them is its rendering at that depth, with no re-indenting pass.
 */
function nesting(depth: number): { before: string; after: string } {
  let before = "";
  let after = "";
  for (let i = 1; i <= depth; i++) {
    before += `[\n${"  ".repeat(i)}`;
    after = `\n${"  ".repeat(i - 1)}]${after}`;
  }
  return { before, after };
}

const NESTINGS: { before: string; after: string }[] = [];

/**
 * `value` rendered at `depth`: either the whole text (`skip` and `trim` 0), or a text of which
 * the rendering is what remains after dropping `skip` characters at the start and `trim` at the
 * end (the value nested in arrays, rendered by one `JSON.stringify`).
 */
function rendered(value: unknown, depth: number): { text: string; skip: number; trim: number } {
  const v = ordered(value);
  if (depth === 0) return { text: JSON.stringify(v, null, 2) ?? "null", skip: 0, trim: 0 };
  const hasToJson =
    v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function";
  if (hasToJson) {
    // toJSON is passed its key: "" at the top, as before (in an array it would be "0").
    const text = JSON.stringify(v, null, 2) ?? "null";
    return { text: text.replaceAll("\n", `\n${"  ".repeat(depth)}`), skip: 0, trim: 0 };
  }
  let wrapped: unknown = v;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const n = (NESTINGS[depth] ??= nesting(depth));
  return { text: JSON.stringify(wrapped, null, 2), skip: n.before.length, trim: n.after.length };
}

/** Renders `value` as indented JSON with sorted keys, as if nested `depth` levels deep. */
export function canonicalJson(value: unknown, depth = 0): string {
  const { text, skip, trim } = rendered(value, depth);
  return skip === 0 && trim === 0 ? text : text.slice(skip, text.length - trim);
}

/**
 * {@link canonicalJson}'s bytes (UTF-8), for a file. A plan worker writes a stack's entry
 * (~12 MB at the preset's size) this way: the nesting around it is cut off the encoded bytes
 * (`subarray`, no copy) where `slice` copied the text once more on V8's heap, and `Buffer.from`
 * encodes faster than `writeFileSync` does a string on Node 20.
 */
export function canonicalJsonBytes(value: unknown, depth = 0): Buffer {
  const { text, skip, trim } = rendered(value, depth);
  const bytes = Buffer.from(text, "utf8");
  if (skip === 0 && trim === 0) return bytes;
  // The nesting is ASCII: as many bytes as characters.
  return bytes.subarray(skip, bytes.length - trim);
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

/**
 * The canonical JSON implementation before its one-pass rewrite (main at a7db983), kept verbatim
 * as the reference the tests and `bench/canonical-json.ts` compare the current one against: a
 * key-ordered view of the value (copying only what is out of order) through
 * `JSON.stringify(…, null, 2)`, re-indented by `replaceAll` for a depth.
 */
import { setOwn } from "@hdp/recorder";

const KEY_ORDER: readonly string[] = ["stack", "urn", "type", "name"];

/** Key order for objects whose fields have a reading order: listed keys first, the rest sorted. */
function orderedKeys(obj: object, first: readonly string[] = KEY_ORDER): string[] {
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

/** Renders `value` as indented JSON with sorted keys, as if nested `depth` levels deep. */
export function previousCanonicalJson(value: unknown, depth = 0): string {
  const text = JSON.stringify(ordered(value), null, 2) ?? "null";
  return depth === 0 ? text : text.replaceAll("\n", `\n${"  ".repeat(depth)}`);
}

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

/** A copy of `value` whose objects have their keys in canonical order (JSON.stringify keeps it). */
function ordered(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(ordered);
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of orderedKeys(obj)) {
    const v = obj[k];
    if (v !== undefined) setOwn(out, k, ordered(v));
  }
  return out;
}

/** Renders `value` as indented JSON with sorted keys, as if nested `depth` levels deep. */
export function canonicalJson(value: unknown, depth = 0): string {
  const text = JSON.stringify(ordered(value), null, 2) ?? "null";
  return depth === 0 ? text : text.replaceAll("\n", `\n${"  ".repeat(depth)}`);
}

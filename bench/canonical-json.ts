/**
 * canonicalJson on real stack inventories: this round's (one pass checking key order and
 * ordering values; the depth by nesting in arrays, not a `replaceAll` re-indent) against the
 * implementation before it (main at a7db983, kept verbatim below; the tests compare their
 * bytes), same process, alternated, per stack as a plan worker renders it (`renderStack`: depth 2).
 *
 *   npx tsx --conditions=@hdp/source bench/canonical-json.ts <inventory.json> [rounds]
 *
 * <inventory.json>: the output of `hdp plan --no-cache --json FILE` (e.g. of an estate from
 * `hdp simulate estate --sources 300`). Each stack is rendered as parsed (keys already in
 * canonical order: the previous implementation's best case, nothing copied) and with every
 * object's keys reversed (its worst case: every object copied). Prints ms per stack (median of
 * the rounds), old and new, and checks the bytes are the same.
 */
import { readFileSync } from "node:fs";
import { setOwn } from "@hdp/recorder";
import { canonicalJson } from "@hdp/plan";

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

function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).reverse())
    setOwn(out, k, reversedKeys((v as Record<string, unknown>)[k]));
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const [file, roundsArg] = process.argv.slice(2);
  if (file === undefined)
    throw new Error("usage: bench/canonical-json.ts <inventory.json> [rounds]");
  const rounds = Number(roundsArg ?? 15);
  const doc = JSON.parse(readFileSync(file, "utf8")) as {
    stacks: { stack: string; resources: unknown[] }[];
  };
  if (doc.stacks.length === 0) throw new Error(`${file}: no stacks`);
  const DEPTH = 2;
  const totals = { parsed: { old: 0, new: 0 }, reversed: { old: 0, new: 0 } };
  for (const stack of doc.stacks) {
    for (const [shape, value] of [
      ["parsed", stack],
      ["reversed", reversedKeys(stack)],
    ] as const) {
      const a = previousCanonicalJson(value, DEPTH);
      const b = canonicalJson(value, DEPTH);
      if (a !== b) throw new Error(`${stack.stack} (${shape}): the bytes differ`);
      const old: number[] = [];
      const now: number[] = [];
      for (let r = 0; r < rounds; r++) {
        // Alternated, each result's length read so the string is not left a lazy rope.
        let t = performance.now();
        if (previousCanonicalJson(value, DEPTH).length !== a.length) throw new Error("length");
        old.push(performance.now() - t);
        t = performance.now();
        if (canonicalJson(value, DEPTH).length !== a.length) throw new Error("length");
        now.push(performance.now() - t);
      }
      totals[shape].old += median(old);
      totals[shape].new += median(now);
      console.log(
        `${stack.stack.padEnd(28)} ${shape.padEnd(8)} ${String(stack.resources.length).padStart(5)} resources  ` +
          `${(a.length / 1e6).toFixed(2).padStart(6)} MB  old ${median(old).toFixed(2).padStart(7)} ms  new ${median(now).toFixed(2).padStart(7)} ms`,
      );
    }
  }
  for (const shape of ["parsed", "reversed"] as const) {
    const t = totals[shape];
    console.log(
      `TOTAL ${shape}: ${doc.stacks.length} stacks, old ${t.old.toFixed(1)} ms, new ${t.new.toFixed(1)} ms ` +
        `(${(t.old / doc.stacks.length).toFixed(2)} vs ${(t.new / doc.stacks.length).toFixed(2)} ms per stack, x${(t.old / t.new).toFixed(2)})`,
    );
  }
}

main();

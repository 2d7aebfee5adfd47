/**
 * canonicalJson on real stack inventories: this round's (one pass checking key order and
 * ordering values; the depth by nesting in arrays, not a `replaceAll` re-indent) against the
 * implementation before it (main at a7db983, kept verbatim in the plan package's
 * `__fixtures__/previous-canonical-json.ts`; the tests compare their bytes), same process,
 * alternated, per stack as a plan worker renders it (`renderStack`: depth 2).
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
import { previousCanonicalJson } from "../packages/plan/src/__fixtures__/previous-canonical-json";

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

/**
 * The end-to-end tests of `hdp local run`: the base fixture tree plus the local-run sources
 * (test/fixtures/local-run), one real run per test file (one Spark JVM), its JSON summary parsed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LocalRunSummary } from "@hdp/local";
import { FIXTURES, materialize } from "./fixture-tree";
import { hdp, type HdpRun } from "./hdp";

/** A fresh config tree holding the base fixture and the local-run sources. */
export const localRunConfigs = (): string => materialize(join(FIXTURES, "local-run"));

/** `hdp local run --format json <argv>` from `cwd`; the summary when it printed one. */
export async function localRun(
  cwd: string,
  argv: readonly string[],
): Promise<HdpRun & { summary: LocalRunSummary }> {
  const r = await hdp(cwd, ["local", "run", "--format", "json", ...argv]);
  if (!r.stdout.startsWith("{")) {
    throw new Error(`hdp local run printed no summary (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
  }
  return { ...r, summary: JSON.parse(r.stdout) as LocalRunSummary };
}

/** The ndjson rows of a table's landing partitions, day by day, in file order. */
export function landingRows(
  landing: string,
  source: string,
  table: string,
): { day: string; row: Record<string, unknown> }[] {
  const root = join(landing, source, table);
  const out: { day: string; row: Record<string, unknown> }[] = [];
  for (const part of readdirSync(root).sort()) {
    const day = part.replace(/^dt=/, "");
    for (const file of readdirSync(join(root, part)).sort()) {
      for (const line of readFileSync(join(root, part, file), "utf8").split("\n")) {
        if (line.trim() !== "") out.push({ day, row: JSON.parse(line) as Record<string, unknown> });
      }
    }
  }
  return out;
}

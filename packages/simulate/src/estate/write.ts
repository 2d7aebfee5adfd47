/** Writes a generated estate to disk: into an empty or new directory only, never over a tree. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { GeneratedEstate } from "./generate";

/** Throws (writing nothing) when `dir` exists and is not empty. */
export function writeEstate(estate: GeneratedEstate, dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(
      `${dir} is not empty: simulate estate writes only into a new or empty directory`,
    );
  }
  const made = new Set<string>();
  for (const [path, text] of estate.files) {
    const full = join(dir, path);
    const parent = dirname(full);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(full, text);
  }
}

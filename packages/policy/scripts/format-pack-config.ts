/**
 * The committed pack config files as Prettier writes them (the repository's `.prettierrc`), so
 * `prettier --check .` stays quiet after `write-pack-config.ts`. Only the script and its test use
 * it: the pack itself never needs Prettier. Prettier runs as its CLI in a child process (its
 * CommonJS entry loads plugins through dynamic `import()`, which jest's module runtime refuses).
 */
import { spawnSync } from "node:child_process";

const PRETTIER = require.resolve("prettier/bin/prettier.cjs");

/** `text` formatted as Prettier formats the file at `path` (its config and parser by name). */
export function formatPackConfig(path: string, text: string): string {
  const r = spawnSync(process.execPath, [PRETTIER, "--stdin-filepath", path], {
    input: text,
    encoding: "utf8",
  });
  if (r.status !== 0) {
    throw new Error(`prettier failed on ${path}: ${r.error?.message ?? r.stderr}`);
  }
  return r.stdout;
}

/** True when Prettier would leave the file at `path` as it is. */
export function isPrettierClean(path: string): boolean {
  return (
    spawnSync(process.execPath, [PRETTIER, "--check", path], { encoding: "utf8" }).status === 0
  );
}

/**
 * Builds a config tree in a temp directory from the valid base fixture plus a case's patch:
 * `remove.txt` lists base paths to delete, `files/` holds files to add or replace.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const FIXTURES = join(__dirname, "..", "fixtures");
export const BASE_TREE = join(FIXTURES, "base");
export const INVALID_CASES = join(FIXTURES, "invalid");

/** Names of the invalid cases, sorted. */
export function invalidCases(): string[] {
  return readdirSync(INVALID_CASES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** A fresh copy of the base tree with `patchDir` applied; the caller removes it with `rmSync`. */
export function materialize(patchDir?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "hdp-configs-"));
  cpSync(BASE_TREE, dir, { recursive: true });
  if (patchDir === undefined) return dir;
  const remove = join(patchDir, "remove.txt");
  if (existsSync(remove)) {
    for (const rel of readFileSync(remove, "utf8").split("\n").filter(Boolean)) {
      rmSync(join(dir, rel), { recursive: true, force: true });
    }
  }
  const files = join(patchDir, "files");
  if (existsSync(files)) {
    cpSync(files, dir, { recursive: true, filter: (src) => !src.endsWith(".keep") });
  }
  return dir;
}

/** The expected error lines of a case (`expected.txt`). */
export function expectedErrors(name: string): string[] {
  return readFileSync(join(INVALID_CASES, name, "expected.txt"), "utf8")
    .split("\n")
    .filter(Boolean);
}

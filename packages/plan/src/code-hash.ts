/**
 * The hash of the code a plan runs: every program package's sources and manifest, and the
 * lockfile (which pins the provider SDKs). Built from git blob ids, so the hash of another
 * revision comes from `git ls-tree` without reading its files, and the working tree's from
 * hashing the files the same way git does.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

/**
 * Packages whose code does not run inside `buildStack` (the planner itself is hashed
 * separately: see {@link plannerHash}).
 */
const NOT_PROGRAM = new Set(["cli", "plan"]);

/** Whether a repository-relative path is part of the program's code. */
export function isProgramFile(path: string): boolean {
  if (path === "pnpm-lock.yaml") return true;
  const m = /^packages\/([^/]+)\/(.+)$/.exec(path);
  if (m === null || NOT_PROGRAM.has(m[1])) return false;
  const rest = m[2];
  if (rest === "package.json") return true;
  return (
    rest.startsWith("src/") &&
    /\.(ts|js|json)$/.test(rest) &&
    !/\.test\.ts$/.test(rest) &&
    !rest.includes("__fixtures__/")
  );
}

/** Git's blob id of some content. */
export function blobId(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/** Combines (path, blob) pairs into one hash, independent of listing order. */
export function treeHash(entries: readonly { path: string; blob: string }[]): string {
  const h = createHash("sha256");
  for (const e of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    h.update(`${e.path}\0${e.blob}\n`);
  }
  return h.digest("hex");
}

function walk(root: string, dir: string, out: { path: string; blob: string }[]): void {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.name === "node_modules" || d.name === "dist" || d.name.startsWith(".")) continue;
    const abs = join(dir, d.name);
    const rel = relative(root, abs).split(sep).join("/");
    if (d.isDirectory()) walk(root, abs, out);
    else if (d.isFile() && isProgramFile(rel))
      out.push({ path: rel, blob: blobId(readFileSync(abs)) });
  }
}

/** The program's code hash in a working tree (files as they are on disk). */
export function workingTreeCodeHash(root: string): string {
  const entries: { path: string; blob: string }[] = [];
  const lock = join(root, "pnpm-lock.yaml");
  if (statSync(lock, { throwIfNoEntry: false })?.isFile()) {
    entries.push({ path: "pnpm-lock.yaml", blob: blobId(readFileSync(lock)) });
  }
  walk(root, join(root, "packages"), entries);
  return treeHash(entries);
}

/**
 * The hash of the planner's own sources (this package): the recorder and mocks shape every
 * inventory, so a change to them invalidates cached plans.
 */
export function plannerHash(): string {
  const srcDir = __dirname;
  const entries: { path: string; blob: string }[] = [];
  const visit = (dir: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, d.name);
      if (d.isDirectory()) {
        if (d.name !== "__fixtures__") visit(abs);
      } else if (/\.(ts|js)$/.test(d.name) && !/\.test\.ts$/.test(d.name)) {
        entries.push({
          path: relative(srcDir, abs).split(sep).join("/"),
          blob: blobId(readFileSync(abs)),
        });
      }
    }
  };
  visit(srcDir);
  return treeHash(entries);
}

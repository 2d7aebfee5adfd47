/**
 * The hash of the code a plan runs: the sources and manifests of the program's workspace
 * packages (@hdp/platform and the @hdp/* packages it depends on, transitively), of the policy
 * pack every plan evaluates, and the lockfile, which pins the provider SDKs. The tools around
 * them (the CLI, query, testing…) are left out, so work on them does not invalidate cached plans. Built from git blob
 * ids, so another revision's hash comes from `git ls-tree` without reading its sources, and the
 * working tree's from hashing its files the way git does.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

/** The package holding the program (`buildStack`). */
export const PROGRAM_PACKAGE = "platform";

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

/** The policy pack: every plan evaluates it, so its code is part of what a plan runs. */
export const POLICY_PACKAGE = "policy";

/**
 * The package directories (`packages/<dir>`) a plan runs: `from` (the program and the policy
 * pack) and every `@hdp/*` dependency or peer dependency, transitively. `manifest(dir)` gives a
 * package.json's text (undefined when there is none). Workspace packages are `@hdp/<dir>`.
 * A changed rule therefore changes every stack's inputs (`--changed-since` plans them all).
 */
export function programPackages(
  manifest: (dir: string) => string | undefined,
  from: readonly string[] = [PROGRAM_PACKAGE, POLICY_PACKAGE],
): Set<string> {
  const seen = new Set<string>();
  const todo = [...from];
  while (todo.length > 0) {
    const dir = todo.pop() as string;
    if (seen.has(dir)) continue;
    const text = manifest(dir);
    if (text === undefined) continue;
    seen.add(dir);
    const pkg = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
    for (const deps of [pkg.dependencies, pkg.peerDependencies]) {
      for (const name of Object.keys(deps ?? {})) {
        if (name.startsWith("@hdp/")) todo.push(name.slice("@hdp/".length));
      }
    }
  }
  return seen;
}

/**
 * The ingest code @hdp/platform deploys as workspace files (`ingestCodeDir` of the platform):
 * its bytes are resource inputs, so they belong to the program's code.
 */
export const INGEST_CODE_DIR = "pipelines/src/hdp_pipelines";

/** Whether a repository-relative path is code of one of `packages` (or the lockfile). */
export function isProgramFile(path: string, packages: ReadonlySet<string>): boolean {
  if (path === "pnpm-lock.yaml") return true;
  if (path.startsWith(`${INGEST_CODE_DIR}/`)) {
    return packages.has(PROGRAM_PACKAGE) && path.endsWith(".py") && !path.includes("/__pycache__/");
  }
  const m = /^packages\/([^/]+)\/(.+)$/.exec(path);
  if (m === null || !packages.has(m[1])) return false;
  const rest = m[2];
  if (rest === "package.json") return true;
  return (
    rest.startsWith("src/") &&
    /\.(ts|js|json)$/.test(rest) &&
    !/\.test\.ts$/.test(rest) &&
    !rest.includes("__fixtures__/")
  );
}

function walk(
  root: string,
  dir: string,
  packages: ReadonlySet<string>,
  out: { path: string; blob: string }[],
): void {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.name === "node_modules" || d.name === "dist" || d.name.startsWith(".")) continue;
    const abs = join(dir, d.name);
    const rel = relative(root, abs).split(sep).join("/");
    if (d.isDirectory()) walk(root, abs, packages, out);
    else if (d.isFile() && isProgramFile(rel, packages)) {
      out.push({ path: rel, blob: blobId(readFileSync(abs)) });
    }
  }
}

const readIfFile = (path: string): string | undefined =>
  statSync(path, { throwIfNoEntry: false })?.isFile() ? readFileSync(path, "utf8") : undefined;

/** The program's code hash in a working tree (files as they are on disk). */
export function workingTreeCodeHash(root: string): string {
  const packages = programPackages((dir) =>
    readIfFile(join(root, "packages", dir, "package.json")),
  );
  const entries: { path: string; blob: string }[] = [];
  const lock = join(root, "pnpm-lock.yaml");
  if (statSync(lock, { throwIfNoEntry: false })?.isFile()) {
    entries.push({ path: "pnpm-lock.yaml", blob: blobId(readFileSync(lock)) });
  }
  for (const dir of packages) {
    const pkgDir = join(root, "packages", dir);
    entries.push({
      path: `packages/${dir}/package.json`,
      blob: blobId(readFileSync(join(pkgDir, "package.json"))),
    });
    if (statSync(join(pkgDir, "src"), { throwIfNoEntry: false })?.isDirectory()) {
      walk(root, join(pkgDir, "src"), packages, entries);
    }
  }
  const ingest = join(root, ...INGEST_CODE_DIR.split("/"));
  if (statSync(ingest, { throwIfNoEntry: false })?.isDirectory()) {
    walk(root, ingest, packages, entries);
  }
  return treeHash(entries);
}

let planner: string | undefined;

/**
 * The hash of the planner's own sources (this package's `src/` or `dist/`) and of the recorder
 * (@hdp/recorder, as this planner loads it): the recorder and its mocks shape every inventory,
 * so a change to either invalidates cached plans. Computed once per process.
 */
export function plannerHash(): string {
  planner ??= treeHash([
    { path: "plan", blob: sourceTreeHash(dirname(__dirname)) },
    { path: "recorder", blob: sourceTreeHash(dirname(require.resolve("@hdp/recorder"))) },
  ]);
  return planner;
}

/** The hash of a directory's sources (`.ts`/`.js`, tests and fixtures left out). */
function sourceTreeHash(srcDir: string): string {
  const entries: { path: string; blob: string }[] = [];
  const visit = (dir: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, d.name);
      if (d.isDirectory()) {
        if (d.name !== "__fixtures__" && d.name !== "node_modules") visit(abs);
      } else if (/\.(ts|js)$/.test(d.name) && !/\.test\.(ts|js)$/.test(d.name)) {
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

let policyCode: string | undefined;

/**
 * The hash of the policy pack's sources (@hdp/policy as this planner loads it: `src/` from a
 * checkout, `dist/` when installed): a changed rule invalidates cached findings. The components'
 * constants the rules read are program code, already in every key. Computed once per process.
 */
export function policyCodeHash(): string {
  policyCode ??= sourceTreeHash(dirname(require.resolve("@hdp/policy")));
  return policyCode;
}

/** The directory of the package that holds `file` (the nearest package.json above it). */
function packageDirOf(file: string): string {
  let dir = dirname(file);
  while (statSync(join(dir, "package.json"), { throwIfNoEntry: false })?.isFile() !== true) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${file}`);
    dir = up;
  }
  return dir;
}

/**
 * The code hash of an installed program (another repository's node_modules): the manifests of
 * the package holding `programModule` and of every `@hdp/*` package it depends on, as Node
 * resolves them from there. Published versions never change, so the manifests (name, version,
 * dependencies) stand for the code.
 */
export function installedPackagesHash(programModule: string): string {
  const entries: { path: string; blob: string }[] = [];
  const seen = new Set<string>();
  const todo = [packageDirOf(programModule)];
  while (todo.length > 0) {
    const dir = todo.pop() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const text = readFileSync(join(dir, "package.json"));
    const pkg = JSON.parse(text.toString("utf8")) as {
      name?: string;
      dependencies?: Record<string, string>;
    };
    entries.push({ path: pkg.name ?? dir, blob: blobId(text) });
    for (const name of Object.keys(pkg.dependencies ?? {}).filter((n) => n.startsWith("@hdp/"))) {
      todo.push(dirname(require.resolve(`${name}/package.json`, { paths: [dir] })));
    }
  }
  return treeHash(entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
}

/**
 * Cache keys for code: what a cached result depends on is the code that computed it, so the
 * key is that code's bytes — not where it lives (another checkout of the same commit hits) and
 * not when its files were written (`pnpm build` writing the same JavaScript again hits), while
 * any edit misses.
 */
import { createHash, type Hash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";

/** Files that never run: tests, their fixtures and snapshots, declarations, source maps. */
const NOT_CODE = /(\.test\.[cm]?[jt]s|\.d\.[cm]?ts|\.map|\.tsbuildinfo)$/;
const NOT_CODE_DIRS = new Set(["node_modules", "__fixtures__", "__snapshots__"]);

/**
 * Adds the code of one package to `h`: the files under `codeDir` (the directory its modules run
 * from: `src` through tsx, `dist` when built) and its package.json, each by its path inside the
 * package and the SHA-256 of its bytes, in sorted order.
 */
export function hashPackageCode(h: Hash, packageDir: string, codeDir: string): void {
  const add = (rel: string): void => {
    const abs = join(packageDir, rel);
    const st = statSync(abs, { throwIfNoEntry: false });
    if (st === undefined) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) {
        if (!NOT_CODE_DIRS.has(name) && !NOT_CODE.test(name)) add(`${rel}/${name}`);
      }
    } else {
      h.update(`${rel} ${createHash("sha256").update(readFileSync(abs)).digest("hex")}\n`);
    }
  };
  add(codeDir);
  add("package.json");
}

/**
 * The package directory and code directory (`src` or `dist`) of a module file inside a
 * package: the first directory below the nearest package.json.
 */
export function codeLocation(moduleFile: string): { packageDir: string; codeDir: string } {
  for (let d = dirname(moduleFile); dirname(d) !== d; d = dirname(d)) {
    if (statSync(join(d, "package.json"), { throwIfNoEntry: false })?.isFile() === true) {
      return { packageDir: d, codeDir: relative(d, moduleFile).split(sep)[0] ?? "" };
    }
  }
  return { packageDir: dirname(moduleFile), codeDir: basename(moduleFile) };
}

/** A dependency as `name@version` (as `from` resolves it), `name -` when it cannot be found. */
export function dependencyVersion(name: string, from: NodeJS.Require): string {
  try {
    const file = from.resolve(`${name}/package.json`);
    return `${name}@${(JSON.parse(readFileSync(file, "utf8")) as { version?: string }).version}`;
  } catch {
    // No "./package.json" export: the nearest package.json above its entry that is its own.
    try {
      for (let d = dirname(from.resolve(name)); dirname(d) !== d; d = dirname(d)) {
        const file = join(d, "package.json");
        if (statSync(file, { throwIfNoEntry: false })?.isFile() !== true) continue;
        const m = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
        if (m.name === name) return `${name}@${m.version}`;
      }
    } catch {
      // not installed
    }
    return `${name} -`;
  }
}

/**
 * The on-disk cache that makes a warm `hdp validate` and `hdp query` answer at once: results
 * keyed by the configs tree's content digest (`indexTree`: SHA-256 of every file's bytes, with
 * a stat manifest so unchanged files are not read again) and by the code that computes them.
 * An entry is used only when both keys match exactly, so a changed, added, removed or renamed
 * file always means a fresh answer; anything unreadable, partial or of another format is
 * ignored; every write is a complete file renamed into place, so concurrent runs never see a
 * part of one. Where it lives follows `hdp plan`'s cache: beside the configs' repository
 * (`<repo>/.hdp/cache/index`), else the user's cache directory — never in this checkout.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { LoadOptions } from "@hdp/config";
// The tree index's own door: a warm run loads neither the schemas nor the YAML parsers.
import {
  codeLocation,
  dependencyVersion,
  hashPackageCode,
  startIndexTree,
  writeAtomically,
  type IndexOptions,
  type PendingIndex,
  type TreeIndex,
} from "@hdp/config/tree-index";

/** Bumped when what the cache stores changes shape: entries of other formats are ignored. */
export const CACHE_FORMAT = 1;

/**
 * The default cache directory of `configs`: `<repo>/.hdp/cache/index` of the git repository
 * holding it, else `$XDG_CACHE_HOME/hdp/index` (`~/.cache`, `~/Library/Caches` on macOS,
 * `%LOCALAPPDATA%` on Windows). Each configs directory gets a subdirectory of its own.
 */
export function defaultIndexCacheDir(
  configs: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
  platform: NodeJS.Platform = process.platform,
): string {
  const repo = repoRootOf(configs);
  if (repo !== undefined) return join(repo, ".hdp", "cache", "index");
  const xdg = env.XDG_CACHE_HOME;
  const base =
    xdg !== undefined && xdg !== ""
      ? xdg
      : platform === "darwin"
        ? join(home, "Library", "Caches")
        : platform === "win32"
          ? (env.LOCALAPPDATA ?? join(home, "AppData", "Local"))
          : join(home, ".cache");
  return join(base, "hdp", "index");
}

/** The nearest directory at or above `dir` with a `.git` (a directory, or a worktree's file). */
function repoRootOf(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/**
 * What the answers depend on besides the configs: this cache's format, Node's version, and the
 * code that computes them by content — the modules of @hdp/cli, @hdp/config, @hdp/query and of
 * every @hdp package they depend on (those that run: `src` through tsx, `dist` when built; each
 * file by its SHA-256), and the version of each of their other dependencies (the parsers, zod,
 * sql.js). So an edit of a check, even without a version bump, never meets an answer of the old
 * code, while another checkout of the same commit, or a rebuild writing the same JavaScript,
 * finds the answers already there. `moduleFile` is this module (another for tests).
 */
export function codeKey(moduleFile: string = __filename): string {
  const h = createHash("sha256").update(`hdp-index ${CACHE_FORMAT} ${process.version}\n`);
  const seen = new Set<string>();
  const visit = (pkg: string, from: NodeJS.Require): void => {
    if (seen.has(pkg)) return;
    seen.add(pkg);
    if (!pkg.startsWith("@hdp/")) {
      h.update(`${dependencyVersion(pkg, from)}\n`);
      return;
    }
    const where = packageCode(pkg, from);
    if (where === undefined) {
      h.update(`${pkg} -\n`);
      return;
    }
    h.update(`${pkg}\n`);
    hashPackageCode(h, where.packageDir, where.codeDir);
    const manifest = join(where.packageDir, "package.json");
    const inner = createRequire(manifest);
    for (const dep of dependenciesOf(manifest)) visit(dep, inner);
  };
  const here = createRequire(moduleFile);
  for (const pkg of ["@hdp/config", "@hdp/query"]) visit(pkg, here);
  const self = codeLocation(moduleFile);
  hashPackageCode(h, self.packageDir, self.codeDir);
  return h.digest("hex");
}

/** Where a workspace package's modules run from, as `from` resolves it. */
function packageCode(
  pkg: string,
  from: NodeJS.Require,
): { packageDir: string; codeDir: string } | undefined {
  try {
    return codeLocation(from.resolve(pkg));
  } catch {
    try {
      // Its entry is not there (not built): its sources, as tsx would run them.
      const packageDir = dirname(from.resolve(`${pkg}/package.json`));
      return { packageDir, codeDir: existsSync(join(packageDir, "src")) ? "src" : "dist" };
    } catch {
      return undefined;
    }
  }
}

/** The dependency names of a package.json, sorted (none when it cannot be read). */
function dependenciesOf(manifest: string): string[] {
  try {
    const m = JSON.parse(readFileSync(manifest, "utf8")) as {
      dependencies?: Record<string, string>;
    };
    return Object.keys(m.dependencies ?? {}).sort();
  } catch {
    return [];
  }
}

/**
 * `HDP_INDEX_PARALLEL_FROM=<files>`: from how many files on the tree is stat-ed on a worker
 * thread too (default `PARALLEL_FROM` of @hdp/config; 0 always), so tests and benchmarks can
 * switch the lever. Anything but a whole number ≥ 0 is ignored.
 */
function indexOptionsFromEnv(): IndexOptions {
  const v = process.env.HDP_INDEX_PARALLEL_FROM;
  if (v === undefined || !/^\d+$/.test(v)) return {};
  return { parallelFrom: Number(v) };
}

/** One configs tree's cache: its index, and entries keyed by the tree's digest and the code. */
export class WarmCache {
  private readonly pending: PendingIndex;
  private treeKey: string | undefined;

  /**
   * Starts indexing `configs` (absolute) with the manifest under `dir`: the files are stat-ed
   * (on a worker thread too, for a large tree) while the caller goes on; whatever needs the
   * tree's digest ({@link index}, {@link read}, {@link write}, {@link peek}'s `current`) waits
   * for the index to finish.
   */
  constructor(
    readonly dir: string,
    configs: string,
    private readonly code: string = codeKey(),
    options: IndexOptions = indexOptionsFromEnv(),
  ) {
    this.pending = startIndexTree(configs, join(dir, "manifest"), options);
  }

  /** The tree's index (finished on first use). */
  get index(): TreeIndex {
    return this.pending.finish();
  }

  private get key(): string {
    return (this.treeKey ??= createHash("sha256")
      .update(`${this.code}\n${this.index.digest}`)
      .digest("hex"));
  }

  /** How `loadEstate` reuses this cache: its per-file parse cache and this very index. */
  loadOptions(): LoadOptions {
    return { cacheDir: this.dir, index: this.index };
  }

  /** The cache directory of one configs directory under a cache root. */
  static dirFor(cacheRoot: string, configs: string): string {
    return join(
      cacheRoot,
      createHash("sha256").update(resolve(configs)).digest("hex").slice(0, 16),
    );
  }

  /** The stored value of `name` when it was computed from this very tree and code. */
  read<T>(name: string): T | undefined {
    try {
      const entry = JSON.parse(readFileSync(join(this.dir, `${name}.json`), "utf8")) as {
        key?: unknown;
        value?: unknown;
      };
      return entry.key === this.key ? (entry.value as T) : undefined;
    } catch {
      return undefined; // missing, partial or not ours: recompute
    }
  }

  /** The stored value of `name` whatever tree it was computed from: a hint, never an answer. */
  readAnyTree<T>(name: string): T | undefined {
    try {
      return (JSON.parse(readFileSync(join(this.dir, `${name}.json`), "utf8")) as { value?: T })
        .value;
    } catch {
      return undefined;
    }
  }

  /** Bytes stored beside an entry (the entry names them by this tree's key). */
  readBytes(name: string, length: number): Uint8Array | undefined {
    return this.bytesOf(name, this.key, length);
  }

  private bytesOf(name: string, key: string, length: number): Uint8Array | undefined {
    try {
      const bytes = readFileSync(join(this.dir, `${name}-${key.slice(0, 16)}.bin`));
      return bytes.length === length ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The stored entry `name` and its bytes before the tree is known to match: work may start on
   * them while the index finishes, but nothing computed from them may be shown before
   * `current()` (which waits for the index) says they belong to this very tree and code.
   */
  peek<T>(
    name: string,
  ): { value: T; bytes(length: number): Uint8Array | undefined; current(): boolean } | undefined {
    try {
      const entry = JSON.parse(readFileSync(join(this.dir, `${name}.json`), "utf8")) as {
        key?: unknown;
        value?: unknown;
      };
      const key = entry.key;
      if (typeof key !== "string" || entry.value === undefined) return undefined;
      return {
        value: entry.value as T,
        bytes: (length) => this.bytesOf(name, key, length),
        current: () => key === this.key,
      };
    } catch {
      return undefined;
    }
  }

  /**
   * Stores `value` (and `bytes`, first) for this tree, when it was computed from a load of this
   * very tree: `from` is that load (`loadEstate` with {@link loadOptions}), whose `digest` says
   * every file's result is of the bytes this index hashed. A file that changed while it was
   * loaded leaves no digest (the answer might mix old and new bytes): nothing is stored. The
   * tree is not indexed again. Returns whether it was stored.
   */
  write(
    name: string,
    value: unknown,
    from: { readonly digest?: string },
    bytes?: Uint8Array,
  ): boolean {
    if (from.digest === undefined || from.digest !== this.index.digest) return false;
    if (bytes !== undefined) {
      const file = `${name}-${this.key.slice(0, 16)}.bin`;
      if (!writeAtomically(join(this.dir, file), bytes)) return false;
      this.removeOld(name, file);
    }
    return writeAtomically(
      join(this.dir, `${name}.json`),
      JSON.stringify({ key: this.key, value }),
    );
  }

  /** Older bytes of `name` (other trees'); a concurrent reader that has read one keeps its copy. */
  private removeOld(name: string, keep: string): void {
    try {
      for (const f of readdirSync(this.dir)) {
        if (f.startsWith(`${name}-`) && f.endsWith(".bin") && f !== keep)
          rmSync(join(this.dir, f), { force: true });
      }
    } catch {
      // a cache that cannot be tidied is still a cache
    }
  }
}

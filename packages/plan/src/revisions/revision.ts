/**
 * A revision to plan: the working tree, or a git revision read through git without touching
 * the working tree. When the revision's program code equals the working tree's, only its
 * configs are extracted and the working tree's program plans them; otherwise the whole tree is
 * extracted to a temporary directory and its own `@hdp/platform` and `@hdp/config` run, with
 * the working tree's installed dependencies linked in (one `@pulumi/pulumi` for both).
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { ConfigError, Estate } from "@hdp/config";
import {
  blobId,
  installedPackagesHash,
  INGEST_CODE_DIR,
  isProgramFile,
  programPackages,
  treeHash,
  workingTreeCodeHash,
} from "./code-hash";
import { extractTree, GitError, listTree, readBlob, resolveCommit } from "./git";

/** One side of a plan. */
export interface Revision {
  /** "working tree", or the ref as given with its short commit. */
  readonly label: string;
  readonly commit: string | undefined;
  readonly configsDir: string;
  /** Absolute path of the module exporting `buildStack`. */
  readonly programModule: string;
  readonly estate: Estate;
  /** Hash of the program's code (see code-hash.ts). */
  readonly codeHash: string;
  /**
   * The configs tree's content digest when its estate was loaded through the cache (equal
   * digests and code, equal estates): the stacks' slice hashes are kept under it.
   */
  readonly treeDigest?: string | undefined;
  /**
   * The config load's cache writes (parse cache, estate snapshot), left for the planner to do
   * while its workers plan, off the load's critical path; once, later calls do nothing.
   */
  readonly writeConfigCaches?: (() => void) | undefined;
  /** Removes temporary files. */
  readonly cleanup: () => void;
}

/** The configs of a revision do not validate: reported like `hdp validate`, exit code 2. */
export class PlanConfigError extends Error {
  constructor(
    readonly revision: string,
    readonly errors: readonly ConfigError[],
  ) {
    super(`${errors.length} config error${errors.length === 1 ? "" : "s"} in ${revision}`);
    this.name = "PlanConfigError";
  }
}

type ConfigLoadResult = {
  ok: boolean;
  estate: Estate;
  errors: readonly ConfigError[];
  digest?: string;
};
type ConfigLoadOptions = { cacheDir?: string | undefined; snapshot?: boolean | undefined };

interface ConfigModule {
  loadEstate(dir: string, options?: ConfigLoadOptions): ConfigLoadResult;
  /** The working tree's loader has it (a revision's own older loader may not). */
  loadEstateDeferringWrites?(
    dir: string,
    options?: ConfigLoadOptions,
  ): { result: ConfigLoadResult; writeCaches: () => void };
}

/** Where the planner finds the workspace and the program. */
export interface Workspace {
  /** The git repository holding the configs (revisions are read from it), if any. */
  readonly root: string | undefined;
  /** The workspace whose packages/ hold the program (its code is hashed). */
  readonly codeRoot: string;
  /** Absolute path of the working tree's program module. */
  readonly programModule: string;
  /** Set when the program is not the workspace's @hdp/platform (tests' stand-ins). */
  readonly programOverride: boolean;
  /**
   * Set when no checkout holds the program: the planner and @hdp/platform are installed
   * packages (another repository's node_modules), versioned by their manifests.
   */
  readonly installed?: boolean;
}

const fromSource = __filename.endsWith(".ts");

function loadConfigs(
  configModule: ConfigModule,
  dir: string,
  label: string,
  cacheDir?: string,
): { estate: Estate; digest: string | undefined; writeCaches: () => void } {
  if (cacheDir === undefined) {
    const r = configModule.loadEstate(dir);
    if (!r.ok) throw new PlanConfigError(label, r.errors);
    return { estate: r.estate, digest: r.digest, writeCaches: () => undefined };
  }
  const options = { cacheDir, snapshot: true };
  const { result: r, writeCaches } =
    configModule.loadEstateDeferringWrites?.(dir, options) ??
    (() => ({ result: configModule.loadEstate(dir, options), writeCaches: () => undefined }))();
  if (!r.ok) {
    writeCaches(); // the plan ends here: written now, as an undeferred load would have
    throw new PlanConfigError(label, r.errors);
  }
  return { estate: r.estate, digest: r.digest, writeCaches };
}

/**
 * The working tree: configs and program as they are on disk. With `parseCacheDir`, @hdp/config
 * caches there: an unchanged tree's estate is read back whole, a changed one re-parses only
 * its changed files (same path, same bytes: the rest come from the per-file parse cache). What
 * the load learnt is written by `writeConfigCaches()`, which the caller must call.
 */
export function workingTree(
  ws: Workspace,
  configsDir: string,
  configModule: ConfigModule,
  parseCacheDir?: string,
): Revision {
  const { estate, digest, writeCaches } = loadConfigs(
    configModule,
    configsDir,
    "working tree",
    parseCacheDir,
  );
  return {
    label: "working tree",
    commit: undefined,
    configsDir,
    programModule: ws.programModule,
    estate,
    treeDigest: digest,
    writeConfigCaches: writeCaches,
    codeHash: codeHashOf(ws, workingTreeCodeHash(ws.codeRoot)),
    cleanup: () => undefined,
  };
}

/** With a stand-in program, its own file is part of the code. */
function codeHashOf(ws: Workspace, tree: string): string {
  if (!ws.programOverride) return tree;
  return treeHash([
    { path: "(tree)", blob: tree },
    { path: "(program)", blob: blobId(readFileSync(ws.programModule)) },
    ...(ws.installed === true
      ? [{ path: "(installed)", blob: installedPackagesHash(ws.programModule) }]
      : []),
  ]);
}

/**
 * Revision `ref` of the repository: `configsDir` (a working-tree path) is read at the same
 * place in `ref`.
 */
export function gitRevision(
  ws: Workspace,
  ref: string,
  configsDir: string,
  working: Revision,
  configModule: ConfigModule,
): Revision {
  const root = ws.root;
  if (root === undefined)
    throw new GitError(`${configsDir} is not in a git repository: cannot read "${ref}"`);
  const commit = resolveCommit(root, ref);
  const label = `${ref} (${commit.slice(0, 10)})`;
  const configsRel = relative(root, resolve(configsDir)).split(sep).join("/");
  // The program's code is versioned with the configs only when they share the repository.
  const code =
    ws.programOverride || root !== ws.codeRoot ? working.codeHash : revisionCodeHash(root, commit);
  if (code === working.codeHash) {
    const dir = extractTree(root, commit, [configsRel]);
    const dirConfigs = join(dir, configsRel);
    const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
    try {
      const { estate } = loadConfigs(configModule, dirConfigs, label);
      return {
        label,
        commit,
        configsDir: dirConfigs,
        programModule: ws.programModule,
        estate,
        codeHash: code,
        cleanup,
      };
    } catch (e) {
      cleanup();
      throw e;
    }
  }
  const dir = extractTree(root, commit, []);
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    linkDependencies(root, dir);
    const entry = fromSource ? "src/index.ts" : "dist/index.js";
    const programModule = join(dir, "packages", "platform", entry);
    const configEntry = join(dir, "packages", "config", entry);
    if (!existsSync(programModule) || !existsSync(configEntry)) {
      throw new Error(`${label} has no packages/platform or packages/config to plan with`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the revision's own config loader
    const refConfig = require(configEntry) as ConfigModule;
    const { estate } = loadConfigs(refConfig, join(dir, configsRel), label);
    return {
      label,
      commit,
      configsDir: join(dir, configsRel),
      programModule,
      estate,
      codeHash: code,
      cleanup,
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/** The program's code hash at `commit` (see code-hash.ts), from git's object ids. */
export function revisionCodeHash(root: string, commit: string): string {
  const entries = listTree(root, commit, ["packages", "pnpm-lock.yaml", INGEST_CODE_DIR]);
  const blobs = new Map(entries.map((e) => [e.path, e.blob]));
  const packages = programPackages((dir) => {
    const blob = blobs.get(`packages/${dir}/package.json`);
    return blob === undefined ? undefined : readBlob(root, blob);
  });
  return treeHash(entries.filter((e) => isProgramFile(e.path, packages)));
}

/**
 * Gives an extracted tree the working tree's installed dependencies: `node_modules` links to
 * the working tree's, and each package's `node_modules` gets the same links the working
 * tree's has (pnpm's relative links: workspace packages resolve inside the extracted tree,
 * everything else to the one store).
 */
export function linkDependencies(root: string, dest: string): void {
  symlinkSync(join(root, "node_modules"), join(dest, "node_modules"), "dir");
  const packages = join(dest, "packages");
  if (!existsSync(packages)) return;
  for (const name of readdirSync(packages)) {
    const from = join(root, "packages", name, "node_modules");
    if (!existsSync(from)) continue;
    copyLinks(from, join(packages, name, "node_modules"));
  }
}

function copyLinks(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const src = join(from, entry);
    const st = lstatSync(src);
    if (st.isSymbolicLink()) {
      symlinkSync(readlinkSync(src), join(to, entry));
    } else if (st.isDirectory() && entry.startsWith("@")) {
      copyLinks(src, join(to, entry));
    } else if (st.isDirectory() && entry === ".bin") {
      continue;
    } else {
      mkdirSync(dirname(join(to, entry)), { recursive: true });
      symlinkSync(src, join(to, entry));
    }
  }
}

/**
 * Loads the whole config tree into one typed {@link Estate}: parse every file with positions,
 * validate each against its schema, then check what spans files (references, uniqueness,
 * cycles, derived names). Every problem is collected; nothing stops at the first.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkEstate } from "./checks";
import { discover } from "./discover";
import type { ConfigError } from "./errors";
import { ConfigValidationError, sortErrors } from "./errors";
import type { Environment, Estate, Platform, Source, Table } from "./estate";
import { readEstateSnapshot, writeEstateSnapshot } from "./estate-snapshot";
import { ParseCache, type FileResult } from "./parse-cache";
import { jobsOf } from "./parse-file";
import { defaultThreads, parseFiles, ParseThreads, THREADS_FROM } from "./parse-files";
import { buildPipelines } from "./pipelines";
import type { LoadedSource } from "./loaded-source";
import { buildStacks } from "./stacks";
import { recordTableFiles } from "./table-digests";
import { startIndexTree, type TreeIndex } from "./tree-index";

/** What {@link loadEstate} returns. */
export interface LoadResult {
  /** True when the tree has no errors. */
  readonly ok: boolean;
  /**
   * The estate. With errors, it holds only what validated (files with errors and the entries
   * that depend on them are left out), so read-only tools can still answer over the rest.
   */
  readonly estate: Estate;
  readonly errors: readonly ConfigError[];
  /** Files left out of the estate because of their own errors, sorted. */
  readonly skippedFiles: readonly string[];
  /**
   * The tree's content digest (see `indexTree`) when the load indexed the tree and every file's
   * result is of the bytes the index hashed: equal digests, equal results (for the same code).
   */
  readonly digest?: string;
}

export type { LoadedSource } from "./loaded-source";

/** How {@link loadEstate} may reuse earlier work. */
export interface LoadOptions {
  /**
   * A directory for the per-file parse cache (see parse-cache.ts): files whose bytes were
   * parsed before are not parsed again. Undefined: every file is parsed.
   */
  readonly cacheDir?: string | undefined;
  /**
   * The tree's index, when the caller has one (its hashes find the cached results); else, with
   * `cacheDir`, the tree is indexed with a stat manifest kept there.
   */
  readonly index?: TreeIndex | undefined;
  /**
   * With `cacheDir`: also keep the whole result for the tree's digest (see estate-snapshot.ts),
   * so loading an unchanged tree again skips the cross-file checks too. For callers that load
   * the same tree often and write little else (`hdp plan`).
   */
  readonly snapshot?: boolean | undefined;
  /**
   * Worker threads that parse files alongside this one (see parse-files.ts); default: by the
   * number of files to parse and of cores, or `HDP_PARSE_THREADS`. The result is the same
   * whatever the number.
   */
  readonly threads?: number | undefined;
}

/** Loads and validates the tree under `dir`. Never throws for bad input: see `errors`. */
export function loadEstate(dir: string, options: LoadOptions = {}): LoadResult {
  const { result, writeCaches } = loadEstateDeferringWrites(dir, options);
  writeCaches();
  return result;
}

/** A load whose cache writes are still to do: see {@link loadEstateDeferringWrites}. */
export interface DeferredLoad {
  readonly result: LoadResult;
  /**
   * Writes what the load learnt to `cacheDir` (the parse cache's new segment, the estate
   * snapshot): the very bytes {@link loadEstate} writes. Runs once; later calls do nothing.
   * Nothing to do without `cacheDir`, or when the result came from the snapshot.
   */
  readonly writeCaches: () => void;
}

/**
 * {@link loadEstate}, returning the result before the cache writes (at the full preset, about
 * 10 s of serializing and writing on a cold load), so a caller can do them when it would
 * otherwise wait (`hdp plan`: while its workers plan). The result and what the caches were
 * given must not be modified before `writeCaches()`: neither is by the loader or its callers.
 * Skipping `writeCaches()` costs only the next load (it parses again).
 */
export function loadEstateDeferringWrites(dir: string, options: LoadOptions = {}): DeferredLoad {
  const root = resolve(dir);
  const asked = options.threads ?? threadsFromEnv();
  let early: ParseThreads | undefined;
  try {
    let index = options.index;
    if (index === undefined && options.cacheDir !== undefined) {
      const manifest = join(options.cacheDir, "manifest");
      const first = !existsSync(manifest);
      const pending = startIndexTree(root, manifest, { keepBytes: true });
      // A large tree never loaded with this cache (so every file is to parse): parse workers
      // start now, on every file, while this thread reads and hashes the tree (they read and
      // hash what they parse themselves); this thread joins them once the index is done.
      if (first && asked !== 0) {
        const jobs = jobsOf(pending.discovered);
        const count = asked ?? (jobs.length >= THREADS_FROM ? defaultThreads() : 0);
        if (count > 0) early = ParseThreads.start(root, true, count, jobs);
      }
      index = pending.finish();
    }
    const threads = early ?? asked;
    early = undefined; // parseFiles stops them (or the snapshot did not need them: below)
    return loadIndexed(root, index, threads, options);
  } finally {
    early?.stop();
  }
}

/** `HDP_PARSE_THREADS=<n>` (benchmarks: 0 for a one-thread load), when no option says. */
function threadsFromEnv(): number | undefined {
  const v = process.env.HDP_PARSE_THREADS;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

function loadIndexed(
  root: string,
  index: TreeIndex | undefined,
  threads: ParseThreads | number | undefined,
  options: LoadOptions,
): DeferredLoad {
  const snapshot =
    options.snapshot === true && options.cacheDir !== undefined ? options.cacheDir : undefined;
  if (snapshot !== undefined && index !== undefined) {
    const saved = readEstateSnapshot<LoadResult>(snapshot, index.digest);
    if (saved !== undefined) {
      if (typeof threads === "object") threads.stop();
      return { result: saved, writeCaches: () => undefined };
    }
  }
  const cache = options.cacheDir === undefined ? undefined : new ParseCache(options.cacheDir);
  // Whether every file's result is of the very bytes the index hashed (then the result is the
  // tree of `index.digest`, and may be kept as its snapshot).
  let consistent = index !== undefined;
  const found = index?.discovered ?? discover(root);
  const errors: ConfigError[] = [...found.errors];
  const skipped = new Set<string>();

  // Every file in the order the one-thread loader read them (errors and the parse cache's new
  // entries keep that order, whoever parsed which file).
  const jobs = jobsOf(found);
  const cached = jobs.map((j) => cache?.peek(j.file, index?.hashes.get(j.file)));
  const parsed = parseFiles(
    root,
    jobs.filter((_, i) => cached[i] === undefined),
    { hash: cache !== undefined, given: index?.takeBytes?.bind(index), threads },
  ).results;
  let next = 0;
  let at = 0;

  /** The next file's located value (from the cache when its bytes were parsed before). */
  const read = <T>(): T | undefined => {
    const i = at++;
    const { file } = jobs[i];
    let result: FileResult | undefined =
      cached[i] === undefined ? undefined : cache?.get(file, index?.hashes.get(file));
    if (result === undefined) {
      const p = parsed[next++];
      result = p.result;
      if (p.sha256 !== undefined) cache?.record(file, p.sha256, result);
      if (p.sha256 !== index?.hashes.get(file)) consistent = false;
    }
    if (!result.ok) {
      errors.push(...result.errors);
      skipped.add(file);
      return undefined;
    }
    return result.value as T;
  };
  const plat = found.platformFile === undefined ? undefined : read<Platform>();
  const envs: Omit<Environment, "stacks">[] = [];
  for (const _ of found.environmentFiles) {
    const e = read<Omit<Environment, "stacks">>();
    if (e !== undefined) envs.push(e);
  }
  const sources: LoadedSource[] = [];
  const tablesByDir = new Map<string, Table[]>();
  for (const sd of found.sourceDirs) {
    if (sd.sourceFile !== undefined) {
      const s = read<LoadedSource>();
      if (s !== undefined) sources.push(s);
    }
    const tables: Table[] = [];
    for (const _ of sd.tableFiles) {
      const t = read<Table>();
      if (t !== undefined) tables.push(t);
    }
    tablesByDir.set(sd.dir, tables);
  }

  const checked = checkEstate({
    root,
    environmentFiles: found.environmentFiles,
    tableFilesByDir: new Map(found.sourceDirs.map((d) => [d.dir, d.tableFiles])),
    platform: plat,
    environments: envs,
    sources,
    tablesByDir,
  });
  errors.push(...checked.errors);
  for (const f of checked.skippedFiles) skipped.add(f);

  const validSources: Source[] = checked.sources;
  const validTables: Table[] = checked.tables;
  const pipelines = buildPipelines(checked.loadedSources, validTables);
  const environments: Environment[] = envs.map((e) => ({
    ...e,
    stacks: buildStacks(e, validSources),
  }));

  const estate: Estate = {
    root,
    platform: plat ?? emptyPlatform(),
    environments: environments.sort((a, b) => a.name.localeCompare(b.name)),
    sources: validSources,
    tables: validTables,
    pipelines,
  };
  const sorted = sortErrors(errors);
  const result: LoadResult = {
    ok: sorted.length === 0,
    estate,
    errors: sorted,
    skippedFiles: [...skipped].sort(),
    ...(index !== undefined && consistent ? { digest: index.digest } : {}),
  };
  // Every table is of the bytes the index hashed: its file's hash stands for it (table-digests.ts).
  if (index !== undefined && consistent) {
    recordTableFiles(estate, (t) => index.hashes.get(t.origin.file));
  }
  const keep =
    snapshot !== undefined && index !== undefined && consistent
      ? { dir: snapshot, digest: index.digest }
      : undefined;
  return { result, writeCaches: cacheWrites(cache, keep, result) };
}

/**
 * The writes of one load, as a function run once. Made here, not inside the load, so that it
 * keeps only what it writes alive (a closure there would keep the load's whole scope: the tree
 * index, the parse cache's entries), and drops that once written.
 */
function cacheWrites(
  cache: ParseCache | undefined,
  snapshot: { dir: string; digest: string } | undefined,
  result: LoadResult,
): () => void {
  let pending: { cache: typeof cache; snapshot: typeof snapshot; result: LoadResult } | undefined =
    { cache, snapshot, result };
  return () => {
    const p = pending;
    pending = undefined;
    p?.cache?.save();
    if (p?.snapshot !== undefined) writeEstateSnapshot(p.snapshot.dir, p.snapshot.digest, p.result);
  };
}

/** Loads the tree and throws a {@link ConfigValidationError} listing every error. */
export function loadEstateOrThrow(dir: string): Estate {
  const r = loadEstate(dir);
  if (!r.ok) throw new ConfigValidationError(r.errors);
  return r.estate;
}

function emptyPlatform(): Platform {
  return {
    organization: { id: "unknown", name: "unknown" },
    aws: { region: "us-east-1" },
    tags: { required: [], defaults: {} },
    hospitals: [],
    domains: [],
    origin: { file: "platform.yaml", line: 1, column: 1 },
  };
}

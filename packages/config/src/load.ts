/**
 * Loads the whole config tree into one typed {@link Estate}: parse every file with positions,
 * validate each against its schema, then check what spans files (references, uniqueness,
 * cycles, derived names). Every problem is collected; nothing stops at the first.
 */
import { join, resolve } from "node:path";
import { checkEstate } from "./checks";
import { discover } from "./discover";
import type { ConfigError, Origin } from "./errors";
import { ConfigValidationError, sortErrors } from "./errors";
import type {
  DomainEntry,
  Environment,
  Estate,
  HospitalEntry,
  Platform,
  Source,
  Table,
} from "./estate";
import { readEstateSnapshot, writeEstateSnapshot } from "./estate-snapshot";
import { ParseCache } from "./parse-cache";
import { buildPipelines } from "./pipelines";
import { environment, platform, source, table } from "./schema";
import type { LoadedSource } from "./loaded-source";
import { buildStacks } from "./stacks";
import { recordTableFiles } from "./table-digests";
import { indexTree, type TreeIndex } from "./tree-index";
import { readYamlFile, type ParsedYaml } from "./yaml-file";
import { validateWith } from "./zod-issues";

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

/** Where an entry (an object of the parsed data) starts: its first key. */
/** A YAML mapping of the parsed data (never a list: a list has no first key). */
type Entry = Readonly<Record<string, unknown>>;

const originOf = (parsed: ParsedYaml, node: Entry): Origin => ({
  file: parsed.file,
  ...(parsed.start(node) ?? { line: 1, column: 1 }),
});

/** The raw parsed object at `data[key][index]` (validated, so it exists and is an object). */
const raw = (parsed: ParsedYaml, key: string, index: number): Entry =>
  ((parsed.data as Record<string, unknown[]>)[key] ?? [])[index] as Entry;

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
  const index =
    options.index ??
    (options.cacheDir === undefined
      ? undefined
      : indexTree(root, join(options.cacheDir, "manifest"), { keepBytes: true }));
  const snapshot =
    options.snapshot === true && options.cacheDir !== undefined ? options.cacheDir : undefined;
  if (snapshot !== undefined && index !== undefined) {
    const saved = readEstateSnapshot<LoadResult>(snapshot, index.digest);
    if (saved !== undefined) return { result: saved, writeCaches: () => undefined };
  }
  const cache = options.cacheDir === undefined ? undefined : new ParseCache(options.cacheDir);
  // Whether every file's result is of the very bytes the index hashed (then the result is the
  // tree of `index.digest`, and may be kept as its snapshot).
  let consistent = index !== undefined;
  const found = index?.discovered ?? discover(root);
  const errors: ConfigError[] = [...found.errors];
  const skipped = new Set<string>();

  /** One file's located value (from the cache when its bytes were parsed before). */
  const read = <T>(
    file: string,
    validate: (p: ParsedYaml) => { ok: true; value: T } | { ok: false; errors: ConfigError[] },
  ): T | undefined => {
    let result = cache?.get(file, index?.hashes.get(file)) as
      { ok: true; value: T } | { ok: false; errors: readonly ConfigError[] } | undefined;
    if (result === undefined) {
      let bytes: Uint8Array | undefined;
      const r = readYamlFile(
        root,
        file,
        cache === undefined ? undefined : (b) => (bytes = b),
        index?.takeBytes?.(file),
      );
      result = r.ok ? validate(r.parsed) : r;
      const hash = bytes === undefined ? undefined : cache?.set(file, bytes, result);
      if (hash !== index?.hashes.get(file)) consistent = false;
    }
    if (!result.ok) {
      errors.push(...result.errors);
      skipped.add(file);
      return undefined;
    }
    return result.value;
  };

  let plat: Platform | undefined;
  if (found.platformFile !== undefined) {
    plat = read(found.platformFile, (p) => {
      const v = validateWith(platform, p);
      if (!v.ok) return v;
      const { $schema: _, ...cfg } = v.value;
      const value: Platform = {
        ...cfg,
        hospitals: cfg.hospitals.map((h, i): HospitalEntry => ({
          ...h,
          origin: originOf(p, raw(p, "hospitals", i)),
        })),
        domains: cfg.domains.map((d, i): DomainEntry => ({
          ...d,
          origin: originOf(p, raw(p, "domains", i)),
        })),
        origin: originOf(p, p.data as Entry),
      };
      return { ok: true, value };
    });
  }

  const envs: Omit<Environment, "stacks">[] = [];
  for (const file of found.environmentFiles) {
    const e = read(file, (p) => {
      const v = validateWith(environment, p);
      if (!v.ok) return v;
      const { $schema: _, ...cfg } = v.value;
      const value: Omit<Environment, "stacks"> = { ...cfg, origin: originOf(p, p.data as Entry) };
      return { ok: true, value };
    });
    if (e !== undefined) envs.push(e);
  }

  const sources: LoadedSource[] = [];
  const tablesByDir = new Map<string, Table[]>();
  for (const sd of found.sourceDirs) {
    if (sd.sourceFile !== undefined) {
      const file = sd.sourceFile;
      const s = read(file, (p) => {
        const v = validateWith(source, p);
        if (!v.ok) return v;
        const value: LoadedSource = {
          config: v.value,
          file,
          dir: sd.dir,
          origin: originOf(p, p.data as Entry),
          pipelineOrigins: v.value.pipelines.map((_, i) => originOf(p, raw(p, "pipelines", i))),
        };
        return { ok: true, value };
      });
      if (s !== undefined) sources.push(s);
    }
    const tables: Table[] = [];
    for (const file of sd.tableFiles) {
      const t = read(file, (p) => {
        const v = validateWith(table, p);
        if (!v.ok) return v;
        const { $schema: _, ...cfg } = v.value;
        const value: Table = {
          ...cfg,
          source: "", // set once the source's id is known
          key: "",
          columns: cfg.columns.map((c, i) => ({
            ...c,
            origin: originOf(p, raw(p, "columns", i)),
          })),
          origin: originOf(p, p.data as Entry),
        };
        return { ok: true, value };
      });
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

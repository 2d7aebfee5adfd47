/**
 * The config slice of a stack: the part of the estate its plan can depend on. Its hash (with
 * the code's, and for a shard the core's exports) keys the plan cache, and `--changed-since`
 * compares it between revisions.
 *
 * - An unsharded stack and a core stack: the whole environment — platform, the environment,
 *   every source, table and pipeline (core stacks are small, so re-planning them is cheap).
 * - A shard: platform, the environment (with the names, not the contents, of its stacks), its
 *   own sources with their tables and pipelines, the pipelines those depend on, and a summary
 *   of the rest of the environment: every source's id, domain and whether it is enabled and
 *   active (has an enabled table), every pipeline's key, source and whether it is enabled. So a
 *   column, description, retention or schedule change in one source re-plans that source's
 *   shard only; a new source or pipeline re-plans the environment.
 * Entries are taken whole, overlays of every environment included (over- rather than
 * under-inclusive). test/plan-slices.test.ts checks, with the real program, that changes
 * outside a shard's slice leave its inventory unchanged.
 */
import { createHash } from "node:crypto";
import {
  effectiveEstate,
  hasTableDigests,
  perEnvironment,
  tableDigest,
  type Environment,
  type Estate,
  type StackSpec,
  type Table,
} from "@hdp/config";
import { canonicalJson } from "../inventory/canonical-json";

/** The stack of `estate` named `name`, with its environment. */
export function findStack(
  estate: Estate,
  name: string,
): { env: Environment; spec: StackSpec } | undefined {
  for (const env of estate.environments) {
    const spec = env.stacks.find((s) => s.name === name);
    if (spec !== undefined) return { env, spec };
  }
  return undefined;
}

const withoutStackContents = (env: Environment): unknown => ({
  ...env,
  stacks: env.stacks.map((s) => s.name),
});

/** The slice of stack `name` (see the module comment), as plain data. */
export function stackSlice(estate: Estate, name: string): unknown {
  const found = findStack(estate, name);
  if (found === undefined) throw new Error(`unknown stack "${name}"`);
  const { env, spec } = found;
  if (spec.shard === undefined || spec.shard === "core") {
    return {
      kind: spec.shard === undefined ? "environment" : "core",
      stack: spec,
      platform: estate.platform,
      environment: withoutStackContents(env),
      sources: estate.sources,
      tables: estate.tables,
      pipelines: estate.pipelines,
    };
  }
  const own = new Set(spec.sources);
  const at = entriesBySource(estate);
  const pick = <T>(all: readonly T[], index: ReadonlyMap<string, readonly number[]>): T[] =>
    inEstateOrder(
      all,
      [...own].flatMap((id) => index.get(id) ?? []),
    );
  const pipelines = pick(estate.pipelines, at.pipelines);
  const upstream = new Set(pipelines.flatMap((p) => p.dependsOn));
  return {
    kind: "shard",
    stack: spec,
    platform: estate.platform,
    environment: withoutStackContents(env),
    sources: pick(estate.sources, at.sources),
    tables: pick(estate.tables, at.tables),
    pipelines,
    upstreamPipelines: inEstateOrder(
      estate.pipelines,
      [...upstream].flatMap((key) => at.pipelinesByKey.get(key) ?? []),
    ).filter((p) => !own.has(p.source)),
    summary: environmentSummaryHash(estate, env.name),
  };
}

/** Positions of an estate's entries, by source id (and its pipelines by key too). */
interface EntryIndex {
  readonly sources: ReadonlyMap<string, readonly number[]>;
  readonly tables: ReadonlyMap<string, readonly number[]>;
  readonly pipelines: ReadonlyMap<string, readonly number[]>;
  readonly pipelinesByKey: ReadonlyMap<string, readonly number[]>;
}

const entryIndexes = new WeakMap<Estate, EntryIndex>();

/**
 * The positions of the estate's sources, tables and pipelines by source, once per estate: a
 * shard's slice takes its own sources' entries from them instead of filtering the whole estate
 * (which, once per shard, grew with the estate squared: ~20 s of the main process at the
 * health-system preset's 222 stacks).
 */
function entriesBySource(estate: Estate): EntryIndex {
  let index = entryIndexes.get(estate);
  if (index === undefined) {
    const by = <T>(all: readonly T[], key: (x: T) => string): Map<string, number[]> => {
      const m = new Map<string, number[]>();
      all.forEach((x, i) => {
        const k = key(x);
        const list = m.get(k);
        if (list === undefined) m.set(k, [i]);
        else list.push(i);
      });
      return m;
    };
    index = {
      sources: by(estate.sources, (s) => s.id),
      tables: by(estate.tables, (t) => t.source),
      pipelines: by(estate.pipelines, (p) => p.source),
      pipelinesByKey: by(estate.pipelines, (p) => p.key),
    };
    entryIndexes.set(estate, index);
  }
  return index;
}

/** The entries of `all` at `positions`, each once, in `all`'s order (as a filter would give). */
const inEstateOrder = <T>(all: readonly T[], positions: readonly number[]): T[] =>
  [...new Set(positions)].sort((a, b) => a - b).map((i) => all[i]);

/**
 * The hash of an environment's summary (every source's id, domain, enabled and active; every
 * pipeline's key, source and enabled), computed once per estate and environment: every shard's
 * slice holds it.
 */
const environmentSummaryHash = perEnvironment((estate, env): string => {
  const eff = effectiveEstate(estate, env);
  const activeSources = new Set(eff.tables.filter((t) => t.enabled).map((t) => t.source));
  return sha256(
    canonicalJson({
      sources: eff.sources.map((s) => ({
        id: s.id,
        domain: s.domain,
        enabled: s.enabled,
        active: s.enabled && activeSources.has(s.id),
      })),
      pipelines: eff.pipelines.map((p) => ({ key: p.key, source: p.source, enabled: p.enabled })),
    }),
  );
});

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

const entryHashes = new WeakMap<object, string>();

/** The hash of one config entry (a source, table, pipeline…), once per entry object. */
function entryHash(entry: object): string {
  let h = entryHashes.get(entry);
  if (h === undefined) {
    h = sha256(canonicalJson(entry));
    entryHashes.set(entry, h);
  }
  return h;
}

const tableHashes = new WeakMap<object, string>();

/**
 * The hash of a table of `estate`: its content digest (its file's path and bytes, its source
 * and key: see @hdp/config's table-digests.ts) when `byFile`, else its {@link entryHash}. The
 * digest is a sha256 of another text than any entry's JSON: the two never meet by chance.
 */
function tableHash(estate: Estate, table: Table, byFile: boolean): string {
  if (!byFile) return entryHash(table);
  let h = tableHashes.get(table);
  if (h === undefined) {
    h = tableDigest(estate, table);
    if (h === undefined) throw new Error(`no digest for table ${table.key}`);
    tableHashes.set(table, h);
  }
  return h;
}

/**
 * How {@link sliceHash} hashes tables. `files`: by their content digests, when the estate has
 * them (its load hashed every file: a load with a cache), else by their loaded form; `entries`:
 * always by their loaded form (two estates compared with each other, of which one may have no
 * digests, are hashed alike). Hashing the loaded form of every table is ~5 s at the
 * health-system preset; the digests were computed by the load.
 */
export type TableHashing = "files" | "entries";

/**
 * The hash of a stack's slice. Entries are hashed one by one (and each only once per estate:
 * a table is in its shard's slice and in its core's), then the slice's shape with their hashes.
 * Equal hashes (of one way of hashing tables), equal slices.
 */
export function sliceHash(estate: Estate, name: string, tables: TableHashing = "files"): string {
  const byFile = tables === "files" && hasTableDigests(estate);
  const slice = stackSlice(estate, name) as Record<string, unknown>;
  const hashed: Record<string, unknown> = { tableHashing: byFile ? "files" : "entries" };
  for (const [k, v] of Object.entries(slice)) {
    hashed[k] =
      k === "tables"
        ? (v as Table[]).map((t) => tableHash(estate, t, byFile))
        : Array.isArray(v)
          ? (v as unknown[]).map((e) => (typeof e === "object" && e !== null ? entryHash(e) : e))
          : v;
  }
  return sha256(canonicalJson(hashed));
}

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
  perEnvironment,
  type Environment,
  type Estate,
  type StackSpec,
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
  const pipelines = estate.pipelines.filter((p) => own.has(p.source));
  const upstream = new Set(pipelines.flatMap((p) => p.dependsOn));
  return {
    kind: "shard",
    stack: spec,
    platform: estate.platform,
    environment: withoutStackContents(env),
    sources: estate.sources.filter((s) => own.has(s.id)),
    tables: estate.tables.filter((t) => own.has(t.source)),
    pipelines,
    upstreamPipelines: estate.pipelines.filter((p) => !own.has(p.source) && upstream.has(p.key)),
    summary: environmentSummaryHash(estate, env.name),
  };
}

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

/** The hash of a stack's slice. */
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

/**
 * The hash of a stack's slice. Entries are hashed one by one (and each only once per estate:
 * a table is in its shard's slice and in its core's), then the slice's shape with their hashes.
 */
export function sliceHash(estate: Estate, name: string): string {
  const slice = stackSlice(estate, name) as Record<string, unknown>;
  const hashed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(slice)) {
    hashed[k] = Array.isArray(v)
      ? (v as unknown[]).map((e) => (typeof e === "object" && e !== null ? entryHash(e) : e))
      : v;
  }
  return sha256(canonicalJson(hashed));
}

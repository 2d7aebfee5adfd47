/**
 * Plans a set of stacks of one revision: cores before their shards (a shard's StackReference
 * reads its core's exports), everything else in parallel on the worker pool, one environment
 * after another (a worker then holds one environment's memoized plan at a time), largest first
 * within it; each stack served from the cache when its key is known. A planned stack's cache
 * entry is written by the process that planned it (see `plan-job.ts`); its inventory is read
 * back from the cache only when asked for.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { estimateStackResources, writeAtomically, type Estate } from "@hdp/config";
import type { PlanCache } from "./cache";
import { canonicalJson } from "../inventory/canonical-json";
import { plannerHash } from "../revisions/code-hash";
import { INVENTORY_FORMAT, type StackSummary } from "../inventory/inventory";
import type { WorkerPool } from "./pool";
import type { CacheTarget } from "./plan-job";
import type { StackOutputs } from "@hdp/recorder";
import type { Revision } from "../revisions/revision";
import { stackPolicyContext, stackPolicyKey, type PolicyFinding } from "../policy/policy";
import type { PolicyContext } from "@hdp/policy";
import { findStack, sha256, sliceHash } from "../revisions/slices";
import { pruneSliceFiles, touchSliceFile } from "./slice-files";

/** The result of one stack of one revision. */
export type StackResult =
  | {
      readonly ok: true;
      readonly stack: string;
      readonly revision: string;
      readonly summary: StackSummary;
      readonly exports: StackOutputs;
      /** Policy findings; undefined when the stack was not evaluated (other revisions). */
      readonly policy: readonly PolicyFinding[] | undefined;
      /** The rendered inventory entry (read from the cache on demand). */
      readonly json: () => string;
      readonly cached: boolean;
      readonly durationMs: number;
    }
  | {
      readonly ok: false;
      readonly stack: string;
      readonly revision: string;
      readonly messages: readonly string[];
      readonly cached: false;
      readonly durationMs: number;
    };

/** Progress of a plan, for a terminal display or CI log lines. */
export type PlanEvent =
  | { readonly kind: "queued"; readonly revision: string; readonly stacks: readonly string[] }
  /** A stack's job handed to a worker (jobs planned in this process have none). */
  | { readonly kind: "started"; readonly revision: string; readonly stack: string }
  | { readonly kind: "progress"; readonly stack: string; readonly recorded: number }
  | {
      readonly kind: "done";
      readonly revision: string;
      readonly stack: string;
      readonly ok: boolean;
      readonly cached: boolean;
      readonly resources: number;
      readonly durationMs: number;
    };

export interface ScheduleContext {
  readonly pool: WorkerPool;
  readonly cache: PlanCache | undefined;
  readonly project: string;
  readonly organization: string;
  readonly fast: boolean;
  readonly onEvent: (e: PlanEvent) => void;
  /**
   * Cache keys this plan uses, by stack (hits and entries written): pruning spares them, so an
   * inventory read later is still there.
   */
  readonly usedKeys?: Map<string, Set<string>>;
}

/** The core stack a stack reads, or undefined. */
export function coreOf(estate: Estate, stack: string): string | undefined {
  const found = findStack(estate, stack);
  if (found === undefined || found.spec.shard === undefined || found.spec.shard === "core") {
    return undefined;
  }
  return found.env.stacks.find((s) => s.shard === "core")?.name;
}

/** A stable hash of a stack's exports as its shards see them. */
export const exportsHash = (e: StackOutputs): string =>
  sha256(canonicalJson({ outputs: e.outputs, secret: [...(e.secretOutputNames ?? [])].sort() }));

/**
 * The order stacks are handed to workers: one environment after another (in the estate's
 * order), its core (or the unsharded stack) first, then its shards largest first. Each stack's
 * place is its priority in the pool's queue; a shard enters the queue only once its core is
 * planned, so a worker with nothing of the current environment ready takes the next one's core.
 */
export function stackOrder(
  estate: Estate,
  stacks: Iterable<string>,
  // @hdp/config's estimate, the one `hdp simulate estate` sizes shards with.
  weight: ReadonlyMap<string, number> = estimateStackResources(estate, stacks),
): string[] {
  const envIndex = new Map(estate.environments.map((e, i) => [e.name, i]));
  const key = (s: string): [number, number, number] => {
    const found = findStack(estate, s);
    if (found === undefined) return [Infinity, 1, 0];
    const first = found.spec.shard === undefined || found.spec.shard === "core" ? 0 : 1;
    return [envIndex.get(found.env.name) ?? Infinity, first, -(weight.get(s) as number)];
  };
  const keys = new Map([...weight.keys()].map((s) => [s, key(s)]));
  return [...weight.keys()].sort((a, b) => {
    const x = keys.get(a) as [number, number, number];
    const y = keys.get(b) as [number, number, number];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || (a < b ? -1 : 1);
  });
}

/** Numbers the calls of {@link planStacks}: an earlier call's stacks go first in the queue. */
let nextBatch = 0;

/**
 * Plans `stacks` of `rev` (adding the cores they read) and returns every result by stack name,
 * cores included.
 */
export async function planStacks(
  rev: Revision,
  stacks: readonly string[],
  ctx: ScheduleContext,
  evaluatePolicy = false,
): Promise<Map<string, StackResult>> {
  const estate = rev.estate;
  const all = new Set(stacks);
  for (const s of stacks) {
    const core = coreOf(estate, s);
    if (core !== undefined) all.add(core);
  }
  const weight = estimateStackResources(estate, all);
  const ordered = stackOrder(estate, all, weight);
  const place = new Map(ordered.map((s, i) => [s, i]));
  const first = ordered[0];
  // Stacks of a revision planned after those of one asked for before it (the head before a base).
  const batch = nextBatch++;
  ctx.onEvent({ kind: "queued", revision: rev.label, stacks: ordered });
  const estateId = sha256(`${rev.label}\0${rev.configsDir}\0${rev.codeHash}`);
  const slices = sliceHashes(rev, ctx.cache);
  // A tree never planned with this cache (no slice hashes kept for it) plans its cores on the
  // workers — and a cold plan's were started while the configs loaded, and wait: the estate goes
  // to them now, and they deserialize it while the first job's key is prepared here. (A plan
  // mostly served from the cache sends no estate; no-op when no worker is started.)
  if (slices.fresh) await ctx.pool.offer(estateId, estate);
  // The other workers start now too (the configs are loaded: they no longer slow the load), so
  // the next core finds one ready; started only where workers were started ahead, and after the
  // offer (a worker still loading the program reads no message: the offer would wait for it).
  if (slices.fresh && ctx.pool.running > 0) ctx.pool.prestart(rev.programModule);
  const results = new Map<string, Promise<StackResult>>();

  // What a stack's cache key takes besides its core's exports (the slice hash, the policy
  // context), once per stack: prepared in the background while the cores plan (see below), so a
  // shard is queued as soon as its core is planned instead of after every shard's hashing.
  interface Prepared {
    readonly policy: PolicyContext | undefined;
    readonly keyParts: readonly (string | number)[];
  }
  const prepared = new Map<string, Prepared>();
  const prepare = (stack: string, environment: string): Prepared => {
    let p = prepared.get(stack);
    if (p === undefined) {
      const policy = evaluatePolicy ? stackPolicyContext(estate, environment, stack) : undefined;
      p = {
        policy,
        // No cache, no key: the slices are not hashed (seconds at the preset).
        keyParts:
          ctx.cache === undefined
            ? []
            : [
                policy !== undefined ? stackPolicyKey(estate, environment, stack) : "no-policy",
                INVENTORY_FORMAT,
                plannerHash(),
                rev.codeHash,
                ctx.project,
                ctx.organization,
                stack,
                slices.get(stack),
              ],
      };
      prepared.set(stack, p);
    }
    return p;
  };

  const run = async (stack: string): Promise<StackResult> => {
    const found = findStack(estate, stack);
    if (found === undefined) throw new Error(`unknown stack "${stack}"`);
    const { env, spec } = found;
    const coreName = coreOf(estate, stack);
    let stackOutputs: Record<string, StackOutputs> = {};
    let coreKey = "";
    if (coreName !== undefined) {
      const core = await (results.get(coreName) as Promise<StackResult>);
      if (!core.ok) {
        return {
          ok: false,
          stack,
          revision: rev.label,
          messages: [`not planned: its core stack ${coreName} failed`],
          cached: false,
          durationMs: 0,
        };
      }
      stackOutputs = { [`${ctx.organization}/${ctx.project}/${coreName}`]: core.exports };
      coreKey = exportsHash(core.exports);
    }
    const cache = ctx.cache;
    const submit = (policy: PolicyContext | undefined, target: CacheTarget | undefined) =>
      ctx.pool.run({
        estateId,
        estate,
        job: {
          programModule: rev.programModule,
          stack,
          environment: env.name,
          shard: spec.shard,
          resourceBudget: env.sharding.resourceBudget,
          project: ctx.project,
          organization: ctx.organization,
          stackOutputs,
          fast: ctx.fast,
          ...(policy !== undefined ? { policy } : {}),
        },
        sliceSources: spec.sources,
        ...(target !== undefined ? { cache: target } : {}),
        priority: [batch, place.get(stack) as number],
        onStart: () => ctx.onEvent({ kind: "started", revision: rev.label, stack }),
      });
    // The first stack of a tree never planned with this cache is planned at once, while its key
    // is computed here (seconds at the preset: its slice is the whole estate); it only names
    // the cache entry, which this process writes when the job is back.
    const planning =
      stack === first && slices.fresh && cache !== undefined
        ? submit(
            evaluatePolicy ? stackPolicyContext(estate, env.name, stack) : undefined,
            undefined,
          )
        : undefined;
    const { policy, keyParts } = prepare(stack, env.name);
    const key = cache === undefined ? "" : sha256([...keyParts, coreKey].join("\0"));
    if (ctx.cache !== undefined && ctx.usedKeys !== undefined) {
      const used = ctx.usedKeys.get(stack) ?? new Set<string>();
      used.add(key);
      ctx.usedKeys.set(stack, used);
    }
    const hit = planning === undefined ? ctx.cache?.get(stack, key) : undefined;
    if (hit !== undefined) {
      ctx.onEvent({
        kind: "done",
        revision: rev.label,
        stack,
        ok: true,
        cached: true,
        resources: hit.summary.resourceCount,
        durationMs: 0,
      });
      return {
        ok: true,
        stack,
        revision: rev.label,
        summary: hit.summary,
        exports: hit.exports,
        policy: hit.policy,
        json: hit.json,
        cached: true,
        durationMs: 0,
      };
    }
    const { outcome } = await (planning ??
      submit(policy, cache !== undefined ? { dir: cache.dir, key } : undefined));
    let json = outcome.ok ? outcome.json : undefined;
    if (planning !== undefined && outcome.ok && json !== undefined) {
      try {
        // The same entry the worker would have written (plan-job.ts).
        (cache as PlanCache).write(stack, key, { ...outcome, json });
        json = undefined;
      } catch {
        // Kept in hand instead: an unwritable cache only costs the next run.
      }
    }
    ctx.onEvent({
      kind: "done",
      revision: rev.label,
      stack,
      ok: outcome.ok,
      cached: false,
      resources: outcome.ok ? outcome.summary.resourceCount : 0,
      durationMs: outcome.durationMs,
    });
    if (!outcome.ok) {
      return {
        ok: false,
        stack,
        revision: rev.label,
        messages: outcome.messages,
        cached: false,
        durationMs: outcome.durationMs,
      };
    }
    // The planning process (or this one) wrote the entry (json undefined), or there is no
    // cache, or it could not be written (a read-only checkout, a full disk: that only costs the
    // next run).
    const inHand = json;
    return {
      ok: true,
      stack,
      revision: rev.label,
      summary: outcome.summary,
      exports: outcome.exports,
      policy: outcome.policy,
      json: inHand !== undefined ? () => inHand : () => (cache as PlanCache).inventory(stack, key),
      cached: false,
      durationMs: outcome.durationMs,
    };
  };

  // Cores first: their promises must exist before the shards that await them start. Only the
  // first stack's key is prepared now, and its job handed to a worker already started (see
  // `WorkerPool.run`); every other stack's on a later turn of the event loop (a core's takes
  // seconds at the preset: its environment's policy context, the whole estate's slice).
  const cores = ordered.filter((s) => findStack(estate, s)?.spec.shard === "core");
  for (const s of [...cores, ...ordered.filter((x) => !cores.includes(x))]) {
    results.set(s, s === first ? run(s) : nextTurn().then(() => run(s)));
  }
  // Cache hits settle at once; start (and load the program in) a worker per stack still to plan
  // — or, when what is left is small, plan it in this process (the pool's auto mode).
  const settled = new Set<string>();
  for (const [s, p] of results) void p.then(() => settled.add(s));
  // After the turns on which the other cores are prepared (queued before this one).
  await nextTurn();
  const toPlan = [...results.keys()].filter((s) => !settled.has(s));
  const work = toPlan.reduce((n, s) => n + (weight.get(s) as number), 0);
  ctx.pool.warm(rev.programModule, toPlan.length, work);
  // Stacks still waiting for their core: their keys' parts now, one per turn of the event loop
  // (the workers' messages go between), in the order they will be planned.
  const preparing = (async () => {
    for (const s of ordered) {
      if (settled.has(s) || prepared.has(s)) continue;
      await nextTurn();
      const found = findStack(estate, s);
      try {
        if (found !== undefined && !prepared.has(s)) prepare(s, found.env.name);
      } catch {
        // The stack's own run asks again and fails there, where its failure belongs.
      }
    }
  })();
  const out = new Map<string, StackResult>();
  for (const [s, p] of results) out.set(s, await p);
  await preparing;
  slices.save();
  return out;
}

/** Resolves on the next turn of the event loop (after I/O: a worker's messages, a transfer). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The stacks' slice hashes, kept in the plan cache under the tree's content digest and the
 * code (equal digests and code, equal estates, so equal slices): hashing every slice of a
 * 500,000-resource estate costs seconds, and an unchanged tree needs none of it again.
 */
function sliceHashes(
  rev: Revision,
  cache: PlanCache | undefined,
): { readonly fresh: boolean; get(stack: string): string; save(): void } {
  const file =
    cache === undefined || rev.treeDigest === undefined
      ? undefined
      : join(
          cache.dir,
          ".slices",
          `${sha256(`${plannerHash()}\0${rev.codeHash}\0${rev.treeDigest}`)}.json`,
        );
  let known: Record<string, string> = {};
  if (file !== undefined) {
    try {
      known = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
      touchSliceFile(file);
    } catch {
      known = {}; // none yet, or damaged: computed afresh
    }
  }
  let added = false;
  return {
    // Only with a file to keep them in (a tree loaded through the cache): else nothing tells.
    fresh: file !== undefined && Object.keys(known).length === 0,
    get(stack) {
      let h = Object.hasOwn(known, stack) ? known[stack] : undefined;
      if (typeof h !== "string") {
        h = safeSliceHash(rev.estate, stack);
        known[stack] = h;
        added = true;
      }
      return h;
    },
    save() {
      if (file === undefined || !added) return;
      if (!writeAtomically(file, JSON.stringify(known))) return;
      // The few most recently used trees' are kept: other checkouts share this cache.
      pruneSliceFiles(file);
    },
  };
}

/** The slice hash, or the whole estate's when the slice cannot be taken (another revision's shape). */
function safeSliceHash(estate: Estate, stack: string): string {
  try {
    return sliceHash(estate, stack);
  } catch {
    return sha256(canonicalJson({ ...estate, root: "" }));
  }
}

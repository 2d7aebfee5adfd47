/**
 * `plan()`: the offline plan of one or more stacks — the program (`buildStack` of
 * @hdp/platform, the code `pulumi up` runs) under Pulumi's mock runtime, for the working tree
 * and optionally a base revision, with the diff between them, budget checks and a cache.
 */
import { availableParallelism } from "node:os";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import type { Estate } from "@hdp/config";
import * as config from "@hdp/config";
import { PlanCache } from "./run/cache";
import { diffPlans, type PlanDiff } from "./inventory/diff";
import { configChanges } from "./guard/config-changes";
import { guardChanges, type GuardReport } from "./guard/guard";
import { findingMessage } from "./report/guard-report";
import { failureOriginLine, failureOrigins } from "./report/failure-origin";
import { inventoryPieces } from "./inventory/inventory";
import { WorkerPool } from "./run/pool";
import { shouldPrestart } from "./run/prestart";
import { gitRevision, workingTree, type Revision } from "./revisions/revision";
import { changedStacks } from "./revisions/changed-since";
import { planStacks, type PlanEvent, type StackResult } from "./run/schedule";
import { policyReport, type PolicyReport } from "./policy/policy";
import { findStack } from "./revisions/slices";
import { defaultCacheDir, workspace } from "./revisions/workspace";

export { PlanConfigError } from "./revisions/revision";
export { GitError } from "./revisions/git";

/** Bad usage (unknown stack or environment, bad option): exit code 2. */
export class PlanUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanUsageError";
  }
}

/** Options of {@link plan}. */
export interface PlanOptions {
  /** The configs directory (working tree). */
  readonly configs: string;
  /** Stacks to plan by name. With `envs`, the union; neither: every stack. */
  readonly stacks?: readonly string[];
  /** Environments whose stacks to plan. */
  readonly envs?: readonly string[];
  /**
   * Worker processes; 0 plans in this process. @default one per core
   * (`os.availableParallelism()`), except that a small plan — under ~{@link IN_PROCESS_BELOW}
   * resources left to plan after the cache — runs in this process, where it finishes before
   * workers would have started
   */
  readonly jobs?: number;
  /**
   * Plan cache directory, or false for none. @default `<repo>/.hdp/cache/plan` of the configs'
   * git repository; outside any repository the user's cache directory
   * (`$XDG_CACHE_HOME/hdp/plan`, `~/.cache/hdp/plan`, `~/Library/Caches/hdp/plan` on macOS)
   */
  readonly cacheDir?: string | false;
  /** Git revision to diff against. */
  readonly base?: string;
  /** Plan only the stacks whose inputs changed since this git revision. */
  readonly changedSince?: string;
  /**
   * Module exporting `buildStack`. @default this installation's @hdp/platform — also when the
   * configs sit in another repository (even one holding a packages/platform of its own). Give
   * that repository's `packages/platform/src/index.ts` to plan with its program instead (then
   * a base revision plans with its own program at that revision).
   */
  readonly program?: string;
  /**
   * The program when this installation holds no packages/platform (an @hdp/plan installed from
   * its tarball in another repository): an installed @hdp/cli passes its own @hdp/platform.
   */
  readonly installedProgram?: string;
  /** @default "health-data-platform" */
  readonly project?: string;
  /** @default "organization" */
  readonly organization?: string;
  /** Recorder cost levers (results are identical either way). @default true */
  readonly fast?: boolean;
  /** Extra node flags for the worker processes (benchmarks compare settings with it). */
  readonly workerFlags?: readonly string[];
  /**
   * Start the workers before loading the configs (see run/prestart.ts; the output is the same
   * either way; all workers but one, leaving a core to the load); a number: how many of them.
   * @default decided per plan by `shouldPrestart`
   */
  readonly prestartWorkers?: boolean | number;
  /** Progress of the plan. */
  readonly onEvent?: (e: PlanEvent) => void;
  /** Where the program's own console output goes. @default process.stderr */
  readonly onOutput?: (text: string) => void;
}

/** A problem that makes the plan fail (exit code 1). */
export interface PlanProblem {
  readonly kind: "budget" | "program" | "destroy";
  readonly stack: string;
  readonly revision: string;
  readonly message: string;
}

/** One side of the plan: the stacks asked for, sorted by name. */
export interface RevisionPlan {
  readonly label: string;
  readonly stacks: readonly StackResult[];
}

export interface PlanStats {
  readonly stacksPlanned: number;
  readonly stacksCached: number;
  /** Resources of the working tree's planned stacks. */
  readonly resources: number;
  readonly durationMs: number;
  readonly workers: number;
  /** Peak resident memory of each worker that ran, in bytes. */
  readonly workerPeakRss: readonly number[];
  /** CPU time each worker used (user + system), in ms; empty when planning in-process. */
  readonly workerCpuMs: readonly number[];
  /** Stacks planned in the calling process (`jobs: 0`, or a small plan by default). */
  readonly stacksInProcess: number;
  /**
   * Peak resident memory of the calling process, in bytes, when it planned stacks itself
   * (`stacksInProcess > 0`; its whole peak, loaded estate included); else undefined.
   */
  readonly inProcessPeakRss: number | undefined;
}

export interface PlanResult {
  readonly project: string;
  readonly head: RevisionPlan;
  readonly base: RevisionPlan | undefined;
  readonly diff: PlanDiff | undefined;
  /** Stacks left out by `changedSince`: their inputs did not change. */
  readonly unchanged: readonly string[];
  readonly problems: readonly PlanProblem[];
  /**
   * The destructive-change guard (with a base): stateful resources and tables deleted or
   * replaced in stage/prod, blocked (each also a `destroy` problem) or allowed by config.
   */
  readonly guard: GuardReport | undefined;
  /**
   * The policy pack over the working tree's planned stacks: findings grouped per stack, how many
   * are mandatory (each fails the plan) and the relaxations in force.
   */
  readonly policy: PolicyReport;
  readonly stats: PlanStats;
  /**
   * The working tree's inventory (canonical JSON) as one string. Beyond V8's longest string
   * (~0.5–1 GB; the health-system preset's inventory is 2.46 GB) this throws: write large
   * inventories with {@link PlanResult.inventoryPieces}.
   */
  inventoryJson(): string;
  /**
   * The same bytes as {@link PlanResult.inventoryJson}, one stack entry at a time (each read
   * back from the cache when its turn comes), for writing an inventory of any size.
   */
  inventoryPieces(): Iterable<string>;
}

/**
 * Without an explicit `jobs`, a plan with fewer estimated resources left to plan (after the
 * cache) runs in the calling process: worker start-up (loading the program, ~1–2 s each)
 * costs more than planning that many resources (~0.5 ms each) — and a core and its shard run
 * one after the other anyway. Measured with `bench/plan.ts` (see the README).
 */
export const IN_PROCESS_BELOW = 6000;

/** The stacks `options` select in `estate`, validated. */
export function selectStacks(
  estate: Estate,
  options: Pick<PlanOptions, "stacks" | "envs">,
  strict = true,
): string[] {
  const allNames = estate.environments.flatMap((e) => e.stacks.map((s) => s.name));
  const envNames = estate.environments.map((e) => e.name);
  if ((options.stacks ?? []).length === 0 && (options.envs ?? []).length === 0) return allNames;
  // A stack by its name, or an environment's name for all of its stacks (@hdp/config's rule).
  const named = config.stacksNamed(estate.environments, options.stacks ?? []);
  if (strict && named.errors.length > 0) throw new PlanUsageError(named.errors.join("\n"));
  const out = new Set<string>(named.stacks);
  for (const e of options.envs ?? []) {
    const env = estate.environments.find((x) => x.name === e);
    if (env !== undefined) for (const s of env.stacks) out.add(s.name);
    else if (strict) {
      throw new PlanUsageError(`unknown environment "${e}" (environments: ${envNames.join(", ")})`);
    }
  }
  return allNames.filter((n) => out.has(n));
}

/** The parse cache of one configs directory beside the plan cache (see @hdp/config). */
const parseCacheDirOf = (cacheDir: string, configs: string): string =>
  join(cacheDir, ".configs", createHash("sha256").update(configs).digest("hex").slice(0, 16));

/** Plans the selected stacks; see {@link PlanOptions}. */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  const started = performance.now();
  const project = options.project ?? config.DEFAULT_PROJECT;
  const organization = options.organization ?? config.DEFAULT_PULUMI_ORG;
  const configs = resolve(options.configs);
  const ws = workspace(configs, options.program, options.installedProgram);
  const cacheDir = options.cacheDir ?? defaultCacheDir(ws);
  const revisions: Revision[] = [];
  // The config load's cache writes wait for the first stack a worker planned: until then this
  // thread is the plan's critical path, after it mostly idle (once; see `finally` for the rest).
  const writeConfigCaches = (): void => revisions[0]?.writeConfigCaches?.();
  const onEvent = (e: PlanEvent): void => {
    options.onEvent?.(e);
    if (e.kind === "done" && !e.cached) writeConfigCaches();
  };
  const usedKeys = new Map<string, Set<string>>();
  const poolSize = options.jobs ?? availableParallelism();
  const pool = new WorkerPool({
    size: poolSize,
    ...(options.jobs === undefined ? { inProcessBelow: IN_PROCESS_BELOW } : {}),
    onProgress: (stack, recorded) => onEvent({ kind: "progress", stack, recorded }),
    onOutput: options.onOutput ?? ((t) => process.stderr.write(t)),
    execArgv: options.workerFlags,
  });
  try {
    const parseCacheDir = cacheDir === false ? undefined : parseCacheDirOf(cacheDir, configs);
    const prestart =
      options.prestartWorkers ??
      shouldPrestart({
        jobs: options.jobs,
        narrowed: (options.stacks ?? []).length > 0 || options.changedSince !== undefined,
        configs,
        parseCacheDir,
      });
    // The workers start and load the program while this process loads the configs.
    // All but one: the load runs on one core (measured at --sources 600 on 2 cores, load ~5: one
    // worker ahead 43.4 s, two 44.8 s, none 50.6 s; two slowed the load itself most).
    if (prestart !== false) {
      pool.prestart(
        ws.programModule,
        typeof prestart === "number" ? prestart : Math.max(1, poolSize - 1),
      );
    }
    const head = workingTree(ws, configs, config, parseCacheDir);
    revisions.push(head);
    const selected = selectStacks(head.estate, options);
    const cache = cacheDir === false ? undefined : new PlanCache(cacheDir);
    const ctx = {
      pool,
      cache,
      project,
      organization,
      fast: options.fast ?? true,
      onEvent,
      usedKeys,
    };
    const other = (ref: string): Revision => {
      const found = revisions.find((r) => r.label.startsWith(`${ref} (`));
      if (found !== undefined) return found;
      const r = gitRevision(ws, ref, configs, head, config);
      revisions.push(r);
      return r;
    };

    let toPlan = selected;
    let unchanged: string[] = [];
    if (options.changedSince !== undefined) {
      const since = other(options.changedSince);
      const changed = await changedStacks(head, since, selected, ctx);
      unchanged = selected.filter((s) => !changed.has(s));
      toPlan = selected.filter((s) => changed.has(s));
    }
    const base = options.base !== undefined ? other(options.base) : undefined;
    const baseStacks =
      base === undefined
        ? []
        : options.changedSince !== undefined
          ? toPlan.filter((s) => findStack(base.estate, s) !== undefined)
          : selectStacks(base.estate, options, false);

    const [headResults, baseResults] = await Promise.all([
      planStacks(head, toPlan, ctx, true),
      base === undefined
        ? Promise.resolve(new Map<string, StackResult>())
        : planStacks(base, baseStacks, ctx),
    ]);
    const headPlan: RevisionPlan = { label: head.label, stacks: pick(headResults, toPlan) };
    const basePlan: RevisionPlan | undefined =
      base === undefined ? undefined : { label: base.label, stacks: pick(baseResults, baseStacks) };

    const problems = findProblems(head, headPlan, basePlan, base);
    const policy = policyReport(
      head.estate,
      headPlan.stacks.flatMap((r) =>
        r.ok && r.policy !== undefined
          ? [
              {
                stack: r.stack,
                environment: r.summary.environment,
                byType: r.summary.byType,
                findings: r.policy,
              },
            ]
          : [],
      ),
    );
    const diff = basePlan === undefined ? undefined : diffPlans(basePlan.stacks, headPlan.stacks);
    const guard =
      diff === undefined || base === undefined
        ? undefined
        : guardChanges(
            diff,
            head.estate,
            base.estate,
            configChanges(base.estate.root, head.estate.root),
          );
    for (const f of guard?.findings ?? []) {
      problems.push({
        kind: "destroy",
        stack: f.stack,
        revision: headPlan.label,
        message: findingMessage(f),
      });
    }
    // Old entries go now, by this process alone (workers only write), sparing this plan's.
    for (const [stack, keys] of usedKeys) {
      try {
        cache?.prune(stack, keys);
      } catch {
        // A read-only cache: nothing was written either.
      }
    }
    const everything = [...headResults.values(), ...baseResults.values()];
    return {
      project,
      head: headPlan,
      base: basePlan,
      diff,
      unchanged,
      problems,
      guard,
      policy,
      stats: {
        stacksPlanned: everything.filter((r) => !r.cached).length,
        stacksCached: everything.filter((r) => r.cached).length,
        resources: headPlan.stacks.reduce((n, r) => n + (r.ok ? r.summary.resourceCount : 0), 0),
        durationMs: Math.round(performance.now() - started),
        workers: pool.peakRss.filter((x) => x !== undefined).length,
        workerPeakRss: pool.peakRss.filter((x) => x !== undefined),
        workerCpuMs: pool.cpuMs.filter((x) => x !== undefined),
        stacksInProcess: pool.ranHere,
        inProcessPeakRss: pool.peakRssHere,
      },
      inventoryJson: () => [...inventoryPieces(project, okStacks(headPlan))].join(""),
      inventoryPieces: () => inventoryPieces(project, okStacks(headPlan)),
    };
  } finally {
    writeConfigCaches(); // when nothing was planned, or on the way out of a failure
    await pool.close();
    for (const r of revisions) r.cleanup();
  }
}

/** The stacks of a plan that have an inventory, their JSON read only when asked for. */
const okStacks = (p: RevisionPlan): { stack: string; json: () => string }[] =>
  p.stacks.flatMap((r) => (r.ok ? [{ stack: r.stack, json: r.json }] : []));

const pick = (results: Map<string, StackResult>, names: readonly string[]): StackResult[] =>
  [...names].sort().map((n) => results.get(n) as StackResult);

function findProblems(
  head: Revision,
  headPlan: RevisionPlan,
  basePlan: RevisionPlan | undefined,
  base?: Revision,
): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const plan of [headPlan, ...(basePlan === undefined ? [] : [basePlan])]) {
    for (const r of plan.stacks) {
      if (!r.ok) {
        const rev = plan === headPlan ? head : base;
        const where =
          rev === undefined
            ? undefined
            : failureOriginLine(
                failureOrigins(r.messages, rev.estate, findStack(rev.estate, r.stack)?.env.name),
              );
        problems.push({
          kind: "program",
          stack: r.stack,
          revision: plan.label,
          message: `stack ${r.stack} (${plan.label}): the program failed under mocks:\n  ${r.messages.join("\n  ")}${where === undefined ? "" : `\n  ${where}`}`,
        });
      }
    }
  }
  for (const r of headPlan.stacks) {
    if (!r.ok || r.summary.resourceCount <= r.summary.resourceBudget) continue;
    const env = head.estate.environments.find((e) => e.name === r.summary.environment);
    const where = env !== undefined ? ` (sharding.resourceBudget in ${env.origin.file})` : "";
    const n = (x: number): string => x.toLocaleString("en-US");
    problems.push({
      kind: "budget",
      stack: r.stack,
      revision: headPlan.label,
      message: `stack ${r.stack} has ${n(r.summary.resourceCount)} resources, over its budget of ${n(r.summary.resourceBudget)}${where}: move sources to another shard or raise the budget`,
    });
  }
  return problems;
}

/**
 * Plans one stack: runs the program's `buildStack` for it under the mock runtime and turns the
 * recording into the stack's inventory. Runs in a worker process or in the calling process;
 * knows nothing about scheduling or caching.
 */
import { releaseEnvironments, type Estate } from "@hdp/config";
import type { PolicyContext } from "@hdp/policy";
import type { PolicyFinding } from "../policy/policy";
import type { evaluateStack as EvaluateStack, ResourceOrigins } from "../policy/policy-eval";
import {
  renderStack,
  stackInventory,
  summarize,
  type StackInventory,
  type StackSummary,
} from "../inventory/inventory";
import {
  ProgramError,
  recordProgram,
  watchExports,
  type Levers,
  type StackOutputs,
} from "@hdp/recorder";

/** `buildStack` as @hdp/platform exports it. */
export type BuildStack = (
  estate: Estate,
  stackName: string,
  options?: { readonly pulumiOrg?: string; readonly project?: string },
) => Readonly<Record<string, unknown>> | Promise<Readonly<Record<string, unknown>>>;

/** One stack to plan. */
export interface StackJob {
  /** Absolute path of the module exporting `buildStack` (the program). */
  readonly programModule: string;
  readonly stack: string;
  readonly environment: string;
  readonly shard: string | undefined;
  readonly resourceBudget: number;
  /** Pulumi project and organization (URNs and StackReference names). */
  readonly project: string;
  readonly organization: string;
  /** Outputs of stacks this one may reference (its core), by full name. */
  readonly stackOutputs: Readonly<Record<string, StackOutputs>>;
  /** Cost levers of the recorder. @default true */
  readonly fast?: boolean | Partial<Levers>;
  /** Evaluate the policy pack with this context (the working tree's stacks); none: not evaluated. */
  readonly policy?: PolicyContext;
}

/** A planned stack: its rendered inventory entry, its counts and its resolved exports. */
export interface StackPlanned {
  readonly ok: true;
  readonly stack: string;
  /** The stack's inventory entry, canonical JSON (see `renderStack`). */
  readonly json: string;
  readonly summary: StackSummary;
  /** Exports as plain values (secrets unmasked: served to StackReferences, never printed). */
  readonly exports: StackOutputs;
  /** Policy findings, when the job asked for an evaluation. */
  readonly policy?: readonly PolicyFinding[];
  readonly durationMs: number;
}

/** A stack whose program failed. */
export interface StackFailed {
  readonly ok: false;
  readonly stack: string;
  readonly messages: readonly string[];
  readonly durationMs: number;
}

export type StackOutcome = StackPlanned | StackFailed;

/** A recorded stack: a {@link StackPlanned} whose inventory is not rendered yet. */
export type StackRecorded = Omit<StackPlanned, "json"> & { readonly inventory: StackInventory };

/** A loaded program: `buildStack`, and `resourceOrigins` when it exports one. */
export interface Program {
  readonly build: BuildStack;
  readonly origins: ResourceOrigins | undefined;
}

const programs = new Map<string, Program>();

/** Loads (once per process) the `buildStack` (and `resourceOrigins`) of a program module. */
export function loadProgram(path: string): Program {
  let program = programs.get(path);
  if (program === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program is chosen at run time (the working tree or a git revision)
    const mod = require(path) as { buildStack?: unknown; resourceOrigins?: unknown };
    if (typeof mod.buildStack !== "function") {
      throw new Error(`${path} does not export a buildStack function`);
    }
    program = {
      build: mod.buildStack as BuildStack,
      origins:
        typeof mod.resourceOrigins === "function"
          ? (mod.resourceOrigins as ResourceOrigins)
          : undefined,
    };
    programs.set(path, program);
  }
  return program;
}

/** Evaluates the pack (loaded on first use: plans of other revisions never need it). */
function evaluatePolicy(args: Parameters<typeof EvaluateStack>[0]): PolicyFinding[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: the rules load the component packages
  const { evaluateStack } = require("../policy/policy-eval") as {
    evaluateStack: typeof EvaluateStack;
  };
  return evaluateStack(args);
}

/**
 * Plans one stack. Program failures come back as a {@link StackFailed}; nothing throws.
 * `afterRelease` is called once the memos of the estate's other environments were let go (with
 * how many environments' went), before the recording: a worker collects that garbage then.
 */
export async function runStack(
  estate: Estate,
  job: StackJob,
  onProgress?: (recorded: number) => void,
  afterRelease?: (released: number) => void,
): Promise<StackOutcome> {
  const recorded = await recordStack(estate, job, onProgress, afterRelease);
  return recorded.ok ? renderRecorded(recorded) : recorded;
}

/**
 * `recorded` with its inventory rendered as text (`renderStack`), its duration counting the
 * rendering from `since`; a rendering that throws gives a failed stack (nothing throws).
 */
export function renderRecorded(
  recorded: StackRecorded,
  since: number = performance.now(),
): StackOutcome {
  const { inventory, ...planned } = recorded;
  const took = (): number => planned.durationMs + Math.round(performance.now() - since);
  try {
    return { ...planned, json: renderStack(inventory), durationMs: took() };
  } catch (e) {
    return {
      ok: false,
      stack: planned.stack,
      messages: [e instanceof Error ? e.message : String(e)],
      durationMs: took(),
    };
  }
}

/**
 * {@link runStack} without rendering the inventory: the caller renders it (as text, or as the
 * bytes of a cache entry). Nothing throws.
 */
export async function recordStack(
  estate: Estate,
  job: StackJob,
  onProgress?: (recorded: number) => void,
  afterRelease?: (released: number) => void,
): Promise<StackRecorded | StackFailed> {
  let started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const program = loadProgram(job.programModule);
    // What the program and the planner memoized for other environments of this estate (each
    // holds an effective estate) is let go: a process plans one environment after another.
    // This is the one place that does it (in a worker and in the calling process alike).
    const released = releaseEnvironments(estate, job.environment);
    afterRelease?.(released);
    // The duration is the stack's own: loading the program (once per process) is not in it.
    started = performance.now();
    let watched: ReturnType<typeof watchExports> | undefined;
    const { resources } = await recordProgram(
      async () => {
        const exports = await program.build(estate, job.stack, {
          pulumiOrg: job.organization,
          project: job.project,
        });
        watched = watchExports(exports ?? {});
      },
      {
        project: job.project,
        stack: job.stack,
        organization: job.organization,
        stackOutputs: job.stackOutputs,
        fast: job.fast ?? true,
        onProgress,
      },
    );
    const exports = watched === undefined ? { values: {}, secrets: [] } : await watched.settle();
    const inventory = stackInventory({
      stack: job.stack,
      environment: job.environment,
      shard: job.shard,
      resourceBudget: job.resourceBudget,
      resources,
      exports: exports.values,
      secretExports: exports.secrets,
    });
    const policy =
      job.policy === undefined
        ? undefined
        : evaluatePolicy({
            estate,
            stack: job.stack,
            environment: job.environment,
            resources,
            context: job.policy,
            origins: program.origins,
          });
    return {
      ok: true,
      stack: job.stack,
      inventory,
      summary: summarize(inventory),
      exports: { outputs: exports.values, secretOutputNames: exports.secrets },
      ...(policy !== undefined ? { policy } : {}),
      durationMs: elapsed(),
    };
  } catch (e) {
    const messages =
      e instanceof ProgramError ? e.messages : [e instanceof Error ? e.message : String(e)];
    return { ok: false, stack: job.stack, messages, durationMs: elapsed() };
  }
}

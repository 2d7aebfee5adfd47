/**
 * Runs a Pulumi program under the mock runtime and records every resource it registers.
 *
 * The SDK's state is global: one run at a time per process. Several runs one after another
 * are fine (each gets a fresh mock monitor). Errors thrown in `apply()` or by the mocks reach
 * the process only as unhandled rejections: they are collected and the run fails.
 *
 * Cost levers (on by default, `fast: false` turns them off; results are the same byte for
 * byte, which the tests check): `Error.stackTraceLimit = 0` while the program runs (the SDK
 * captures stack traces for several promises per output), the SDK's promise-leak debugging
 * wrapper bypassed, the mock monitor's fast path (see `monitor.ts`), and register requests that
 * keep their inputs as plain values (see `lazy-struct.ts`), resources' property Outputs built
 * when first read (see `lazy-outputs.ts`), plain-data inputs serialized synchronously (see
 * `sync-serialize.ts`), plain inputs recorded and handed to the mock without copies equal
 * to them (`sharedInputs`, see `monitor.ts`), and no dependency walk for a property that depends
 * on no resource (see `empty-dependencies.ts`).
 */
import type * as Pulumi from "@pulumi/pulumi";
import { mockCallResult, mockResourceState, type MockContext } from "./mock-state";
import type * as Monitor from "./monitor";
import type * as LazyStructs from "./lazy-struct";
import type * as LazyOutputs from "./lazy-outputs";
import type * as SyncSerialize from "./sync-serialize";
import type * as EmptyDependencies from "./empty-dependencies";
import type { RecordedResource } from "./monitor";

// Loaded on first use, so that importing this package (for its types, marks and mocks, as the
// planner's door does) does not load the SDK.
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading, typed by the imports above */
const sdk = (): typeof Pulumi => require("@pulumi/pulumi") as typeof Pulumi;
const monitorHooks = (): typeof Monitor => require("./monitor") as typeof Monitor;
const lazyStructs = (): typeof LazyStructs => require("./lazy-struct") as typeof LazyStructs;
const lazyOutputs = (): typeof LazyOutputs => require("./lazy-outputs") as typeof LazyOutputs;
const syncSerialize = (): typeof SyncSerialize =>
  require("./sync-serialize") as typeof SyncSerialize;
const emptyDependencies = (): typeof EmptyDependencies =>
  require("./empty-dependencies") as typeof EmptyDependencies;
/* eslint-enable @typescript-eslint/no-require-imports */

export type { RecordedResource } from "./monitor";

/** Outputs of another stack, as a `StackReference` to it sees them. */
export interface StackOutputs {
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Names of the outputs that are secrets. */
  readonly secretOutputNames?: readonly string[];
}

/** Options for {@link recordProgram}. */
export interface RecordOptions {
  /** @default "hdp" */
  readonly project?: string;
  /** @default "test" */
  readonly stack?: string;
  /** Pulumi organization (part of StackReference names). @default "organization" */
  readonly organization?: string;
  /**
   * What a `StackReference` to another stack sees, by the stack's full name
   * (`<org>/<project>/<stack>`). A stack not listed has no outputs (`requireOutput` fails).
   */
  readonly stackOutputs?: Readonly<Record<string, StackOutputs>>;
  /** The cost levers (see the module comment): all, none, or some. @default true */
  readonly fast?: boolean | Partial<Levers>;
  /** Called every `progressEvery` recorded resources with the count so far. */
  readonly onProgress?: (recorded: number) => void;
  /** @default 250 */
  readonly progressEvery?: number;
}

/** The recorder's cost levers, each of which leaves the recording unchanged. */
export interface Levers {
  /**
   * `Error.stackTraceLimit = 0` while the program runs, and no call stack captured per resource
   * for its source position (`Resource.callsites`).
   */
  readonly noStackTraces: boolean;
  /** Bypass the SDK's promise-leak debugging wrapper. */
  readonly noPromiseDebugging: boolean;
  /** The mock monitor's fast path (no protobuf round trip of responses). */
  readonly fastMonitor: boolean;
  /** Register requests keep their inputs as plain values (no protobuf Struct; `lazy-struct.ts`). */
  readonly lazyRequests: boolean;
  /** A resource's property Outputs built when first read, not all at construction (`lazy-outputs.ts`). */
  readonly lazyOutputs: boolean;
  /**
   * Inputs that are plain data (no Output, Promise, resource, asset or unknown inside)
   * serialized synchronously, the rest by the SDK (`sync-serialize.ts`).
   */
  readonly syncSerialize: boolean;
  /**
   * Register requests whose inputs are plain JSON recorded and handed to the mock without the
   * two copies equal to them (`isPlainWire` in `values.ts`, `sharedInputs` in `monitor.ts`).
   */
  readonly sharedInputs: boolean;
  /**
   * No dependency walk (`getAllTransitivelyReferencedResourceURNs`) for a property that depends
   * on no resource: an empty Set at once (`empty-dependencies.ts`).
   */
  readonly emptyDependencies: boolean;
}

/** The levers `fast` selects: `true` all of them, `false` none, an object those set to true. */
export function leversOf(fast: boolean | Partial<Levers> | undefined): Levers {
  if (typeof fast === "object") {
    return {
      noStackTraces: fast.noStackTraces === true,
      noPromiseDebugging: fast.noPromiseDebugging === true,
      fastMonitor: fast.fastMonitor === true,
      lazyRequests: fast.lazyRequests === true,
      lazyOutputs: fast.lazyOutputs === true,
      syncSerialize: fast.syncSerialize === true,
      sharedInputs: fast.sharedInputs === true,
      emptyDependencies: fast.emptyDependencies === true,
    };
  }
  const on = fast ?? true;
  return {
    noStackTraces: on,
    noPromiseDebugging: on,
    fastMonitor: on,
    lazyRequests: on,
    lazyOutputs: on,
    syncSerialize: on,
    sharedInputs: on,
    emptyDependencies: on,
  };
}

/** What {@link recordProgram} returns. */
export interface Recording<T> {
  /** Every resource, in the order its registration completed. */
  readonly resources: readonly RecordedResource[];
  /** What the program returned. */
  readonly result: T;
}

/** Thrown when the program fails under mocks; `messages` holds every error collected. */
export class ProgramError extends Error {
  constructor(readonly messages: readonly string[]) {
    super(`the program failed under mocks:\n${messages.join("\n")}`);
    this.name = "ProgramError";
  }
}

interface DebuggableModule {
  debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
}

/**
 * Bypasses the SDK's promise-leak debugging wrapper (an internal: it tags every promise with a
 * stack trace and tracks it in a set). Returns the function that restores it.
 */
function bypassPromiseDebugging(): () => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an SDK internal, no types
  const mod = require("@pulumi/pulumi/runtime/debuggable") as Partial<DebuggableModule>;
  const original = mod.debuggablePromise;
  if (typeof original !== "function") {
    throw new Error(
      "@hdp/recorder: @pulumi/pulumi/runtime/debuggable has no debuggablePromise; the SDK changed shape",
    );
  }
  mod.debuggablePromise = <T>(p: Promise<T>) => p;
  return () => {
    mod.debuggablePromise = original;
  };
}

/**
 * Stops the SDK from capturing each resource's call stack (`Resource.callsites()` raises
 * `Error.stackTraceLimit` to Infinity and parses a full `new Error().stack`, source-mapped
 * under tsx, for the source position it sends the engine; the mocks never use it). Returns
 * the function that restores it.
 */
function skipCallsites(): () => void {
  const resource = sdk().Resource as unknown as { callsites?: () => unknown[] };
  const original = resource.callsites;
  if (typeof original !== "function") {
    throw new Error("@hdp/recorder: pulumi.Resource has no callsites(); the SDK changed shape");
  }
  resource.callsites = () => [];
  return () => {
    resource.callsites = original;
  };
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs `program` under fresh mocks (realistic ids and ARNs, see `mock-state.ts`) and returns
 * every resource it registered or read, once all registrations have settled.
 */
export async function recordProgram<T>(
  program: () => T | Promise<T>,
  options: RecordOptions = {},
): Promise<Recording<T>> {
  const project = options.project ?? "hdp";
  const stack = options.stack ?? "test";
  const levers = leversOf(options.fast);
  const every = options.progressEvery ?? 250;
  const failures: string[] = [];
  const resources: RecordedResource[] = [];
  const seen = new Set<string>();
  const pulumi = sdk();
  const hooks: typeof Monitor = monitorHooks();

  const refs = Object.entries(options.stackOutputs ?? {});
  const context: MockContext = {
    stackOutputs: Object.fromEntries(refs.map(([k, v]) => [k, v.outputs])),
    secretOutputNames: Object.fromEntries(refs.map(([k, v]) => [k, v.secretOutputNames ?? []])),
  };
  const newResource = (args: {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
  }): { id: string | undefined; state: Record<string, unknown> } =>
    mockResourceState(args.type, args.name, args.inputs, context);

  await pulumi.runtime.setMocks(
    {
      newResource,
      call: (args) => mockCallResult(args.token, args.inputs as Record<string, unknown>),
    },
    project,
    stack,
    false,
    options.organization ?? "organization",
  );
  const monitor: unknown = pulumi.runtime.getMonitor();
  hooks.assertMockMonitor(monitor);
  hooks.hookMonitor(monitor, {
    stack,
    project,
    fast: levers.fastMonitor,
    sharedInputs: levers.sharedInputs,
    newResource,
    onRecord: (r) => {
      if (seen.has(r.urn)) {
        failures.push(
          `duplicate URN ${r.urn}: two resources with the same type and name under the same parent`,
        );
      }
      seen.add(r.urn);
      resources.push(r);
      if (options.onProgress !== undefined && resources.length % every === 0) {
        options.onProgress(resources.length);
      }
    },
  });

  const onRejection = (reason: unknown): void => {
    failures.push(messageOf(reason));
  };
  process.on("unhandledRejection", onRejection);
  const stackTraceLimit = Error.stackTraceLimit;
  // What undoes each installed lever; a lever whose SDK internal changed shape throws while
  // installing, and the ones installed before it are undone too.
  const restores: (() => void)[] = [];
  try {
    if (levers.noPromiseDebugging) restores.push(bypassPromiseDebugging());
    if (levers.noStackTraces) restores.push(skipCallsites());
    if (levers.lazyRequests) restores.push(lazyStructs().deferRequestStructs());
    if (levers.lazyOutputs) restores.push(lazyOutputs().deferPropertyOutputs());
    if (levers.syncSerialize) restores.push(syncSerialize().serializePlainInputsSynchronously());
    if (levers.emptyDependencies) restores.push(emptyDependencies().shortcutEmptyDependencies());
    if (levers.noStackTraces) Error.stackTraceLimit = 0;
    let result: T;
    try {
      result = await program();
    } catch (e) {
      failures.push(messageOf(e));
      result = undefined as T;
    }
    await pulumi.runtime.disconnect();
    // Let rejections raised during the final drain reach the handler.
    await new Promise((resolve) => setImmediate(resolve));
    if (failures.length > 0) throw new ProgramError(failures);
    options.onProgress?.(resources.length);
    return { resources, result };
  } finally {
    for (const restore of restores.reverse()) restore();
    Error.stackTraceLimit = stackTraceLimit;
    process.off("unhandledRejection", onRejection);
  }
}

/** An export's plain value and whether it is secret, after the run settled. */
export interface ResolvedExports {
  readonly values: Record<string, unknown>;
  readonly secrets: readonly string[];
}

/**
 * Starts resolving a stack's exports (Outputs, nested Outputs or plain values). Call before the
 * run settles (inside the program); `settle()` after `recordProgram` returned gives the values.
 */
export function watchExports(exports: Readonly<Record<string, unknown>>): {
  settle(): Promise<ResolvedExports>;
} {
  const values: Record<string, unknown> = {};
  const secret: Record<string, boolean> = {};
  const resolved = new Set<string>();
  const keys = Object.keys(exports).sort();
  const pulumi = sdk();
  for (const k of keys) {
    const o: Pulumi.Output<unknown> = pulumi.output(exports[k]);
    o.apply((v) => {
      values[k] = v;
      resolved.add(k);
      return v;
    });
    pulumi.isSecret(o).then(
      (s) => {
        secret[k] = s;
      },
      () => undefined,
    );
  }
  return {
    settle: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      const missing = keys.filter((k) => !resolved.has(k));
      if (missing.length > 0)
        throw new ProgramError(missing.map((k) => `export ${k} never resolved`));
      return { values, secrets: keys.filter((k) => secret[k] === true) };
    },
  };
}

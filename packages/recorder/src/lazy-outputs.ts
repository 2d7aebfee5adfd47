/**
 * A cost lever: the SDK gives every custom resource one `Output` per declared property the
 * moment it is constructed (`transferProperties` of `runtime/rpc.js`: four pending promises, an
 * `Output` that chains ~8 more on them, and the closures resolving them), for every property of
 * the provider's schema — a Databricks job declares ~60, a bucket ~30. A program reads a few of
 * them (`arn`, `id`, `name`); the rest are built, resolved when the registration answers, and
 * collected. While the lever is on, each property is an accessor that builds the SDK's own
 * `Output` on first read, and then replaces itself with a plain data property holding it (as the
 * SDK's assignment would have left it):
 *
 * - read before the registration answered: the same pending promises the SDK makes, resolved by
 *   the same resolver when it answers;
 * - read after: promises already settled with the values the resolver received;
 * - never read: no `Output` at all.
 *
 * What the engine receives (inputs, dependencies, options, URNs) does not go through these
 * Outputs, so it cannot change; what a program reads is the same Output, with the same value,
 * known and secret flags and resources. A registration error rejects every property's promises
 * as the SDK does (each property's Output is built then, so the failure surfaces the same way).
 *
 * Touches an SDK internal (`transferProperties`, which `runtime/resource.js` calls through the
 * module's exports): checked before use.
 */

interface RpcModule {
  transferProperties: (onto: object, label: string, props: Record<string, unknown>) => Resolvers;
}
type Resolver = (
  v: unknown,
  isKnown: boolean,
  isSecret: boolean,
  deps?: unknown[],
  err?: Error,
) => void;
type Resolvers = Record<string, Resolver>;

interface DebuggableModule {
  debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
  debugPromiseLeaks: boolean;
}
interface ErrorsModule {
  isGrpcError(err: Error): boolean;
}

/** The parts of the SDK's `output.js` used here (`OutputToStringError` is internal). */
interface OutputModule {
  Output: OutputClass & { isInstance(v: unknown): boolean };
  OutputToStringError: { isInstance(v: unknown): boolean };
}

type OutputClass = new (
  resources: unknown,
  promise: Promise<unknown>,
  isKnown: Promise<boolean>,
  isSecret: Promise<boolean>,
  allResources: Promise<unknown>,
) => unknown;

/** `${v}` as the SDK's `safeToString` spells a property for its promise labels. */
function safeToString(v: unknown, output: OutputModule): string {
  if (output.Output.isInstance(v)) return "Output<T>";
  try {
    return `${String(v)}`;
  } catch (err) {
    if (output.OutputToStringError.isInstance(err)) return "Output<T>";
    throw err;
  }
}

interface Settlers {
  resolve: [(v: unknown) => void, (v: boolean) => void, (v: boolean) => void, (v: unknown) => void];
  reject: ((e: unknown) => void)[];
}

/** Where a property's registration stands, and its answer's flags: bits of one small integer. */
const PENDING = 0;
const RESOLVED = 1;
const FAILED = 2;
const KNOWN = 4;
const SECRET = 8;

/** One property of one resource: its Output, built on first read. */
class LazyProperty {
  /**
   * What the registration answered, until the Output is built: most properties are never read,
   * so their answer stays in these fields (no object per property per resource). `state` is
   * PENDING, RESOLVED (with KNOWN and SECRET bits) or FAILED (`v` then holds the error); `deps`
   * stays undefined when the SDK passed none (its resolver's default, `[]`, is made when built).
   */
  private state = PENDING;
  private v: unknown;
  private deps: unknown[] | undefined;
  private settlers: Settlers | undefined;
  private out: unknown;
  private built = false;

  constructor(
    private readonly onto: object,
    private readonly key: string,
    private readonly label: string,
    private readonly input: unknown,
    private readonly sdk: Sdk,
  ) {}

  /** The property's Output (built now if it was not yet). */
  output(): unknown {
    if (!this.built) this.build();
    this.assign(this.out);
    return this.out;
  }

  /** Replaces the accessor by a data property, as the SDK's `onto[k] = …` leaves it. */
  assign(value: unknown): void {
    this.built = true;
    this.out = value;
    Object.defineProperty(this.onto, this.key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }

  private build(): void {
    const { Output, debuggable, output } = this.sdk;
    const propString = safeToString(this.input, output);
    const ctx = (what: string): string => `${what}(${this.label}, ${this.key}, ${propString})`;
    let promises: [Promise<unknown>, Promise<boolean>, Promise<boolean>, Promise<unknown>];
    const state = this.state;
    if (state === PENDING) {
      const resolve = [] as unknown as Settlers["resolve"];
      const reject: Settlers["reject"] = [];
      const pending = <T>(i: number): Promise<T> =>
        new Promise<T>((res, rej) => {
          resolve[i] = res as (v: unknown) => void;
          reject[i] = rej;
        });
      promises = [pending(0), pending(1), pending(2), pending(3)];
      this.settlers = { resolve, reject };
    } else if (state === FAILED) {
      const err = this.v as Error;
      promises = [
        Promise.reject(err),
        Promise.reject(err),
        Promise.reject(err),
        Promise.reject(err),
      ];
    } else {
      promises = [
        Promise.resolve(this.v),
        Promise.resolve((state & KNOWN) !== 0),
        Promise.resolve((state & SECRET) !== 0),
        Promise.resolve(this.deps === undefined ? [] : this.deps),
      ];
      this.v = undefined;
      this.deps = undefined;
    }
    this.built = true;
    this.out = new Output(
      this.onto,
      debuggable.debuggablePromise(promises[0], ctx("transferProperty")),
      debuggable.debuggablePromise(promises[1], ctx("transferIsStable")),
      debuggable.debuggablePromise(promises[2], ctx("transferIsSecret")),
      debuggable.debuggablePromise(promises[3], ctx("transferDeps")),
    );
  }

  /** The resolver the SDK calls once the registration answered (`transferProperties`' own). */
  settle(v: unknown, isKnown: boolean, isSecret: boolean, deps?: unknown[], err?: Error): void {
    if (err) {
      if (this.sdk.errors.isGrpcError(err)) {
        if (this.sdk.debuggable.debugPromiseLeaks) {
          console.error("info: skipped rejection in transferProperties");
        }
        return;
      }
      // Built now if nobody read it, so the rejection surfaces as the SDK's Output's would.
      if (!this.built) {
        this.build();
        this.assign(this.out);
      }
      const settlers = this.settlers;
      if (settlers !== undefined) for (const r of settlers.reject) r(err);
      else {
        this.state = FAILED;
        this.v = err;
      }
      return;
    }
    const settlers = this.settlers;
    if (settlers !== undefined) {
      settlers.resolve[0](v);
      settlers.resolve[1](isKnown);
      settlers.resolve[2](isSecret);
      settlers.resolve[3](deps === undefined ? [] : deps);
      this.settlers = undefined;
    } else {
      this.state = RESOLVED | (isKnown ? KNOWN : 0) | (isSecret ? SECRET : 0);
      this.v = v;
      this.deps = deps;
    }
  }
}

const CELLS = Symbol("hdp.lazyOutputs");
type WithCells = { readonly [CELLS]: Record<string, LazyProperty> };

// eslint-disable-next-line @typescript-eslint/unbound-method -- bound to each property's cell
const settle = LazyProperty.prototype.settle;

/** One accessor pair per property name, shared by every resource (found through `this`). */
const accessors = new Map<string, PropertyDescriptor>();
function accessorOf(key: string): PropertyDescriptor {
  let d = accessors.get(key);
  if (d === undefined) {
    d = {
      get(this: WithCells): unknown {
        return this[CELLS][key].output();
      },
      set(this: WithCells, value: unknown): void {
        this[CELLS][key].assign(value);
      },
      enumerable: true,
      configurable: true,
    };
    accessors.set(key, d);
  }
  return d;
}

interface Sdk {
  readonly Output: OutputClass;
  readonly output: OutputModule;
  readonly debuggable: DebuggableModule;
  readonly errors: ErrorsModule;
}

/**
 * Installs the lever on the SDK's `transferProperties`; returns the function that removes it.
 */
export function deferPropertyOutputs(): () => void {
  /* eslint-disable @typescript-eslint/no-require-imports -- SDK internals, no types */
  const rpc = require("@pulumi/pulumi/runtime/rpc") as Partial<RpcModule>;
  const output = require("@pulumi/pulumi/output") as Partial<OutputModule>;
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Partial<DebuggableModule>;
  const errors = require("@pulumi/pulumi/errors") as Partial<ErrorsModule>;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const original = rpc.transferProperties;
  if (
    typeof original !== "function" ||
    original.length !== 3 ||
    typeof output.Output !== "function" ||
    typeof output.Output.isInstance !== "function" ||
    typeof output.OutputToStringError?.isInstance !== "function" ||
    typeof debuggable.debuggablePromise !== "function" ||
    typeof errors.isGrpcError !== "function"
  ) {
    throw new Error(
      "@hdp/recorder: the SDK's transferProperties (runtime/rpc), Output, debuggablePromise or isGrpcError changed shape; update packages/recorder/src/lazy-outputs.ts",
    );
  }
  const sdk: Sdk = {
    Output: output.Output,
    output: output as OutputModule,
    debuggable: debuggable as DebuggableModule,
    errors: errors as ErrorsModule,
  };
  rpc.transferProperties = (onto, label, props) => {
    const resolvers: Resolvers = {};
    let cells: Record<string, LazyProperty> | undefined;
    for (const k of Object.keys(props)) {
      // "id" and "urn" are the SDK's own (resolved separately).
      if (k === "id" || k === "urn") continue;
      if (Object.prototype.hasOwnProperty.call(onto, k)) {
        throw new Error(`Property '${k}' is already initialized on target '${label}`);
      }
      if (cells === undefined) {
        cells = Object.create(null) as Record<string, LazyProperty>;
        Object.defineProperty(onto, CELLS, { value: cells });
      }
      const p = new LazyProperty(onto, k, label, props[k], sdk);
      cells[k] = p;
      // Bound, not a closure per property: this runs for every property of every resource.
      resolvers[k] = settle.bind(p);
      Object.defineProperty(onto, k, accessorOf(k));
    }
    return resolvers;
  };
  return () => {
    rpc.transferProperties = original;
  };
}

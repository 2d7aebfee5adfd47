/**
 * Hooks into the SDK's mock monitor (`pulumi.runtime.setMocks`) to record every registration.
 *
 * The monitor is an SDK internal: every method and request getter used here is checked, and a
 * changed shape fails loudly instead of recording nothing. Two paths:
 * - `sdk`: the SDK's own `registerResource`, wrapped to capture the request;
 * - `fast`: the same steps without the protobuf round trip of the response (the SDK only calls
 *   `toJavaScript()` on it) and with the output state serialized synchronously when it is plain
 *   data. Keys come back sorted as the protobuf Struct would sort them, so outputs are equal.
 * Both give URNs as the engine does (every ancestor's type; see `urn.ts`).
 */
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { engineUrn, providerRefUrn } from "./urn";
import { isPlainWire, recordInputs, serializePlainState } from "./values";

/** One registered or read resource, as recorded. URNs are engine URNs. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent resource; undefined at the top of the program. */
  readonly parent: string | undefined;
  /** False for component resources. */
  readonly custom: boolean;
  /** True for resources read rather than managed (`StackReference`, `X.get`). */
  readonly read: boolean;
  /** Inputs as sent to the engine: secrets masked, assets and resource references spelled out. */
  readonly inputs: Record<string, unknown>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: readonly string[];
  /** URNs this resource depends on, explicitly (`dependsOn`) or through its inputs, sorted. */
  readonly dependencies: readonly string[];
  /** The dependencies no input implies: the explicit `dependsOn`, sorted. */
  readonly dependsOn: readonly string[];
  /** URN of the explicit provider, if any. */
  readonly provider: string | undefined;
  /** The explicit provider as the engine references it (`<provider URN>::<id>`), if any. */
  readonly providerRef: string | undefined;
}

/** What a mock returns for a new resource (as `pulumi.runtime.Mocks#newResource`). */
export type NewResource = (args: {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  provider?: string;
  custom?: boolean;
  id?: string;
}) => { id: string | undefined; state: Record<string, unknown> };

interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface PropertyDependencies {
  getUrnsList(): string[];
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): Struct;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean | undefined;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getProvider(): string;
  getImportid(): string;
  getPropertydependenciesMap(): { forEach(f: (v: PropertyDependencies) => void): void };
}
interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProperties(): Struct;
  getDependenciesList(): string[];
  getProvider(): string;
}
interface UrnResponse {
  getUrn(): string;
}
type Callback<R> = (err: unknown, res?: R) => void;
interface RegisteredState {
  urn: string;
  id: string | null;
  state: unknown;
}

/** The parts of the SDK's MockMonitor this module relies on. */
export interface MockMonitorLike {
  resources: Map<string, RegisteredState>;
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: Callback<unknown>): unknown;
  readResource(req: ReadRequest, callback: Callback<UrnResponse>): unknown;
}

/** Fails loudly when the SDK's mock monitor no longer has the shape this module hooks into. */
export function assertMockMonitor(monitor: unknown): asserts monitor is MockMonitorLike {
  const m = monitor as Partial<MockMonitorLike> | undefined;
  const missing = [
    typeof m?.registerResource !== "function" && "registerResource",
    typeof m?.readResource !== "function" && "readResource",
    typeof m?.newUrn !== "function" && "newUrn",
    !(m?.resources instanceof Map) && "resources",
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new Error(
      `@hdp/recorder: the SDK's mock monitor changed shape (missing ${missing.join(", ")}); update packages/recorder/src/monitor.ts`,
    );
  }
}

export interface HookOptions {
  readonly stack: string;
  readonly project: string;
  readonly fast: boolean;
  /**
   * The `sharedInputs` lever: a register request whose serialized inputs are plain JSON (see
   * `isPlainWire`) is recorded as it is and handed to the mock as it is (on the `fast` path),
   * instead of a recorded copy and a deserialized copy equal to it. Mocks never modify inputs.
   */
  readonly sharedInputs: boolean;
  readonly newResource: NewResource;
  /** Called with every recorded resource, in completion order. */
  readonly onRecord: (r: RecordedResource) => void;
}

/** Installs the recording hooks on a fresh mock monitor. */
export function hookMonitor(monitor: MockMonitorLike, o: HookOptions): void {
  monitor.newUrn = (parent, type, name) => engineUrn(o.stack, o.project, parent, type, name);

  const sdkRegister = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    const serialized = req.getObject().toJavaScript();
    const shared = o.sharedInputs && isPlainWire(serialized);
    const base = describeRegistration(req, shared ? serialized : recordInputs(serialized));
    const done = recordWhenDone(o, base, callback);
    if (!o.fast) return sdkRegister(req, done as Callback<unknown>);
    return fastRegister(monitor, o, req, serialized, shared, done, sdkRegister);
  };

  const sdkRead = monitor.readResource.bind(monitor);
  monitor.readResource = (req, callback) => {
    const serialized = req.getProperties().toJavaScript();
    const base: Omit<RecordedResource, "urn"> = {
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || undefined,
      custom: true,
      read: true,
      inputs: recordInputs(serialized),
      protect: false,
      retainOnDelete: false,
      deleteBeforeReplace: false,
      ignoreChanges: [],
      dependencies: [...req.getDependenciesList()].sort(),
      dependsOn: [...req.getDependenciesList()].sort(),
      provider: providerRefUrn(req.getProvider()),
      providerRef: req.getProvider() || undefined,
    };
    return sdkRead(req, (err, res) => {
      if (!err && res !== undefined) o.onRecord({ ...base, urn: res.getUrn() });
      callback(err, res);
    });
  };
}

/**
 * The callback that records a registration once it answered, then answers the SDK. (A function
 * returned, not a named closure: under tsx every named closure costs a `name` definition.)
 */
function recordWhenDone(
  o: HookOptions,
  base: Omit<RecordedResource, "urn">,
  callback: Callback<unknown>,
): Callback<UrnResponse> {
  return (err, res) => {
    if (!err && res !== undefined) o.onRecord({ ...base, urn: res.getUrn() });
    callback(err, res);
  };
}

function describeRegistration(
  req: RegisterRequest,
  inputs: Record<string, unknown>,
): Omit<RecordedResource, "urn"> {
  const dependencies = [...req.getDependenciesList()].sort();
  const implied = new Set<string>();
  req.getPropertydependenciesMap().forEach((deps) => {
    for (const u of deps.getUrnsList()) implied.add(u);
  });
  return {
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent() || undefined,
    custom: req.getCustom(),
    read: false,
    inputs,
    protect: req.getProtect() ?? false,
    retainOnDelete: req.getRetainondelete() ?? false,
    deleteBeforeReplace: req.getDeletebeforereplace() ?? false,
    ignoreChanges: [...req.getIgnorechangesList()],
    dependencies,
    dependsOn: dependencies.filter((u) => !implied.has(u)),
    provider: providerRefUrn(req.getProvider()),
    providerRef: req.getProvider() || undefined,
  };
}

/** The response's `getObject()`: the output state, already as `toJavaScript()` returns it. */
class PlainStruct {
  constructor(private readonly state: Record<string, unknown>) {}
  toJavaScript(): Record<string, unknown> {
    return this.state;
  }
}

/** The response the SDK reads (the getters of its `RegisterResourceResponse`). */
class FastResponse {
  private readonly object: PlainStruct;
  constructor(
    private readonly urn: string,
    private readonly id: string,
    state: Record<string, unknown>,
  ) {
    this.object = new PlainStruct(state);
  }
  getUrn(): string {
    return this.urn;
  }
  getId(): string {
    return this.id;
  }
  getObject(): PlainStruct {
    return this.object;
  }
  getPropertydependenciesMap(): undefined {
    return undefined;
  }
  getResult(): number {
    return 0;
  }
}

/**
 * The SDK's MockMonitor.registerResource, minus the response's protobuf round trip. When the
 * mock's state is not plain data, hands the request to the SDK's own path (`sdkRegister`): the
 * mock is a pure function, so calling it twice is harmless.
 */
function fastRegister(
  monitor: MockMonitorLike,
  o: HookOptions,
  req: RegisterRequest,
  serialized: Record<string, unknown>,
  shared: boolean,
  callback: Callback<UrnResponse>,
  sdkRegister: MockMonitorLike["registerResource"],
): void {
  // The SDK's monitor answers after an `await`: keep answering asynchronously.
  queueMicrotask(() => {
    try {
      let inputs: Record<string, unknown>;
      if (shared) inputs = serialized;
      else {
        inputs = {};
        for (const k of Object.keys(serialized)) {
          if (serialized[k] !== undefined) inputs[k] = rpc.deserializeProperty(serialized[k]);
        }
      }
      const result = o.newResource({
        type: req.getType(),
        name: req.getName(),
        inputs,
        provider: req.getProvider(),
        custom: req.getCustom(),
        id: req.getImportid(),
      });
      const state = serializePlainState(result.state);
      if (state === undefined) {
        sdkRegister(req, callback as Callback<unknown>);
        return;
      }
      const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
      monitor.resources.set(urn, { urn, id: result.id ?? null, state });
      callback(null, new FastResponse(urn, result.id || "", state));
    } catch (err) {
      callback(err, undefined);
    }
  });
}

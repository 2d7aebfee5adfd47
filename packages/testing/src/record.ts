/**
 * Runs a Pulumi program under the mock runtime and records every resource it registers:
 * type, logical name, URN, parent, inputs and the options that matter for review
 * (protect, retainOnDelete, dependsOn, ignoreChanges, deleteBeforeReplace).
 *
 * The mock monitor's `registerResource` calls `mocks.newResource` synchronously, so wrapping it
 * lets us pair the request (parent, options) with the deserialized inputs. That is an SDK
 * internal: {@link record} fails loudly when its shape changes.
 */
import * as pulumi from "@pulumi/pulumi";
import { mockCallResult, mockResourceState, type MockContext } from "./mock-state";

/** One registered resource, as recorded under mocks. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** URN of the parent resource; undefined at the top of the program. */
  readonly parent: string | undefined;
  readonly custom: boolean;
  /**
   * The explicit provider of a custom resource, as a reference `<provider URN>::<id>`;
   * undefined for components and for resources left to a default provider.
   */
  readonly provider: string | undefined;
  readonly inputs: Record<string, unknown>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  /** URNs this resource depends on explicitly (`dependsOn`) or through its inputs. */
  readonly dependencies: readonly string[];
  readonly ignoreChanges: readonly string[];
}

/** Options for {@link record}. */
export interface RecordOptions extends MockContext {
  /** @default "hdp" */
  readonly project?: string;
  /** @default "test" */
  readonly stack?: string;
  /** What `pulumi.getOrganization()` returns. @default "organization" (as on a DIY backend) */
  readonly organization?: string;
}

/** What {@link record} returns: the resources in registration order and the program's result. */
export interface Recording<T> {
  readonly resources: readonly RecordedResource[];
  readonly result: T;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean | undefined;
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
}

/** A `ReadResourceRequest`: how a `pulumi.StackReference` (and `Resource.get`) registers. */
interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
}

interface RegisterResponse {
  getUrn(): string;
}

type Callback = (err: unknown, res?: RegisterResponse) => void;

interface MonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): unknown;
  readResource(req: ReadRequest, callback: Callback): unknown;
}

/**
 * Runs `program` under fresh mocks and returns every resource it registered, once all
 * registrations have settled. Errors thrown inside `apply()` or by the mocks reach the process
 * only as unhandled rejections; they are collected here and rethrown.
 */
export async function record<T>(
  program: () => T | Promise<T>,
  options: RecordOptions = {},
): Promise<Recording<T>> {
  const resources: RecordedResource[] = [];
  let pending: Omit<RecordedResource, "urn" | "inputs"> | undefined;
  let captured: RecordedResource | undefined;
  const takeCaptured = (): RecordedResource | undefined => captured;

  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (pending === undefined) {
          throw new Error(
            "@hdp/testing: newResource called outside registerResource/readResource; the SDK's mock monitor changed shape",
          );
        }
        captured = { ...pending, urn: "", inputs: args.inputs as Record<string, unknown> };
        pending = undefined;
        return mockResourceState(args.type, args.name, args.inputs as Record<string, unknown>, {
          ...(options.stackOutputs !== undefined ? { stackOutputs: options.stackOutputs } : {}),
        });
      },
      call: (args) => mockCallResult(args.token, args.inputs as Record<string, unknown>),
    },
    options.project ?? "hdp",
    options.stack ?? "test",
    false,
    options.organization ?? "organization",
  );

  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike | undefined;
  if (monitor === undefined || typeof monitor.registerResource !== "function") {
    throw new Error(
      "@hdp/testing: the mock monitor has no registerResource; the SDK changed shape",
    );
  }
  /** Wraps one monitor method so each request is recorded with the inputs newResource saw. */
  const wrap = <R>(
    call: (req: R, callback: Callback) => unknown,
    describe: (req: R) => Omit<RecordedResource, "urn" | "inputs">,
  ) => {
    return (req: R, callback: Callback): unknown => {
      pending = describe(req);
      captured = undefined;
      const result = call(req, (err, res) => {
        if (!err && res !== undefined && entry !== undefined) {
          resources.push({ ...entry, urn: res.getUrn() });
        }
        callback(err, res);
      });
      // newResource ran synchronously inside call(): read what it captured.
      const entry = takeCaptured();
      if (entry === undefined) {
        throw new Error(
          "@hdp/testing: the mock monitor did not call newResource synchronously; the SDK changed shape",
        );
      }
      return result;
    };
  };
  monitor.registerResource = wrap(monitor.registerResource.bind(monitor), (req) => ({
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent() || undefined,
    custom: req.getCustom(),
    provider: req.getProvider() || undefined,
    protect: req.getProtect() ?? false,
    retainOnDelete: req.getRetainondelete() ?? false,
    deleteBeforeReplace: req.getDeletebeforereplace() ?? false,
    dependencies: [...req.getDependenciesList()].sort(),
    ignoreChanges: [...req.getIgnorechangesList()],
  }));
  if (typeof monitor.readResource !== "function") {
    throw new Error("@hdp/testing: the mock monitor has no readResource; the SDK changed shape");
  }
  // Reads (StackReference, Resource.get) are recorded too, as custom resources without options.
  monitor.readResource = wrap(monitor.readResource.bind(monitor), (req) => ({
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent() || undefined,
    custom: true,
    provider: req.getProvider() || undefined,
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    dependencies: [...req.getDependenciesList()].sort(),
    ignoreChanges: [],
  }));

  const failures: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    failures.push(reason);
  };
  process.on("unhandledRejection", onRejection);
  try {
    const result = await program();
    await pulumi.runtime.disconnect();
    // Let rejections raised during the final drain reach the handler.
    await new Promise((resolve) => setImmediate(resolve));
    if (failures.length > 0) {
      const messages = failures.map((f) => (f instanceof Error ? f.message : String(f)));
      throw new Error(`the program failed under mocks:\n${messages.join("\n")}`);
    }
    return { resources, result };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

/** Resources of one type, in registration order. */
export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

/** The one resource with this type and logical name; throws when there is none or several. */
export function findResource(
  resources: readonly RecordedResource[],
  type: string,
  name: string,
): RecordedResource {
  const found = resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    const names = ofType(resources, type).map((r) => r.name);
    throw new Error(
      `expected one ${type} named ${name}, found ${found.length} (have: ${names.join(", ")})`,
    );
  }
  return found[0];
}

/** Resolves an Output (or plain value) to its value under mocks, for assertions. */
export function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}

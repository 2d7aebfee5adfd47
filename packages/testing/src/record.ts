/**
 * Runs a Pulumi program under the mock runtime and records every resource it registers:
 * type, logical name, URN, parent, inputs and the options that matter for review
 * (protect, retainOnDelete, dependsOn, ignoreChanges, deleteBeforeReplace).
 *
 * The recorder is @hdp/plan's (the offline plan records programs the same way): this module
 * keeps the test-facing API. URNs are the engine's (every ancestor's type in the qualified type);
 * secret inputs are recorded as "[secret]".
 */
import * as pulumi from "@pulumi/pulumi";
import { recordProgram, type MockContext } from "@hdp/recorder";

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
export interface RecordOptions extends Pick<MockContext, "stackOutputs"> {
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

/**
 * Runs `program` under fresh mocks and returns every resource it registered, once all
 * registrations have settled. Errors thrown inside `apply()` or by the mocks reach the process
 * only as unhandled rejections; they are collected and rethrown.
 */
export async function record<T>(
  program: () => T | Promise<T>,
  options: RecordOptions = {},
): Promise<Recording<T>> {
  const { resources, result } = await recordProgram(program, {
    project: options.project ?? "hdp",
    stack: options.stack ?? "test",
    organization: options.organization ?? "organization",
    stackOutputs: Object.fromEntries(
      Object.entries(options.stackOutputs ?? {}).map(([k, outputs]) => [k, { outputs }]),
    ),
  });
  return {
    result,
    resources: resources.map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      parent: r.parent,
      custom: r.custom,
      provider: r.providerRef,
      inputs: r.inputs,
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
      deleteBeforeReplace: r.deleteBeforeReplace,
      dependencies: r.dependencies,
      ignoreChanges: r.ignoreChanges,
    })),
  };
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

/** Shared helpers of the platform's tests: the small base estate and recording a stack of it. */
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadEstateOrThrow, type Estate } from "@hdp/config";
import { record, valueOf, type RecordedResource } from "@hdp/testing";
import { buildStack, type BuildOptions } from "../build-stack";
import { allStacks } from "../stacks";

/** test/fixtures/base: two domains (clinical, workforce), sources lab and payroll, dev and sharded prod. */
export const BASE_TREE = join(__dirname, "..", "..", "..", "..", "test", "fixtures", "base");

let cached: Estate | undefined;
/** The base estate (loaded once). */
export function baseEstate(): Estate {
  cached ??= loadEstateOrThrow(BASE_TREE);
  return cached;
}

/** One recorded stack: its resources and resolved exports. */
export interface RecordedStack {
  readonly resources: readonly RecordedResource[];
  readonly exports: Record<string, unknown>;
}

/** Full name of a stack as StackReferences name it (the defaults of {@link BuildOptions}). */
export const refName = (stack: string): string => `organization/health-data-platform/${stack}`;

/**
 * Records one stack; `stackOutputs` serves core stacks' exports to shards. Stack traces are off
 * while recording (they are most of the mock runtime's cost, and nothing here reads them).
 */
export async function recordStack(
  estate: Estate,
  stack: string,
  stackOutputs: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
  options: BuildOptions = {},
): Promise<RecordedStack> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const { resources, result } = await record(() => buildStack(estate, stack, options), {
      project: "health-data-platform",
      stack,
      stackOutputs,
    });
    const exports = (await valueOf(pulumi.output(result))) as Record<string, unknown>;
    return { resources, exports };
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Records every stack of the estate, cores first, serving each core's exports to its shards. */
export async function recordAll(estate: Estate): Promise<Map<string, RecordedStack>> {
  const out = new Map<string, RecordedStack>();
  const cores: Record<string, Record<string, unknown>> = {};
  const stacks = allStacks(estate);
  const ordered = [
    ...stacks.filter((s) => s.shard === "core"),
    ...stacks.filter((s) => s.shard !== "core"),
  ];
  for (const s of ordered) {
    const recorded = await recordStack(estate, s.name, cores);
    if (s.shard === "core") cores[refName(s.name)] = recorded.exports;
    out.set(s.name, recorded);
  }
  return out;
}

/**
 * The URN the engine gives a resource: the types of all its ancestors joined with `$` (the mock
 * monitor puts only the parent's type in it).
 */
export function engineUrns(resources: readonly RecordedResource[]): string[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources.map((r) => {
    const types: string[] = [r.type];
    for (let p = r.parent; p !== undefined; p = byUrn.get(p)?.parent) {
      const parent = byUrn.get(p);
      if (parent === undefined) throw new Error(`${r.urn}: parent ${p} was not recorded`);
      types.unshift(parent.type);
    }
    const [, stack, project] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(r.urn) ?? [];
    return `urn:pulumi:${stack}::${project}::${types.join("$")}::${r.name}`;
  });
}

/** Types of stateful resources: they must be protected and retained where the environment says so. */
export const STATEFUL_TYPES = [
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "aws:mwaa/environment:Environment",
  "databricks:index/catalog:Catalog",
  "databricks:index/schema:Schema",
  "databricks:index/storageCredential:StorageCredential",
  "databricks:index/externalLocation:ExternalLocation",
] as const;

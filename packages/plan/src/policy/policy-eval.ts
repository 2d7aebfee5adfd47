/**
 * The policy pack over one stack's recording, in the process that recorded it (a worker): the
 * pack's own policies through `evaluate()` of @hdp/policy (the functions `pulumi preview
 * --policy-pack` calls), each finding tied to the config entry behind its resource. Loaded only
 * where a stack is evaluated: it brings in the rules and the component packages they read.
 */
import type { Estate, Origin } from "@hdp/config";
import { evaluate, policyNamed, type EvaluatedResource, type PolicyContext } from "@hdp/policy";
import type { PolicyFinding } from "./policy";
import type { RecordedResource } from "@hdp/recorder";
import { UNKNOWN_MARK } from "@hdp/recorder";

/** The program's map from resources to config entries (`resourceOrigins` of @hdp/platform). */
export type ResourceOrigins = (
  estate: Estate,
  stack: string,
  resources: readonly RecordedResource[],
) => ReadonlyMap<string, Origin>;

/** Evaluates the pack over a stack's recording with `context`. */
export function evaluateStack(args: {
  readonly estate: Estate;
  readonly stack: string;
  readonly environment: string;
  readonly resources: readonly RecordedResource[];
  readonly context: PolicyContext;
  readonly origins: ResourceOrigins | undefined;
}): PolicyFinding[] {
  const evaluated: EvaluatedResource[] = args.resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent ?? null,
    read: r.read,
    inputs: r.inputs,
    protect: r.protect,
    ignoreChanges: r.ignoreChanges,
    deleteBeforeReplace: r.deleteBeforeReplace,
    dependencies: r.dependencies,
    dependsOn: r.dependsOn,
    provider: r.providerRef ?? r.provider ?? null,
  }));
  const results = evaluate(evaluated, args.context, { unknownValue: UNKNOWN_MARK });
  if (results.length === 0) return [];
  const envOrigin = args.estate.environments.find((e) => e.name === args.environment)?.origin;
  const origins = args.origins?.(args.estate, args.stack, args.resources);
  return results.map((r) => ({
    ...r,
    stack: args.stack,
    environment: args.environment,
    description: policyNamed(r.rule).description ?? "",
    origin: (r.urn !== undefined ? origins?.get(r.urn) : undefined) ?? envOrigin,
  }));
}

/**
 * Which stack holds what. An unsharded environment is one stack named after it; a sharded one is
 * `<env>-core` (shared objects) plus `<env>-<shard>` stacks (per-source objects) that read the
 * core's exports through one StackReference.
 */
import { CORE_SHARD, type Estate, type StackSpec } from "@hdp/config";

export type { StackSpec };

/**
 * What a stack creates: `all` (unsharded: shared and per-source objects), `core` (the shared
 * objects of a sharded environment) or `shard` (per-source objects, shared ones by reference).
 */
export type StackRole = "all" | "core" | "shard";

/** Every stack of the estate, in environment order. */
export function allStacks(estate: Estate): StackSpec[] {
  return estate.environments.flatMap((e) => e.stacks);
}

/** The stack named `stackName`; throws listing the valid names when there is none. */
export function stackSpec(estate: Estate, stackName: string): StackSpec {
  const all = allStacks(estate);
  const found = all.find((s) => s.name === stackName);
  if (found === undefined) {
    const names = all.map((s) => s.name);
    throw new Error(
      `unknown stack "${stackName}": the estate has the stacks ${names.length > 0 ? names.join(", ") : "(none)"}`,
    );
  }
  return found;
}

/** `<env>-core` when the environment is sharded, else undefined. Throws on an unknown environment. */
export function coreStackName(estate: Estate, env: string): string | undefined {
  const environment = estate.environments.find((e) => e.name === env);
  if (environment === undefined) {
    throw new Error(
      `unknown environment "${env}" (have: ${estate.environments.map((e) => e.name).join(", ")})`,
    );
  }
  return environment.stacks.find((s) => s.shard === CORE_SHARD)?.name;
}

/** What the stack creates (see {@link StackRole}). */
export function stackRole(spec: StackSpec): StackRole {
  if (spec.shard === undefined) return "all";
  return spec.shard === CORE_SHARD ? "core" : "shard";
}

/** The fully qualified name a StackReference takes: `<org>/<project>/<stack>`. */
export function stackReferenceName(org: string, project: string, stack: string): string {
  return `${org}/${project}/${stack}`;
}

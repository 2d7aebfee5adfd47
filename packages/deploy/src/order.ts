/**
 * Deploy order: an environment's stacks as a dependency graph. A sharded environment's shards
 * read the core's outputs through a `StackReference`, so each shard depends on the core; an
 * unsharded environment is one stack. Pure.
 */
import { CORE_SHARD, didYouMean, stacksNamed, type Estate } from "@hdp/config";

export interface StackNode {
  readonly name: string;
  readonly environment: string;
  /** Stacks that must have deployed (in this run) before this one starts. */
  readonly dependsOn: readonly string[];
}

/** A bad `--env` or `--stack`: a usage error. */
export class DeployUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeployUsageError";
  }
}

/**
 * The stacks of `env` in deploy order (core first, then the shards in config order), limited to
 * `only` when given. Dependencies on stacks left out are dropped: they are not redeployed.
 */
export function deployGraph(
  estate: Estate,
  env: string,
  only?: readonly string[],
): readonly StackNode[] {
  const environment = estate.environments.find((e) => e.name === env);
  if (environment === undefined) {
    const names = estate.environments.map((e) => e.name);
    throw new DeployUsageError(
      `unknown environment "${env}"${didYouMean(env, names)} (environments: ${names.join(", ")})`,
    );
  }
  // A stack by its name, or the environment's name for all of its stacks (as `hdp plan` takes them).
  const named = stacksNamed([environment], only ?? [], env);
  if (named.errors.length > 0) throw new DeployUsageError(named.errors.join("\n"));
  const selected = new Set(
    only !== undefined && only.length > 0 ? named.stacks : environment.stacks.map((s) => s.name),
  );
  const core = environment.stacks.find((s) => s.shard === CORE_SHARD)?.name;
  const ordered = [...environment.stacks].sort(
    (a, b) => Number(b.shard === CORE_SHARD) - Number(a.shard === CORE_SHARD),
  );
  return ordered
    .filter((s) => selected.has(s.name))
    .map((s) => ({
      name: s.name,
      environment: env,
      dependsOn:
        core !== undefined && s.name !== core && selected.has(core) ? [core] : ([] as string[]),
    }));
}

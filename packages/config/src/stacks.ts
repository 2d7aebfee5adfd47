/** Stacks of an environment: one, or a core stack plus one per shard. */
import type { Environment, Source, StackSpec } from "./estate";
import { didYouMean } from "./suggest";

/** The shard of shared objects (keys, buckets, MWAA, catalogs) in a sharded environment. */
export const CORE_SHARD = "core";

/**
 * Unsharded: one stack named after the environment holding every source. Sharded: `<env>-core`
 * with the shared objects, and `<env>-<shard>` with the sources of its domains, except sources
 * explicitly moved to another shard.
 */
export function buildStacks(
  env: Omit<Environment, "stacks">,
  sources: readonly Source[],
): StackSpec[] {
  const ids = sources.map((s) => s.id).sort();
  if (env.sharding.shards.length === 0) {
    return [{ name: env.name, environment: env.name, shard: undefined, sources: ids }];
  }
  const moved = new Map<string, string>();
  for (const sh of env.sharding.shards) for (const s of sh.sources) moved.set(s, sh.id);
  const domainShard = new Map<string, string>();
  for (const sh of env.sharding.shards) for (const d of sh.domains) domainShard.set(d, sh.id);
  const shardOf = (s: Source): string | undefined => moved.get(s.id) ?? domainShard.get(s.domain);
  const stacks: StackSpec[] = [
    { name: `${env.name}-${CORE_SHARD}`, environment: env.name, shard: CORE_SHARD, sources: [] },
  ];
  for (const sh of env.sharding.shards) {
    stacks.push({
      name: `${env.name}-${sh.id}`,
      environment: env.name,
      shard: sh.id,
      sources: sources
        .filter((s) => shardOf(s) === sh.id)
        .map((s) => s.id)
        .sort(),
    });
  }
  return stacks;
}

/** Stack names listed in an error at most; past that, the environments and a count. */
const LISTED_STACKS = 12;

/** What {@link stacksNamed} found: the stacks selected (in estate order), and one error per bad name. */
export interface StacksNamed {
  readonly stacks: string[];
  readonly errors: string[];
}

/**
 * The stacks that `names` (`--stack`) select among `environments`: a stack by its name, and
 * every stack of an environment by the environment's name (`dev` of a sharded estate is
 * `dev-core`, `dev-clinical`, …; unsharded, `dev` is its one stack either way). An unknown name
 * is an error suggesting the closest stack or environment and listing the stacks when they are
 * few, else the environments and how many stacks there are (the health-system preset has 222).
 * `scope` names the one environment `environments` holds, when the caller chose it (`--env`).
 */
export function stacksNamed(
  environments: readonly Pick<Environment, "name" | "stacks">[],
  names: readonly string[],
  scope?: string,
): StacksNamed {
  const all = environments.flatMap((e) => e.stacks.map((s) => s.name));
  const envs = environments.map((e) => e.name);
  const selected = new Set<string>();
  const errors: string[] = [];
  for (const n of names) {
    const env = environments.find((e) => e.name === n);
    if (all.includes(n)) selected.add(n);
    else if (env !== undefined) for (const s of env.stacks) selected.add(s.name);
    else {
      const what =
        scope === undefined
          ? `unknown stack "${n}"`
          : `stack "${n}" is not in environment "${scope}"`;
      const listing =
        all.length <= LISTED_STACKS
          ? `stacks: ${all.join(", ")}`
          : scope === undefined
            ? `${all.length} stacks; an environment's name selects all of its stacks: ${envs.join(", ")}`
            : `${all.length} stacks: ${all.slice(0, 3).join(", ")}, …; "${scope}" selects them all`;
      errors.push(`${what}${didYouMean(n, [...envs, ...all])} (${listing})`);
    }
  }
  return { stacks: all.filter((s) => selected.has(s)), errors };
}

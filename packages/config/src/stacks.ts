/** Stacks of an environment: one, or a core stack plus one per shard. */
import type { Environment, Source, StackSpec } from "./estate";

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

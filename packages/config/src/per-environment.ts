/**
 * Memoizing what is derived from one environment of an estate. An estate is immutable (its
 * types are readonly all the way down), so a value computed from `(estate, environment)` can be
 * kept for as long as the estate lives: the planner asks for the same environment once per stack.
 * A process that plans one environment after another (a plan worker) lets go of the environments
 * it is done with ({@link releaseEnvironments}): each one's memos hold its whole effective estate.
 */
import type { Estate } from "./estate";

/** Every memo {@link perEnvironment} made (they live as long as their modules). */
const memos = new Set<WeakMap<Estate, Map<string, unknown>>>();

/** `compute`, remembered per estate (weakly) and environment name. */
export function perEnvironment<T>(
  compute: (estate: Estate, environment: string) => T,
): (estate: Estate, environment: string) => T {
  const cache = new WeakMap<Estate, Map<string, T>>();
  memos.add(cache);
  return (estate, environment) => {
    let byEnv = cache.get(estate);
    if (byEnv === undefined) {
      byEnv = new Map();
      cache.set(estate, byEnv);
    }
    if (!byEnv.has(environment)) byEnv.set(environment, compute(estate, environment));
    return byEnv.get(environment) as T;
  };
}

/**
 * Forgets what every {@link perEnvironment} memo holds for `estate`'s environments other than
 * `keep` (they are computed again if asked for). Returns how many memoized values it dropped.
 */
export function releaseEnvironments(estate: Estate, keep: string): number {
  let dropped = 0;
  for (const cache of memos) {
    const byEnv = cache.get(estate);
    if (byEnv === undefined) continue;
    for (const env of [...byEnv.keys()]) {
      if (env === keep) continue;
      byEnv.delete(env);
      dropped += 1;
    }
  }
  return dropped;
}

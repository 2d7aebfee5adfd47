/**
 * Memoizing what is derived from one environment of an estate. An estate is immutable (its
 * types are readonly all the way down), so a value computed from `(estate, environment)` can be
 * kept for as long as the estate lives: the planner asks for the same environment once per stack.
 */
import type { Estate } from "./estate";

/** `compute`, remembered per estate (weakly) and environment name. */
export function perEnvironment<T>(
  compute: (estate: Estate, environment: string) => T,
): (estate: Estate, environment: string) => T {
  const cache = new WeakMap<Estate, Map<string, T>>();
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

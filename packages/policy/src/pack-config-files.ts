/**
 * The committed `--policy-pack-config` files, one per environment of the estate:
 * `packages/policy/config/<env>.json`. Regenerate them after changing an environment's
 * enforcement, relaxations or anything else they carry (a test fails while they are stale).
 */
import type { Estate } from "@hdp/config";
import { contextFromEstate, policyPackConfig } from "./pack-config";

/** File name → JSON text (two-space indent, trailing newline) for every environment. */
export function packConfigFiles(estate: Estate): Record<string, string> {
  return Object.fromEntries(
    estate.environments
      .map((e) => e.name)
      .sort()
      .map((env) => [
        `${env}.json`,
        `${JSON.stringify(policyPackConfig(contextFromEstate(estate, env)), null, 2)}\n`,
      ]),
  );
}

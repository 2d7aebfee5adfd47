/**
 * The policy context from the estate's config, and the `--policy-pack-config` file `pulumi
 * preview` takes: per policy its `enforcementLevel` (the environment's `enforcement`) and the
 * config keys it reads. `hdp plan` passes the same context to `evaluate`, so both run the rules
 * with the same values.
 */
import { configFor, type PolicyContext } from "./context";
import { enforcementOf, type HdpPolicy } from "./define";
import { policies as allPolicies } from "./policies";

export { contextFromEstate, type EstateContextOptions } from "./estate-context";

/** One policy's entry of the config file. */
export type PolicyPackConfigEntry = { enforcementLevel: "advisory" | "mandatory" } & Record<
  string,
  unknown
>;

/**
 * The `--policy-pack-config` JSON for `context`: every policy gets the environment's
 * enforcement level and the config keys it reads (relaxations: only those naming it).
 */
export function policyPackConfig(
  context: PolicyContext,
  policies: readonly HdpPolicy[] = allPolicies,
): Record<string, PolicyPackConfigEntry> {
  return Object.fromEntries(
    policies.map((p) => [
      p.name,
      {
        enforcementLevel: enforcementOf(p.doc, context.enforcement),
        ...configFor(p.name, p.doc.uses ?? [], context),
      },
    ]),
  );
}

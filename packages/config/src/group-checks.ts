/**
 * Checks of `databricks.groups` that need the platform file: an all-users group never gets a
 * role that reaches PHI (the components and the policy pack refuse the grants it would become;
 * here the config line is named first).
 */
import { BROAD_GROUPS } from "./component-checks";
import type { Environment, Platform } from "./estate";
import type { FieldReporter } from "./tier-checks";

const isBroad = (group: string): boolean => BROAD_GROUPS.includes(group.trim().toLowerCase());

const holdPhi = (domains: readonly string[]): string =>
  domains.length === 1
    ? `the ${domains.join("")} domain holds PHI`
    : `the ${domains.join(", ")} domains hold PHI`;

const ROLE_REACH: Readonly<Record<"engineers" | "readers", string>> = {
  engineers: "read every schema",
  readers: "read the gold schemas",
};

/** Reports every all-users group in a role that would reach PHI. */
export function checkGroups(
  r: FieldReporter,
  e: Pick<Environment, "databricks" | "origin">,
  plat: Pick<Platform, "domains"> | undefined,
): void {
  if (plat === undefined) return;
  const f = e.origin.file;
  const groups = e.databricks.groups;
  const phiDomains: readonly string[] = plat.domains
    .filter((d) => d.maxClassification === "phi")
    .map((d) => d.id);
  for (const role of ["engineers", "readers"] as const) {
    groups[role].forEach((g, i) => {
      if (isBroad(g) && phiDomains.length > 0) {
        r.error(
          f,
          ["databricks", "groups", role, i],
          `"${g}" is an all-users group: platform-wide ${role} ${ROLE_REACH[role]} of every domain, and ${holdPhi(phiDomains)}; name a narrower group`,
        );
      }
    });
  }
  for (const [domain, set] of Object.entries(groups.domains)) {
    if (set === undefined || !phiDomains.includes(domain)) continue;
    for (const role of ["engineers", "readers"] as const) {
      set[role].forEach((g, i) => {
        if (isBroad(g)) {
          r.error(
            f,
            ["databricks", "groups", "domains", domain, role, i],
            `"${g}" is an all-users group: the ${domain} domain's ${role} ${ROLE_REACH[role]} of a domain holding PHI; name the domain's own group`,
          );
        }
      });
    }
  }
}

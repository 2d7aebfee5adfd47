/**
 * Unity Catalog grants as plain data. `databricks.Grants` is authoritative for its securable:
 * it revokes every privilege it does not list. So each securable gets exactly one `Grants`
 * holding every principal's privileges, merged here, and the admin group is always in it so an
 * apply never locks the platform team out.
 */

/** Privileges of one principal (a group, user or service principal application id). */
export interface GrantSpec {
  readonly principal: string;
  /** Unity Catalog privileges, e.g. `USE_CATALOG`, `USE_SCHEMA`, `SELECT`, `MODIFY`. */
  readonly privileges: readonly string[];
}

/** Groups that contain (nearly) everyone: the account-level and workspace-level all-users groups. */
export const BROAD_PRINCIPALS: readonly string[] = ["account users", "users", "all users"];

/**
 * Privileges a broad group must never hold on PHI: everything, or the right to grant itself
 * everything.
 */
export const PRIVILEGES_DENIED_TO_BROAD_ON_PHI: readonly string[] = [
  "ALL_PRIVILEGES",
  "MANAGE",
  // Reading or changing PHI rows is itself the exposure: \`account users\` is every identity of
  // the Databricks account, far beyond the minimum necessary.
  "SELECT",
  "MODIFY",
  // Files and volumes are the same data without the table grants in between.
  "READ_FILES",
  "WRITE_FILES",
  "READ_VOLUME",
  "WRITE_VOLUME",
];

/** True for the all-users groups (case and surrounding spaces ignored). */
export function isBroadPrincipal(principal: string): boolean {
  return BROAD_PRINCIPALS.includes(principal.trim().toLowerCase());
}

/** True for the classification that marks protected health information. */
export function isPhi(classification: string): boolean {
  return classification.trim().toLowerCase() === "phi";
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One entry per principal with the union of its privileges, principals and privileges sorted
 * and de-duplicated: the input order never changes the result. Principals left with no
 * privilege are dropped.
 */
export function mergeGrants(grants: readonly GrantSpec[]): GrantSpec[] {
  const merged = new Map<string, Set<string>>();
  for (const g of grants) {
    const set = merged.get(g.principal) ?? new Set<string>();
    for (const p of g.privileges) set.add(p);
    merged.set(g.principal, set);
  }
  return [...merged.entries()]
    .filter(([, privileges]) => privileges.size > 0)
    .sort(([a], [b]) => byString(a, b))
    .map(([principal, privileges]) => ({ principal, privileges: [...privileges].sort(byString) }));
}

/** Problems with privilege spellings (`USE_CATALOG`, not `use catalog`) and empty lists. */
export function validatePrivilegeNames(field: string, privileges: readonly string[]): string[] {
  const problems = privileges.length === 0 ? [`${field}: is empty`] : [];
  for (const p of privileges) {
    if (!/^[A-Z][A-Z_]*[A-Z]$/.test(p)) {
      problems.push(`${field}: "${p}" is not a privilege name such as "USE_SCHEMA" or "SELECT"`);
    }
  }
  return problems;
}

/** Problems with the principals and privileges of a list of grants. */
export function validateGrantSpecs(field: string, grants: readonly GrantSpec[]): string[] {
  return grants.flatMap((g, i) => [
    ...(g.principal.trim().length === 0 ? [`${field}[${i}].principal: is empty`] : []),
    ...validatePrivilegeNames(`${field}[${i}].privileges`, g.privileges),
  ]);
}

/**
 * Problems when a broad group would hold ALL_PRIVILEGES or MANAGE on a PHI securable.
 * `securable` names the object in the message, e.g. `schema "epic_bronze"`.
 */
export function validatePhiGrants(
  securable: string,
  classification: string,
  grants: readonly GrantSpec[],
): string[] {
  if (!isPhi(classification)) return [];
  const problems: string[] = [];
  for (const g of mergeGrants(grants)) {
    if (!isBroadPrincipal(g.principal)) continue;
    const denied = g.privileges.filter((p) => PRIVILEGES_DENIED_TO_BROAD_ON_PHI.includes(p));
    if (denied.length > 0) {
      problems.push(
        `${securable} is classified phi: the broad group "${g.principal}" must not hold ${denied.join(
          " or ",
        )}; grant specific privileges (e.g. USE_SCHEMA, SELECT) to a narrower group instead`,
      );
    }
  }
  return problems;
}

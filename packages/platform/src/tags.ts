/**
 * Tags, computed from config: the house tags (owner, domain, data-classification, environment,
 * cost-center) plus the platform's tag defaults and a source's own tags. House tags always win:
 * a source's `tags:` can add keys, never change who owns or pays for a resource.
 */
import {
  classificationRank,
  type ClassificationLevel,
  type Estate,
  type Source,
} from "@hdp/config";

/** Tags as every component takes them. */
export type Tags = Readonly<Record<string, string>>;

/**
 * Owner, domain and cost center of the objects the whole environment shares (access logs, the
 * catalog, Unity Catalog storage, MWAA). platform.yaml names no platform team, so the
 * environment's Databricks admin group answers for them.
 */
export const SHARED_DOMAIN = "platform";
export const SHARED_COST_CENTER = "shared";

/** Code-point order of keys, so tags serialize the same whatever order they were built in. */
function sorted(tags: Record<string, string>): Tags {
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function domainOf(estate: Estate, id: string) {
  const d = estate.platform.domains.find((x) => x.id === id);
  if (d === undefined) throw new Error(`unknown domain "${id}" in platform.yaml`);
  return d;
}

/** Tags the AWS provider adds to every resource: the platform defaults and the environment. */
export function providerDefaultTags(estate: Estate, env: string): Tags {
  return sorted({ ...estate.platform.tags.defaults, environment: env });
}

/** Tags of a domain's objects (its lake, cluster policy and pool): the domain's owner and cost center. */
export function domainTags(estate: Estate, env: string, domain: string): Tags {
  const d = domainOf(estate, domain);
  return sorted({
    ...estate.platform.tags.defaults,
    owner: d.owner.team,
    domain: d.id,
    // The most sensitive data the domain may hold: its lake and compute are treated so.
    "data-classification": d.maxClassification,
    environment: env,
    "cost-center": d.costCenter,
  });
}

/** Tags of a source's objects (ingest role, schemas, jobs): the source's owner, its domain's cost center. */
export function sourceTags(estate: Estate, env: string, source: Source): Tags {
  const d = domainOf(estate, source.domain);
  return sorted({
    ...estate.platform.tags.defaults,
    ...source.tags,
    owner: source.owner.team,
    domain: source.domain,
    "data-classification": source.classification,
    environment: env,
    "cost-center": d.costCenter,
  });
}

/** The most sensitive of `levels`; `internal` (the house default) when there are none. */
export function highestClassification(levels: readonly ClassificationLevel[]): ClassificationLevel {
  const [first, ...rest] = levels;
  if (first === undefined) return "internal";
  return rest.reduce((a, b) => (classificationRank(b) > classificationRank(a) ? b : a), first);
}

/**
 * Tags of the environment's shared objects. Their classification is the highest of the domains
 * they serve (a catalog holding a PHI schema is PHI).
 */
export function sharedTags(
  estate: Estate,
  env: string,
  adminGroup: string,
  domains: readonly string[],
): Tags {
  return sorted({
    ...estate.platform.tags.defaults,
    owner: adminGroup,
    domain: SHARED_DOMAIN,
    "data-classification": highestClassification(
      domains.map((id) => domainOf(estate, id).maxClassification),
    ),
    environment: env,
    "cost-center": SHARED_COST_CENTER,
  });
}

/** Values and helpers shared by this package's tests (excluded from the build). */
import type { RecordedResource } from "@hdp/testing";

/** The five house tags, as a caller supplies them. */
export const HOUSE_TAGS: Readonly<Record<string, string>> = {
  owner: "data-platform",
  domain: "clinical",
  "data-classification": "phi",
  environment: "prod",
  "cost-center": "cc-1234",
};

/** [type, name, parent name] of each recorded resource, for exact-set assertions. */
export function inventory(resources: readonly RecordedResource[]): [string, string, string][] {
  const byUrn = new Map(resources.map((r) => [r.urn, r.name]));
  return resources
    .map((r): [string, string, string] => [
      r.type,
      r.name,
      r.parent === undefined ? "" : (byUrn.get(r.parent) ?? r.parent),
    ])
    .sort((a, b) => (a.join("|") < b.join("|") ? -1 : 1));
}

/** Helpers for this package's component tests (excluded from the build). */
import type { RecordedResource } from "@hdp/testing";

/** `type name <- parent-name` of every resource, in registration order. */
export function tree(resources: readonly RecordedResource[]): string[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources
    .map((r) => {
      const parent = r.parent === undefined ? undefined : byUrn.get(r.parent);
      return `${r.type} ${r.name}${parent === undefined ? "" : ` <- ${parent.name}`}`;
    })
    .sort();
}

/** The parsed `policy` of every managed policy, by logical name. */
export function policies(resources: readonly RecordedResource[]): Record<string, unknown> {
  return Object.fromEntries(
    resources
      .filter((r) => r.type === "aws:iam/policy:Policy")
      .map((r) => [r.name, JSON.parse(r.inputs.policy as string)]),
  );
}

/** The statements of every managed policy of the recording, in policy-name order. */
export function allStatements(resources: readonly RecordedResource[]): unknown[] {
  const docs = policies(resources);
  return Object.keys(docs)
    .sort()
    .flatMap((k) => (docs[k] as { Statement: unknown[] }).Statement);
}

/** The parsed trust policy of the one role of the recording. */
export function trustPolicy(resources: readonly RecordedResource[]): unknown {
  const roles = resources.filter((r) => r.type === "aws:iam/role:Role");
  if (roles.length !== 1) throw new Error(`expected one role, found ${roles.length}`);
  return JSON.parse(roles[0].inputs.assumeRolePolicy as string);
}

/** URNs and inputs, for comparing two recordings of the same program. */
export function fingerprint(resources: readonly RecordedResource[]): string[] {
  return resources.map((r) => `${r.urn} ${JSON.stringify(r.inputs)}`).sort();
}

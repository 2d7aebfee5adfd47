/**
 * Every policy of the pack, in rule-table order. Importing this module constructs no
 * `PolicyPack` (that starts a gRPC server): only `pack.ts`, the pack's entry point, does.
 */
import type { HdpPolicy } from "./define";
import { auditPolicies } from "./rules/audit";
import { computeHardeningPolicies } from "./rules/compute-hardening";
import { databricksPolicies } from "./rules/databricks";
import { iamAccessPolicies } from "./rules/iam-access";
import { iamPolicies } from "./rules/iam";
import { kmsPolicies } from "./rules/kms";
import { mwaaPolicies } from "./rules/mwaa";
import { permissionPolicies } from "./rules/permissions";
import { s3Policies } from "./rules/s3";
import { stackPolicies } from "./rules/stack";
import { tagsPolicies } from "./rules/tags";

export const policies: readonly HdpPolicy[] = [
  ...s3Policies,
  ...auditPolicies,
  ...kmsPolicies,
  ...iamPolicies,
  ...iamAccessPolicies,
  ...mwaaPolicies,
  ...databricksPolicies,
  ...permissionPolicies,
  ...computeHardeningPolicies,
  ...tagsPolicies,
  ...stackPolicies,
];

/** The rule names, in rule-table order. */
export const ruleNames: readonly string[] = policies.map((p) => p.name);

/** The policy named `name`; throws listing the names when there is none. */
export function policyNamed(name: string): HdpPolicy {
  const found = policies.find((p) => p.name === name);
  if (found === undefined) {
    throw new Error(`no policy "${name}" (have: ${ruleNames.join(", ")})`);
  }
  return found;
}

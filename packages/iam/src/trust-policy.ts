/**
 * Trust (assume-role) policies. They live inline on the role, limited to 2,048 characters
 * without whitespace by default (the "role trust policy length" quota; raisable through Service Quotas).
 */
import type * as pulumi from "@pulumi/pulumi";
import { normalizeTrustStatements } from "./normalize";
import type { TrustStatement } from "./policy-types";
import { documentMaxLength, duplicateSids, renderNormalized } from "./render";
import { DEFAULT_UNKNOWN_LENGTH } from "./size-hints";
import { fail, validateTrustStatements } from "./validate";

/** The default trust-policy length quota. */
export const TRUST_POLICY_MAX_LENGTH = 2048;

/** Options of {@link renderTrustPolicy}. */
export interface RenderTrustPolicyOptions {
  /** Names the role in errors. @default "role" */
  readonly roleName?: string;
  /** @default 2048 (the account's "role trust policy length" quota) */
  readonly maxLength?: number;
  /** Length assumed for Outputs without a size hint. @default 2048 */
  readonly unknownLength?: number;
}

/** Worst-case rendered length of a trust policy (Outputs at their hinted length). */
export function trustPolicyMaxLength(
  statements: readonly TrustStatement[],
  unknownLength: number = DEFAULT_UNKNOWN_LENGTH,
): number {
  return documentMaxLength(normalizeTrustStatements(statements), unknownLength);
}

/**
 * Renders a trust policy: statements equal but for principals merged, lists sorted. Validates
 * at construction (principal `*` refused, only `sts:` actions, worst-case length within
 * `maxLength`) and again once Outputs resolve.
 */
export function renderTrustPolicy(
  statements: readonly TrustStatement[],
  options: RenderTrustPolicyOptions = {},
): pulumi.Output<string> {
  const label = `trust policy of role "${options.roleName ?? "role"}"`;
  validateTrustStatements(label, statements);
  const maxLength = options.maxLength ?? TRUST_POLICY_MAX_LENGTH;
  const normalized = normalizeTrustStatements(statements);
  const dup = duplicateSids(normalized);
  if (dup.length > 0) {
    fail(label, [`sids used by statements that cannot merge: ${dup.join(", ")}`]);
  }
  const worst = documentMaxLength(normalized, options.unknownLength ?? DEFAULT_UNKNOWN_LENGTH);
  if (worst > maxLength) {
    fail(label, [
      `is up to ${worst} characters (Outputs at their size hint, or ${options.unknownLength ?? DEFAULT_UNKNOWN_LENGTH} without one),` +
        ` over the limit of ${maxLength}; shorten it, hint Output sizes, or raise the quota and maxTrustPolicyLength`,
    ]);
  }
  return renderNormalized(normalized, { label, maxLength, trust: true });
}

/**
 * Public entry points for policy documents: render one document, or split a role's statements
 * into managed policies that fit AWS's limits.
 */
import type * as pulumi from "@pulumi/pulumi";
import { normalizeStatements, type PolicyDocumentPart } from "./normalize";
import type { PolicyStatement } from "./policy-types";
import { documentMaxLength, duplicateSids, renderNormalized } from "./render";
import { DEFAULT_UNKNOWN_LENGTH } from "./size-hints";
import { packStatements } from "./split";
import { fail, validateStatements } from "./validate";

/** AWS's limit for one managed policy, counted without whitespace. */
export const MANAGED_POLICY_MAX_LENGTH = 6144;
/** Managed policies attachable to one role by default. */
export const DEFAULT_MAX_MANAGED_POLICIES = 10;
/** The highest value the "managed policies per role" quota can be raised to. */
export const MANAGED_POLICIES_QUOTA_MAX = 20;

/** Options of {@link renderPolicyDocument}. */
export interface RenderPolicyDocumentOptions {
  /**
   * Fails when the document is longer: at construction if the known strings alone exceed it,
   * otherwise when the document renders (bucket policies: 20,480; key policies: 32,768).
   * @default no limit
   */
  readonly maxLength?: number;
  /** Names the document in error messages. @default "policy document" */
  readonly label?: string;
}

/**
 * Renders statements to one policy document (Version 2012-10-17): merged, deduplicated and
 * sorted so the same statements always give the same JSON. Statements with principals make a
 * resource policy (every statement must then have them). Throws on `*` action on `*` resource.
 */
export function renderPolicyDocument(
  statements: readonly PolicyStatement[],
  options: RenderPolicyDocumentOptions = {},
): pulumi.Output<string> {
  const label = options.label ?? "policy document";
  validateStatements(label, statements, "any");
  const normalized = normalizeStatements(statements);
  const dup = duplicateSids(normalized);
  if (dup.length > 0) {
    fail(label, [`sids used by statements that cannot merge: ${dup.join(", ")}`]);
  }
  if (options.maxLength !== undefined) {
    const known = documentMaxLength(normalized, 0);
    if (known > options.maxLength) {
      fail(label, [
        `the document is at least ${known} characters (known strings alone), over the limit of ${options.maxLength}`,
      ]);
    }
  }
  return renderNormalized(normalized, {
    label,
    ...(options.maxLength === undefined ? {} : { maxLength: options.maxLength }),
  });
}

/** Options of {@link splitPolicyDocuments}. */
export interface SplitPolicyDocumentsOptions {
  /** Names the role in error messages. @default "role" */
  readonly roleName?: string;
  /**
   * Managed policies that may be attached to the role (AWS default quota 10, at most 20).
   * @default 10
   */
  readonly maxManagedPolicies?: number;
  /** @default 6144 (AWS's managed-policy limit) */
  readonly maxDocumentLength?: number;
  /**
   * Length assumed for an Output without a {@link sizeHint}.
   * @default 2048 ({@link DEFAULT_UNKNOWN_LENGTH})
   */
  readonly unknownLength?: number;
}

export type { PolicyDocumentPart } from "./normalize";

/**
 * Splits a role's statements into as few managed-policy documents as fit: merges them (same
 * effect, actions and conditions → one statement with the union of resources), splits any
 * statement too long for one document by resources (then actions), and packs the pieces
 * (first fit, largest first). Pure and deterministic; known strings are order-independent.
 * Throws, naming the role and the sizes, when more than `maxManagedPolicies` would be needed or
 * one action on one resource alone does not fit. Identity statements only (no principals).
 */
export function splitPolicyDocuments(
  statements: readonly PolicyStatement[],
  options: SplitPolicyDocumentsOptions = {},
): PolicyDocumentPart[] {
  const roleName = options.roleName ?? "role";
  const label = `role "${roleName}"`;
  const maxPolicies = options.maxManagedPolicies ?? DEFAULT_MAX_MANAGED_POLICIES;
  if (
    !Number.isInteger(maxPolicies) ||
    maxPolicies < 1 ||
    maxPolicies > MANAGED_POLICIES_QUOTA_MAX
  ) {
    fail(label, [
      `maxManagedPolicies must be an integer from 1 to ${MANAGED_POLICIES_QUOTA_MAX} (the AWS quota's maximum), got ${maxPolicies}`,
    ]);
  }
  if (statements.length === 0) return [];
  validateStatements(label, statements, "identity");
  const maxLength = options.maxDocumentLength ?? MANAGED_POLICY_MAX_LENGTH;
  const unknownLength = options.unknownLength ?? DEFAULT_UNKNOWN_LENGTH;
  const parts = packStatements(normalizeStatements(statements), {
    label,
    maxLength,
    unknownLength,
  });
  if (parts.length > maxPolicies) {
    const sizes = parts.map((p) => p.maxLength);
    const total = sizes.reduce((a, b) => a + b, 0);
    fail(label, [
      `needs ${parts.length} managed policies of at most ${maxLength} characters` +
        ` (worst-case sizes: ${sizes.join(", ")}; ${total} in all) but at most ${maxPolicies}` +
        ` may be attached (maxManagedPolicies; the AWS quota allows up to ${MANAGED_POLICIES_QUOTA_MAX}).` +
        " Grant fewer or broader resources, give Output values a sizeHint, or raise the quota" +
        " and maxManagedPolicies",
    ]);
  }
  return parts;
}

/**
 * Renders one part of {@link splitPolicyDocuments}, checking the real length against
 * `maxLength` (default 6,144) once Outputs resolve.
 */
export function renderPolicyDocumentPart(
  part: PolicyDocumentPart,
  options: { readonly label?: string; readonly maxLength?: number } = {},
): pulumi.Output<string> {
  return renderNormalized(part.statements, {
    label: options.label ?? "managed policy",
    maxLength: options.maxLength ?? MANAGED_POLICY_MAX_LENGTH,
  });
}

import type * as pulumi from "@pulumi/pulumi";

/** `Allow` or `Deny`. */
export type PolicyEffect = "Allow" | "Deny";

/** One condition value or several (several are OR-ed by IAM). */
export type ConditionValue = pulumi.Input<string> | readonly pulumi.Input<string>[];

/**
 * A statement's `Condition` block: operator (`StringEquals`, `ArnLike`, …) → condition key →
 * value(s). Keys and values may be Outputs (an external id, an ARN built from an account id).
 */
export type PolicyConditions = Readonly<Record<string, Readonly<Record<string, ConditionValue>>>>;

/** The principal types IAM knows. */
export type PrincipalType = "AWS" | "Service" | "Federated" | "CanonicalUser";

/**
 * A statement's `Principal`: `"*"` (anyone; only in resource policies, and only sensible with
 * conditions or in `Deny`) or principals by type.
 */
export type PolicyPrincipals =
  | "*"
  | Readonly<
      Partial<Record<PrincipalType, pulumi.Input<string> | readonly pulumi.Input<string>[]>>
    >;

/**
 * One IAM policy statement, in the casing of AWS's policy JSON (`Sid`, `Effect`, `Action`,
 * `Resource`, `Condition`, `Principal`) like every statement of the house (@hdp/lake's bucket and
 * key policies too): what a reader copies from AWS's documentation or a rendered document works
 * as is. Lists are always arrays here (the rendered JSON writes one-element lists as a string).
 * Identity policies (managed policies of a role) have no
 * `principals`; resource policies (bucket, key policies) have `principals` on every statement.
 */
export interface PolicyStatement {
  /** Statement id: letters and digits only, unique within a document. */
  readonly Sid?: string;
  readonly Effect: PolicyEffect;
  /** `service:Action` names; wildcards such as `s3:GetObject*` allowed, never `*` on `*`. */
  readonly Action: readonly string[];
  /** ARNs (or `*`); Outputs allowed. Give Outputs a {@link sizeHint} for tight sizing. */
  readonly Resource: readonly pulumi.Input<string>[];
  readonly Condition?: PolicyConditions;
  /** For resource policies only; {@link splitPolicyDocuments} rejects them. */
  readonly Principal?: PolicyPrincipals;
}

/** One statement of a role's trust (assume-role) policy: who may assume the role, and when. */
export interface TrustStatement {
  /** Statement id: letters and digits only. */
  readonly Sid?: string;
  /** @default "Allow" */
  readonly Effect?: PolicyEffect;
  /** `sts:` actions. @default ["sts:AssumeRole"] */
  readonly Action?: readonly string[];
  /** Who may assume the role; never `"*"`. */
  readonly Principal: Exclude<PolicyPrincipals, "*">;
  readonly Condition?: PolicyConditions;
}

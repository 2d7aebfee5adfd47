/**
 * Checks of policy statements that IAM would otherwise only make at `pulumi up` time
 * (`MalformedPolicyDocument`), plus this project's own rule: never `*` action on `*` resource.
 * Each check collects every problem; values still unknown (Outputs) are checked again when the
 * document renders.
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
  PolicyConditions,
  PolicyPrincipals,
  PolicyStatement,
  TrustStatement,
} from "./policy-types";

/** `service:Action`, wildcards `*` and `?` allowed in the action part. */
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
/** `arn:partition:service:region:account:resource` (region and account may be empty). */
const ARN = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-*]*:(\d{12}|\*|aws)?:\S+$/;
const SID = /^[A-Za-z0-9]+$/;
const ACCOUNT = /^\d{12}$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;
const CONDITION_OPERATORS = new Set([
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "Bool",
  "BinaryEquals",
  "IpAddress",
  "NotIpAddress",
  "ArnEquals",
  "ArnLike",
  "ArnNotEquals",
  "ArnNotLike",
  "Null",
]);

/** What kind of document the statements are for. */
export type DocumentKind = "identity" | "resource" | "any";

/** The error every validation failure throws: one message listing every problem. */
export function fail(label: string, problems: readonly string[]): never {
  throw new Error(`@hdp/iam: ${label}:\n  - ${problems.join("\n  - ")}`);
}

/** True for the statement shapes this package forbids: `*` action together with `*` resource. */
export function isStarOnStar(actions: readonly string[], resources: readonly unknown[]): boolean {
  return actions.includes("*") && resources.includes("*");
}

/** Problems of a resource value that is known (a string). */
export function resourceProblems(where: string, resource: string): string[] {
  if (resource === "*" || ARN.test(resource)) return [];
  return [
    `${where}: resource "${resource}" is not an ARN (arn:partition:service:region:account:…) nor "*"`,
  ];
}

/** Problems of a principal value that is known. */
export function principalProblems(where: string, type: string, value: string): string[] {
  if (type === "AWS" && !(value === "*" || ACCOUNT.test(value) || ARN.test(value))) {
    return [`${where}: AWS principal "${value}" is not an ARN, an account id or "*"`];
  }
  if (type === "Service" && !SERVICE_PRINCIPAL.test(value)) {
    return [`${where}: service principal "${value}" is not of the form <service>.amazonaws.com`];
  }
  return [];
}

function asList<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

function conditionProblems(where: string, conditions: PolicyConditions | undefined): string[] {
  if (conditions === undefined) return [];
  const problems: string[] = [];
  for (const [operator, byKey] of Object.entries(conditions)) {
    const base = operator.replace(/^(ForAllValues|ForAnyValue):/, "").replace(/IfExists$/, "");
    if (!CONDITION_OPERATORS.has(base)) {
      problems.push(`${where}: unknown condition operator "${operator}"`);
    }
    const entries = Object.entries(byKey);
    if (entries.length === 0) problems.push(`${where}: condition "${operator}" has no keys`);
    for (const [key, value] of entries) {
      if (key.length === 0) problems.push(`${where}: condition "${operator}" has an empty key`);
      if (asList<pulumi.Input<string>>(value).length === 0) {
        problems.push(`${where}: condition "${operator}" "${key}" has no values`);
      }
    }
  }
  return problems;
}

function principalsProblems(where: string, principals: PolicyPrincipals): string[] {
  if (principals === "*") return [];
  const problems: string[] = [];
  const entries = Object.entries(principals);
  if (entries.length === 0) problems.push(`${where}: principals are empty`);
  for (const [type, value] of entries) {
    if (!["AWS", "Service", "Federated", "CanonicalUser"].includes(type)) {
      problems.push(`${where}: unknown principal type "${type}"`);
      continue;
    }
    const values = asList<pulumi.Input<string>>(value);
    if (values.length === 0) problems.push(`${where}: principal type "${type}" has no values`);
    for (const v of values) {
      if (typeof v === "string") problems.push(...principalProblems(where, type, v));
    }
  }
  return problems;
}

function actionProblems(where: string, actions: readonly string[]): string[] {
  if (actions.length === 0) return [`${where}: no actions`];
  return actions
    .filter((a) => a !== "*" && !ACTION.test(a))
    .map((a) => `${where}: action "${a}" is not of the form service:Action`);
}

/**
 * Validates identity or resource policy statements; throws one error listing every problem.
 * `kind` "identity" forbids principals (managed policies reject them), "resource" requires
 * them, "any" requires all statements to agree.
 */
export function validateStatements(
  label: string,
  statements: readonly PolicyStatement[],
  kind: DocumentKind,
): void {
  const problems: string[] = [];
  if (statements.length === 0) problems.push("a policy document needs at least one statement");
  const withPrincipals = statements.filter((s) => s.Principal !== undefined).length;
  if (kind === "identity" && withPrincipals > 0) {
    problems.push("identity policies (managed policies) must not name principals");
  }
  if (kind === "resource" && withPrincipals < statements.length) {
    problems.push("every statement of a resource policy needs principals");
  }
  if (kind === "any" && withPrincipals > 0 && withPrincipals < statements.length) {
    problems.push("either every statement names principals (resource policy) or none does");
  }
  statements.forEach((s, i) => {
    const where = `statement ${i + 1}${s.Sid === undefined ? "" : ` (${s.Sid})`}`;
    if (s.Effect !== "Allow" && s.Effect !== "Deny") {
      problems.push(`${where}: Effect must be "Allow" or "Deny", got "${String(s.Effect)}"`);
    }
    if (s.Sid !== undefined && !SID.test(s.Sid)) {
      problems.push(`${where}: Sid "${s.Sid}" may contain only letters and digits`);
    }
    problems.push(...actionProblems(where, s.Action));
    if (s.Resource.length === 0) problems.push(`${where}: no resources`);
    for (const r of s.Resource) {
      if (typeof r === "string") problems.push(...resourceProblems(where, r));
    }
    if (isStarOnStar(s.Action, s.Resource)) {
      problems.push(`${where}: "*" action on "*" resource is never allowed`);
    }
    problems.push(...conditionProblems(where, s.Condition));
    if (s.Principal !== undefined) problems.push(...principalsProblems(where, s.Principal));
  });
  if (problems.length > 0) fail(label, problems);
}

/** Validates trust-policy statements; throws one error listing every problem. */
export function validateTrustStatements(
  label: string,
  statements: readonly TrustStatement[],
): void {
  const problems: string[] = [];
  if (statements.length === 0) problems.push("a trust policy needs at least one statement");
  statements.forEach((s, i) => {
    const where = `trust statement ${i + 1}${s.Sid === undefined ? "" : ` (${s.Sid})`}`;
    const effect = s.Effect ?? "Allow";
    if (effect !== "Allow" && effect !== "Deny") {
      problems.push(`${where}: Effect must be "Allow" or "Deny", got "${String(effect)}"`);
    }
    if (s.Sid !== undefined && !SID.test(s.Sid)) {
      problems.push(`${where}: Sid "${s.Sid}" may contain only letters and digits`);
    }
    const actions = s.Action ?? ["sts:AssumeRole"];
    problems.push(...actionProblems(where, actions));
    for (const a of actions) {
      if (!a.startsWith("sts:"))
        problems.push(`${where}: trust policies allow only sts: actions, got "${a}"`);
    }
    if ((s.Principal as unknown) === "*") {
      problems.push(`${where}: principal "*" would let anyone assume the role`);
    } else {
      problems.push(...principalsProblems(where, s.Principal));
      if (effect === "Allow") {
        for (const v of asList<pulumi.Input<string>>(s.Principal.AWS ?? [])) {
          if (v === "*")
            problems.push(`${where}: AWS principal "*" would let anyone assume the role`);
        }
      }
    }
    problems.push(...conditionProblems(where, s.Condition));
  });
  if (problems.length > 0) fail(label, problems);
}

/**
 * IAM: roles (trust policies, inline policies), managed policies and inline role policies.
 * Documents are read from the resources' JSON inputs; unknown documents are skipped.
 */
import { resourcePolicy, type ResourceView } from "../define";
import { isUnknown, list, rec, str, strings, type Props } from "../values";
import {
  conditionKeys,
  countedLength,
  grantsAction,
  principalAccount,
  statementsOf,
  wildcardMatches,
  type Statement,
} from "./documents";

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const IDENTITY_TYPES = [ROLE, POLICY, ROLE_POLICY];

/** The identity-policy documents of a resource, each with a label for messages. */
function identityDocuments(type: string, props: Props): { label: string; doc: Props[string] }[] {
  if (type === ROLE) {
    return list(props.inlinePolicies).map((p) => ({
      label: `inline policy ${str(rec(p).name) ?? "(unnamed)"}`,
      doc: rec(p).policy,
    }));
  }
  return [{ label: "policy", doc: props.policy }];
}

/** Allow statements of every identity document of `r`, with their document's label. */
function allowStatements(r: ResourceView): { label: string; s: Statement }[] {
  const out: { label: string; s: Statement }[] = [];
  for (const { label, doc } of identityDocuments(r.type, r.props)) {
    const statements = statementsOf(doc);
    if (!Array.isArray(statements)) continue;
    for (const s of statements) if (s.effect === "Allow") out.push({ label, s });
  }
  return out;
}

/** Probes no real action or ARN matches by accident: a pattern matching all of them matches anything. */
const ACTION_PROBES = ["iam:CreateUser", "s3:GetObject", "zzprobe:ZzProbeAction"];
const RESOURCE_PROBES = [
  "arn:aws:iam::123456789012:role/zz-probe",
  "arn:aws:s3:::zz-probe-bucket/zz/probe",
  "arn:aws:kms:us-east-1:123456789012:key/zz-probe",
];
const coversEvery = (patterns: readonly string[], probes: readonly string[]): boolean =>
  patterns.some((p) => probes.every((x) => wildcardMatches(p, x)));

/**
 * Every action on every resource: `"*"` (or `"*:*"`, `"*:*"`-like patterns) on `"*"` (or an ARN
 * pattern such as `arn:aws:*:*:*:*` that matches any ARN), or `NotAction` (everything but a few
 * actions) on every resource.
 */
const isStarOnStar = (s: Statement): boolean =>
  (coversEvery(s.actions, ACTION_PROBES) || (s.notActions.length > 0 && s.actions.length === 0)) &&
  s.notResources.length === 0 &&
  coversEvery(s.resources, RESOURCE_PROBES);

const adminMessage = (label: string, s: Statement): string =>
  s.actions.includes("*") && s.resources.includes("*")
    ? `${label}: ${sid(s)} allows "*" on "*" (administrator access)`
    : s.actions.length === 0
      ? `${label}: ${sid(s)} allows every action but ${s.notActions.join(", ")} (NotAction) on ${s.resources.join(", ")} (administrator access)`
      : `${label}: ${sid(s)} allows ${s.actions.join(", ")} on ${s.resources.join(", ")}: every action on every resource (administrator access)`;
const sid = (s: Statement): string => (s.sid !== undefined ? `statement ${s.sid}` : "a statement");

/**
 * No statement allows every action on every resource. HIPAA §164.308(a)(4)(ii)(B) access
 * authorization, §164.308(a)(3)(ii)(A); AWS Config iam-policy-no-statements-with-admin-access
 * (HIPAA pack).
 */
export const iamNoAdminStatements = resourcePolicy(
  {
    name: "iam-no-admin-statements",
    description:
      'No IAM policy allows action "*" on resource "*" (or patterns and NotAction that amount to it).',
    remediation:
      "Grant the actions the role needs on the resources it needs (@hdp/iam refuses * on * at construction).",
    resourceTypes: IDENTITY_TYPES,
    hipaa: ["§164.308(a)(4)(ii)(B)", "§164.308(a)(3)(ii)(A)"],
    awsConfig: ["iam-policy-no-statements-with-admin-access"],
    anchors: { cdkNag: ["HIPAA.Security-IAMPolicyNoStatementsWithAdminAccess"] },
    severity: "critical",
  },
  (r) =>
    allowStatements(r)
      .filter(({ s }) => isStarOnStar(s))
      .map(({ label, s }) => adminMessage(label, s)),
);

/** True when `resource` names every role (of one account or all). */
function coversAnyRole(resource: string): boolean {
  const account = /:iam::(\d{12}):/.exec(resource)?.[1] ?? "123456789012";
  return wildcardMatches(resource, `arn:aws:iam::${account}:role/zz-any-role-probe`);
}

/**
 * `iam:PassRole` only on named roles: passing any role lets the holder run services as any role,
 * administrators' included. HIPAA §164.308(a)(4)(ii)(B) access authorization; a house rule (AWS
 * Config's iam-policy-no-statements-with-full-access is `iam-no-full-service-access`).
 */
export const iamNoPassRoleWildcard = resourcePolicy(
  {
    name: "iam-no-passrole-wildcard",
    description: "No IAM policy allows iam:PassRole on every role.",
    remediation:
      "Name the roles that may be passed (their ARNs, or a name prefix such as role/hdp-prod-*) and add an iam:PassedToService condition.",
    resourceTypes: IDENTITY_TYPES,
    hipaa: ["§164.308(a)(4)(ii)(B)"],
    awsConfig: [],
    severity: "high",
  },
  (r) =>
    allowStatements(r)
      // "*" on "*" is already the administrator finding: one finding per problem.
      .filter(({ s }) => !isStarOnStar(s) && grantsAction(s, "iam:PassRole"))
      .filter(({ s }) => s.resources.some(coversAnyRole))
      .map(
        ({ label, s }) =>
          `${label}: ${sid(s)} allows iam:PassRole on ${s.resources.filter(coversAnyRole).join(", ")}`,
      ),
);

/** The accounts trust from which is not cross-account: the context's and the provider's. */
function ownAccounts(r: ResourceView, accountIds: readonly string[]): Set<string> {
  return new Set([...accountIds, ...strings(r.provider?.props.allowedAccountIds)]);
}

/**
 * A role trusted by another AWS account requires `sts:ExternalId` (the confused-deputy guard);
 * no role trusts principal `*`. HIPAA §164.312(d) person or entity authentication,
 * §164.308(a)(4)(ii)(C) access establishment.
 */
export const iamCrossAccountExternalId = resourcePolicy(
  {
    name: "iam-cross-account-external-id",
    description:
      "Roles trusted by other AWS accounts require an sts:ExternalId; no role trusts everyone.",
    remediation:
      'Add Condition { StringEquals: { "sts:ExternalId": "<id agreed with the other party>" } } to the trust statement (SourceIngestRole\'s externalId), or trust a principal of the environment\'s own account.',
    resourceTypes: [ROLE],
    hipaa: ["§164.312(d)", "§164.308(a)(4)(ii)(C)"],
    awsConfig: [],
    severity: "critical",
    uses: ["accountIds"],
  },
  (r, ctx) => {
    const statements = statementsOf(r.props.assumeRolePolicy);
    if (!Array.isArray(statements)) return [];
    const own = ownAccounts(r, ctx.accountIds);
    const out: string[] = [];
    for (const s of statements) {
      if (s.effect !== "Allow" || s.principal === undefined) continue;
      if (!grantsAction(s, "sts:AssumeRole")) continue;
      const aws = s.principal === "*" ? ["*"] : (s.principal.AWS ?? []);
      if (aws.includes("*")) {
        out.push(`${sid(s)} trusts principal "*"`);
        continue;
      }
      const foreign = aws.filter((p) => {
        const account = principalAccount(p);
        return account === undefined || !own.has(account);
      });
      if (foreign.length > 0 && !conditionKeys(s).includes("sts:externalid")) {
        out.push(
          `${sid(s)} trusts ${foreign.join(", ")} (another account) without an sts:ExternalId condition`,
        );
      }
    }
    return out;
  },
);

/**
 * Documents within IAM's size limits (whitespace not counted): managed policies 6,144, trust
 * policies 2,048 (the default quota), a role's inline policies together 10,240. Larger documents
 * fail the deployment. AWS IAM quotas.
 */
export const iamDocumentSize = resourcePolicy(
  {
    name: "iam-document-size",
    description: "IAM policy documents stay within AWS's size limits.",
    remediation:
      "Split the statements over several managed policies (@hdp/iam splits at 6,144), or raise the trust-policy quota and limits.trustPolicyLength.",
    resourceTypes: IDENTITY_TYPES,
    hipaa: [],
    awsConfig: [],
    severity: "medium",
    uses: ["limits"],
  },
  ({ type, props }, ctx) => {
    const size = (doc: Props[string]): number | undefined => {
      if (isUnknown(doc)) return undefined;
      if (typeof doc === "string") return countedLength(doc);
      return doc !== null && typeof doc === "object" ? countedLength(JSON.stringify(doc)) : 0;
    };
    const check = (what: string, length: number | undefined, limit: number): string[] =>
      length !== undefined && length > limit
        ? [`${what} is ${length} characters (whitespace not counted), over the limit of ${limit}`]
        : [];
    const l = ctx.limits;
    if (type === POLICY)
      return check("the managed policy", size(props.policy), l.managedPolicyLength);
    if (type === ROLE_POLICY) {
      return check("the inline policy", size(props.policy), l.inlinePoliciesPerRoleLength);
    }
    const inline = identityDocuments(type, props).map((d) => size(d.doc));
    const total = inline.includes(undefined)
      ? undefined
      : inline.reduce((a, b) => (a ?? 0) + (b ?? 0), 0);
    return [
      ...check("the trust policy", size(props.assumeRolePolicy), l.trustPolicyLength),
      ...check("the role's inline policies together", total, l.inlinePoliciesPerRoleLength),
    ];
  },
);

export const iamPolicies = [
  iamNoAdminStatements,
  iamNoPassRoleWildcard,
  iamCrossAccountExternalId,
  iamDocumentSize,
];

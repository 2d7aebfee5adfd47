/**
 * IAM grants too broad for PHI: every action of a service, and decryption with every KMS key.
 * Statements are read from the identity documents the other IAM rules read; unknown ones are
 * skipped.
 */
import { resourcePolicy, type ResourceView } from "../define";
import { list, rec, str, type Value } from "../values";
import { grantsAction, statementsOf, wildcardMatches, type Statement } from "./documents";

const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const IDENTITY_TYPES = [ROLE, POLICY, ROLE_POLICY];

/** Allow statements of a resource's identity documents, with a label for messages. */
function allows(r: ResourceView): { label: string; s: Statement }[] {
  const docs: { label: string; doc: Value | undefined }[] =
    r.type === ROLE
      ? list(r.props.inlinePolicies).map((p) => ({
          label: `inline policy ${str(rec(p).name) ?? "(unnamed)"}`,
          doc: rec(p).policy,
        }))
      : [{ label: "policy", doc: r.props.policy }];
  const out: { label: string; s: Statement }[] = [];
  for (const { label, doc } of docs) {
    const statements = statementsOf(doc);
    if (!Array.isArray(statements)) continue;
    for (const s of statements) if (s.effect === "Allow" && !s.unknown) out.push({ label, s });
  }
  return out;
}

const sid = (s: Statement): string => (s.sid !== undefined ? `statement ${s.sid}` : "a statement");

/** `s3:*`, `kms:*`, `iam:*`: every action of one service (`*` alone is the admin rule's). */
const SERVICE_WILDCARD = /^[a-z0-9-]+:\*$/i;

/**
 * No statement grants every action of a service (`s3:*`, `iam:*`, …): that includes deleting
 * buckets and keys, changing policies and disabling logging. HIPAA §164.308(a)(4)(ii)(B) access
 * authorization, §164.308(a)(3)(ii)(A); AWS Config iam-policy-no-statements-with-full-access.
 */
export const iamNoFullServiceAccess = resourcePolicy(
  {
    name: "iam-no-full-service-access",
    description: 'No IAM policy allows every action of a service ("s3:*", "kms:*", "iam:*", …).',
    remediation:
      "List the actions the role needs (s3:GetObject, s3:PutObject, …); @hdp/iam's builders never emit service:*.",
    resourceTypes: IDENTITY_TYPES,
    hipaa: ["§164.308(a)(4)(ii)(B)", "§164.308(a)(3)(ii)(A)"],
    awsConfig: ["iam-policy-no-statements-with-full-access"],
    anchors: { cdkNag: ["HIPAA.Security-IAMPolicyNoStatementsWithFullAccess"] },
    severity: "high",
  },
  (r) =>
    allows(r).flatMap(({ label, s }) => {
      // kms:* on every key is iam-no-kms-decrypt-all-keys' finding: one finding per problem.
      const allKeys = s.resources.some(coversAnyKey);
      const full = s.actions.filter(
        (a) => SERVICE_WILDCARD.test(a) && !(allKeys && a.toLowerCase() === "kms:*"),
      );
      return full.length > 0
        ? [`${label}: ${sid(s)} allows ${full.join(", ")} (every action of the service)`]
        : [];
    }),
);

/** True when `resource` names every KMS key (of one account or all). */
function coversAnyKey(resource: string): boolean {
  return (
    wildcardMatches(resource, "arn:aws:kms:us-east-2:123456789012:key/zz-probe") &&
    wildcardMatches(resource, "arn:aws:kms:eu-west-1:123456789012:key/zz-other-probe")
  );
}

/** KMS actions that reveal data protected by a key. */
const BLOCKED_KMS_ACTIONS = ["kms:Decrypt", "kms:ReEncryptFrom"];

/**
 * No statement lets a principal decrypt (or re-encrypt from) every KMS key: a role reaches PHI
 * only through the keys of its own domain. Key policies are not identity policies and keep their
 * root statement. HIPAA §164.312(a)(2)(iv) encryption and decryption, §164.308(a)(4)(ii)(B); AWS
 * Config iam-customer-policy-blocked-kms-actions, iam-inline-policy-blocked-kms-actions.
 */
export const iamNoKmsDecryptAllKeys = resourcePolicy(
  {
    name: "iam-no-kms-decrypt-all-keys",
    description: "No IAM policy allows kms:Decrypt or kms:ReEncrypt* (or kms:*) on every KMS key.",
    remediation:
      "Name the keys (their ARNs, e.g. the domain's LakeKey keyArn) in Resource, or add a kms:ViaService condition naming the one service that decrypts.",
    resourceTypes: IDENTITY_TYPES,
    hipaa: ["§164.312(a)(2)(iv)", "§164.308(a)(4)(ii)(B)"],
    awsConfig: ["iam-customer-policy-blocked-kms-actions", "iam-inline-policy-blocked-kms-actions"],
    severity: "high",
  },
  (r) =>
    allows(r).flatMap(({ label, s }) => {
      // Actions beyond KMS ("*", "*:*") are iam-no-admin-statements' finding.
      if (grantsAction(s, "zzprobe:ZzProbeAction")) return [];
      const actions = BLOCKED_KMS_ACTIONS.filter((a) => grantsAction(s, a));
      if (actions.length === 0 || !s.resources.some(coversAnyKey)) return [];
      const viaService = Object.values(s.conditions).some((c) =>
        Object.keys(c).some((k) => k.toLowerCase() === "kms:viaservice"),
      );
      if (viaService) return [];
      return [
        `${label}: ${sid(s)} allows ${actions.join(", ")} on ${s.resources.filter(coversAnyKey).join(", ")} (every key)`,
      ];
    }),
);

export const iamAccessPolicies = [iamNoFullServiceAccess, iamNoKmsDecryptAllKeys];

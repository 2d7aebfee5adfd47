/** The rule table of the README, rendered from the policies' own documentation. */
import type { HdpPolicy } from "./define";
import { policies as allPolicies } from "./policies";

// Escapes what markdown (and prettier) would read as table syntax or emphasis.
const cell = (s: string): string => s.replace(/([|*_])/g, "\\$1").replace(/\n/g, " ");

/**
 * The AWS Config rules of the "Operational Best Practices for HIPAA Security" conformance pack
 * (awslabs/aws-config-rules) that rules here correspond to; others are marked † in the table.
 */
export const HIPAA_CONFORMANCE_PACK_RULES: ReadonlySet<string> = new Set([
  "iam-policy-no-statements-with-admin-access",
  "iam-policy-no-statements-with-full-access",
  "kms-cmk-not-scheduled-for-deletion",
  "restricted-common-ports",
  "s3-bucket-acl-prohibited",
  "s3-bucket-level-public-access-prohibited",
  "s3-bucket-logging-enabled",
  "s3-bucket-public-read-prohibited",
  "s3-bucket-public-write-prohibited",
  "s3-bucket-server-side-encryption-enabled",
  "s3-bucket-ssl-requests-only",
  "s3-bucket-versioning-enabled",
  "s3-default-encryption-kms",
  "s3-version-lifecycle-policy-check",
  "vpc-sg-open-only-to-authorized-ports",
]);

/** A markdown table: rule, resource types, what it checks, HIPAA / AWS Config, remediation. */
export function renderRuleTable(policies: readonly HdpPolicy[] = allPolicies): string {
  const rows = policies.map((p) => {
    const d = p.doc;
    const types = d.resourceTypes.map((t) => `\`${t.split(":").pop() ?? t}\``).join(", ");
    const config = d.awsConfig.map(
      (c) => `\`${c}\`${HIPAA_CONFORMANCE_PACK_RULES.has(c) ? "" : " †"}`,
    );
    const refs = [...d.hipaa, ...config].join(", ") || "quota / house rule";
    const kind =
      ("validateStack" in p ? "stack" : "resource") +
      (d.alwaysMandatory === true ? ", mandatory in every environment" : "");
    return `| \`${d.name}\` | ${kind} | ${types} | ${cell(d.description)} | ${refs} | ${cell(d.remediation)} |`;
  });
  return [
    "| rule | kind | resource types | checks | HIPAA / AWS Config | remediation |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** The rule table of the README, rendered from the policies' own documentation. */
import { HIPAA_CONFORMANCE_PACK } from "./anchor-packs";
import type { HdpPolicy } from "./define";
import { policies as allPolicies } from "./policies";

// Escapes what markdown (and prettier) would read as table syntax or emphasis.
const cell = (s: string): string => s.replace(/([|*_])/g, "\\$1").replace(/\n/g, " ");

/**
 * The AWS Config rules of the "Operational Best Practices for HIPAA Security" conformance pack
 * (awslabs/aws-config-rules); rules cited here outside it are marked † in the table.
 */
export const HIPAA_CONFORMANCE_PACK_RULES: ReadonlySet<string> = new Set(HIPAA_CONFORMANCE_PACK);

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

/** The rule table of the README, rendered from the policies' own documentation. */
import type { HdpPolicy } from "./define";
import { policies as allPolicies } from "./policies";

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A markdown table: rule, resource types, what it checks, HIPAA / AWS Config, remediation. */
export function renderRuleTable(policies: readonly HdpPolicy[] = allPolicies): string {
  const rows = policies.map((p) => {
    const d = p.doc;
    const types = d.resourceTypes.map((t) => `\`${t.split(":").pop() ?? t}\``).join(", ");
    const refs =
      [...d.hipaa, ...d.awsConfig.map((c) => `\`${c}\``)].join(", ") || "quota / house rule";
    const kind = "validateStack" in p ? "stack" : "resource";
    return `| \`${d.name}\` | ${kind} | ${types} | ${cell(d.description)} | ${refs} | ${cell(d.remediation)} |`;
  });
  return [
    "| rule | kind | resource types | checks | HIPAA / AWS Config | remediation |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

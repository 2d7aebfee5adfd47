/** Stack-wide rules: where PHI may be, and the service quotas the stack counts against. */
import { stackPolicy, type StackFinding, type StackResource } from "../define";
import { accountQuotasExceeded } from "../quotas";
import { isRecord, list, str, type Value } from "../values";
import { stackResourceTags } from "./tags";

const at = (r: StackResource) => ({ urn: r.urn, name: r.name });

/**
 * Calls `each` with every string inside a value: a plain walk, no generator or array per node
 * (this visits every value of every resource of a stack).
 */
function forStringsIn(v: Value | undefined, each: (s: string) => void): void {
  if (typeof v === "string") each(v);
  else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) forStringsIn(v[i], each);
  else if (isRecord(v)) for (const k in v) if (Object.hasOwn(v, k)) forStringsIn(v[k], each);
}

/**
 * A function calling `found` with each of `accounts` a string names (in an ARN, a principal, or
 * as a bare 12-digit id not inside a longer number), in `accounts`' order.
 */
function accountFinder(
  accounts: readonly string[],
): (value: string, found: (account: string) => void) => void {
  const patterns = accounts.map((a) => [a, new RegExp(`(^|[^0-9])${a}([^0-9]|$)`)] as const);
  // The substring test first: most strings name no account, and it is cheaper than the regex.
  return (value, found) => {
    for (const [a, re] of patterns) if (value.includes(a) && re.test(value)) found(a);
  };
}

/**
 * PHI stays where the environment config allows it (defence in depth behind `hdp validate`,
 * which already refuses `phi: real` in development): nothing classified `phi` in an environment
 * with `phi: none`; nothing in an environment without real PHI referring to an account that
 * holds real PHI (a path for real records into dev); no real PHI in a development environment.
 * Synthetic environments may hold PHI-classified objects: their data is generated. HIPAA
 * §164.308(a)(3)(ii)(A) workforce authorization, §164.308(a)(4)(ii)(B) access authorization.
 */
export const stackPhiBoundary = stackPolicy(
  {
    name: "stack-phi-boundary",
    description:
      "PHI-classified data and paths to real PHI only exist in environments allowed to hold real PHI.",
    remediation:
      "Disable the PHI tables in this environment (environments.<env>.enabled: false), use synthetic data (hdp simulate), or remove the reference to the PHI account.",
    resourceTypes: ["*"],
    hipaa: ["§164.308(a)(3)(ii)(A)", "§164.308(a)(4)(ii)(B)"],
    awsConfig: [],
    severity: "critical",
    uses: ["phi", "accountIds", "realPhiAccountIds"],
    alwaysMandatory: true,
  },
  (resources, ctx) => {
    const out: StackFinding[] = [];
    if (ctx.tier === "dev" && ctx.phi === "real") {
      out.push({
        message: `${ctx.environment} is a development environment configured with phi: real`,
      });
    }
    if (ctx.phi === "none") {
      for (const r of resources) {
        if (stackResourceTags(r.type, r.props)["data-classification"] === "phi") {
          out.push({
            resource: at(r),
            message: `classified phi in ${ctx.environment}, which allows no PHI (phi: none)`,
          });
        }
      }
    }
    const elsewhere = ctx.realPhiAccountIds.filter((a) => !ctx.accountIds.includes(a));
    if (ctx.phi !== "real" && elsewhere.length > 0) {
      const named = accountFinder(elsewhere);
      // One set and one pair of callbacks for the whole stack (emptied after each resource).
      const found = new Set<string>();
      const add = (a: string): void => void found.add(a);
      const visit = (s: string): void => named(s, add);
      for (const r of resources) {
        forStringsIn(r.props, visit);
        if (found.size === 0) continue;
        for (const a of [...found].sort()) {
          out.push({
            resource: at(r),
            message: `refers to account ${a}, which holds real PHI, from ${ctx.environment} (phi: ${ctx.phi})`,
          });
        }
        found.clear();
      }
    }
    return out;
  },
);

function countBy(
  resources: readonly StackResource[],
  key: (r: StackResource) => string | undefined,
) {
  const counts = new Map<string, StackResource[]>();
  for (const r of resources) {
    const k = key(r);
    if (k === undefined) continue;
    const group = counts.get(k) ?? [];
    group.push(r);
    counts.set(k, group);
  }
  return counts;
}

/**
 * Account and workspace quotas, counted over the stack plus `usage` from elsewhere, against
 * `limits` (AWS and Databricks defaults): S3 buckets per account, IAM roles and managed policies
 * per account, managed policies per role, Databricks jobs per workspace, Unity Catalog schemas
 * per catalog and tables per schema (the ones Pulumi creates plus `tablesPerSchema` from config).
 * Past a quota the deployment fails halfway. AWS service quotas, Databricks resource limits.
 */
export const stackServiceQuotas = stackPolicy(
  {
    name: "stack-service-quotas",
    description: "The stack stays within AWS and Databricks quotas.",
    remediation:
      "Raise the quota (Service Quotas, or the Databricks account team) and set it in the environment config (policies.quotas), or shard differently.",
    resourceTypes: ["*"],
    hipaa: [],
    awsConfig: [],
    severity: "medium",
    uses: ["limits", "usage", "tablesPerSchema"],
  },
  (resources, ctx) => {
    const out: StackFinding[] = [];
    const { limits, usage } = ctx;
    const counts: Record<string, number> = {};
    for (const r of resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    for (const { message } of accountQuotasExceeded(counts, limits, usage)) out.push({ message });

    const roles = resources.filter((r) => r.type === "aws:iam/role:Role");
    const attachments = countBy(resources, (r) =>
      r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
        ? str(r.props.role)
        : undefined,
    );
    for (const role of roles) {
      const name = str(role.props.name);
      const n =
        (name !== undefined ? (attachments.get(name)?.length ?? 0) : 0) +
        list(role.props.managedPolicyArns).length;
      if (n > limits.managedPoliciesPerRole) {
        out.push({
          resource: at(role),
          message: `${n} managed policies attached, over the quota of ${limits.managedPoliciesPerRole} (managedPoliciesPerRole)`,
        });
      }
    }

    const schemas = resources.filter((r) => r.type === "databricks:index/schema:Schema");
    for (const [catalog, list_] of countBy(schemas, (r) => str(r.props.catalogName))) {
      if (list_.length > limits.unityCatalogSchemasPerCatalog) {
        out.push({
          message: `catalog ${catalog} has ${list_.length} schemas, over the limit of ${limits.unityCatalogSchemasPerCatalog}`,
        });
      }
    }
    const tables = countBy(resources, (r) =>
      r.type === "databricks:index/sqlTable:SqlTable" ? str(r.props.schemaName) : undefined,
    );
    const names = new Set([...Object.keys(ctx.tablesPerSchema), ...tables.keys()]);
    for (const schemaName of [...names].sort()) {
      const n = (tables.get(schemaName)?.length ?? 0) + (ctx.tablesPerSchema[schemaName] ?? 0);
      if (n <= limits.unityCatalogTablesPerSchema) continue;
      const schema = schemas.find((s) => s.props.name === schemaName);
      out.push({
        ...(schema !== undefined ? { resource: at(schema) } : {}),
        message: `schema ${schemaName} will hold ${n} tables, over the limit of ${limits.unityCatalogTablesPerSchema}`,
      });
    }
    return out;
  },
);

export const stackPolicies = [stackPhiBoundary, stackServiceQuotas];

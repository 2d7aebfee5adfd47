/**
 * The house tags on every taggable resource: AWS `tags` (with the provider's `defaultTags`),
 * Databricks `customTags` (pools, clusters) and job `tags`, and Unity Catalog `hdp.<tag>`
 * properties (catalogs and schemas have no tags of their own).
 */
import { resourcePolicy, type ResourceView } from "../define";
import { isUnknown, rec, stringRecord, type Props } from "../values";

/** Where each taggable type keeps its tags; AWS types not listed count when they set `tags`. */
export const TAG_FIELDS: Readonly<Record<string, { field: string; prefix?: string }>> = {
  "aws:s3/bucket:Bucket": { field: "tags" },
  "aws:s3/bucketV2:BucketV2": { field: "tags" },
  "aws:s3/bucketObjectv2:BucketObjectv2": { field: "tags" },
  "aws:kms/key:Key": { field: "tags" },
  "aws:iam/role:Role": { field: "tags" },
  "aws:iam/policy:Policy": { field: "tags" },
  "aws:iam/instanceProfile:InstanceProfile": { field: "tags" },
  "aws:mwaa/environment:Environment": { field: "tags" },
  "aws:ec2/securityGroup:SecurityGroup": { field: "tags" },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": { field: "tags" },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": { field: "tags" },
  "databricks:index/instancePool:InstancePool": { field: "customTags" },
  "databricks:index/cluster:Cluster": { field: "customTags" },
  "databricks:index/job:Job": { field: "tags" },
  "databricks:index/catalog:Catalog": { field: "properties", prefix: "hdp." },
  "databricks:index/schema:Schema": { field: "properties", prefix: "hdp." },
};

/** The tags of a taggable resource (provider default tags included), or undefined if not taggable. */
export function resourceTags(
  r: Pick<ResourceView, "type" | "props" | "provider">,
): Record<string, string> | "unknown" | undefined {
  const where =
    TAG_FIELDS[r.type] ??
    (r.type.startsWith("aws:") && r.props.tags !== undefined ? { field: "tags" } : undefined);
  if (where === undefined) return undefined;
  const raw = r.props[where.field];
  if (isUnknown(raw)) return "unknown";
  const own = stringRecord(raw);
  const tags: Record<string, string> = {};
  if (r.type.startsWith("aws:") && r.provider !== undefined) {
    Object.assign(tags, stringRecord(rec(rec(r.provider.props.defaultTags).tags)));
  }
  for (const [k, v] of Object.entries(own)) {
    if (where.prefix === undefined) tags[k] = v;
    else if (k.startsWith(where.prefix)) tags[k.slice(where.prefix.length)] = v;
  }
  return tags;
}

/**
 * Owner, domain, data-classification, environment and cost-center on every taggable resource,
 * and the environment tag naming the environment deployed to: the inventory of systems holding
 * ePHI and who answers for them. HIPAA §164.308(a)(1)(ii)(A) risk analysis (asset inventory),
 * §164.308(a)(2) assigned security responsibility.
 */
export const tagsRequired = resourcePolicy(
  {
    name: "tags-required",
    description:
      "Taggable resources carry owner, domain, data-classification, environment and cost-center, and the environment tag is right.",
    remediation:
      "Pass the house tags to the component (tags: { owner, domain, data-classification, environment, cost-center }); @hdp/platform computes them from config.",
    resourceTypes: ["*"],
    hipaa: ["§164.308(a)(1)(ii)(A)", "§164.308(a)(2)"],
    awsConfig: [],
    severity: "low",
    uses: ["requiredTags"],
  },
  (r, ctx) => {
    const tags = resourceTags(r);
    if (tags === undefined || tags === "unknown") return [];
    const missing = ctx.requiredTags.filter((k) => (tags[k] ?? "").trim() === "");
    const out = missing.length > 0 ? [`missing tag(s) ${missing.join(", ")}`] : [];
    const env = tags.environment;
    if (env !== undefined && env !== "" && env !== ctx.environment) {
      out.push(`tag environment is "${env}" but the resource goes to ${ctx.environment}`);
    }
    return out;
  },
);

/** Tags of a stack resource (no provider defaults: stack views carry `tagsAll` instead). */
export function stackResourceTags(type: string, props: Props): Record<string, string> {
  const own = resourceTags({ type, props });
  if (own === undefined || own === "unknown") return {};
  return { ...stringRecord(props.tagsAll), ...own };
}

export const tagsPolicies = [tagsRequired];

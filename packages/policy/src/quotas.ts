/**
 * Service quotas and size limits the rules check against. Defaults are the providers' documented
 * defaults (as of 2025); raise them in the policy context after raising the quota itself.
 */

/** Quotas and size limits, all overridable through the policy context's `limits`. */
export interface QuotaLimits {
  /** S3 general purpose buckets per account: 10,000 by default (raisable to 1,000,000). */
  readonly s3BucketsPerAccount: number;
  /** IAM roles per account: 1,000 by default (raisable to 5,000). */
  readonly iamRolesPerAccount: number;
  /** IAM customer managed policies per account: 1,500 by default (raisable to 5,000). */
  readonly iamManagedPoliciesPerAccount: number;
  /** Managed policies attached to one role: 10 by default (raisable to 20). */
  readonly managedPoliciesPerRole: number;
  /** Characters of a managed policy, whitespace not counted: 6,144 (fixed). */
  readonly managedPolicyLength: number;
  /** Characters of a role trust policy, whitespace not counted: 2,048 by default (raisable to 4,096). */
  readonly trustPolicyLength: number;
  /** Characters of all inline policies of one role together: 10,240 (fixed). */
  readonly inlinePoliciesPerRoleLength: number;
  /** Saved Databricks jobs per workspace: 12,000 on AWS (Azure documents 10,000). */
  readonly databricksJobsPerWorkspace: number;
  /** Unity Catalog schemas per catalog: 10,000. */
  readonly unityCatalogSchemasPerCatalog: number;
  /** Unity Catalog tables per schema: 10,000. */
  readonly unityCatalogTablesPerSchema: number;
}

/** The documented defaults. */
export const QUOTA_DEFAULTS: QuotaLimits = {
  s3BucketsPerAccount: 10_000,
  iamRolesPerAccount: 1_000,
  iamManagedPoliciesPerAccount: 1_500,
  managedPoliciesPerRole: 10,
  managedPolicyLength: 6_144,
  trustPolicyLength: 2_048,
  inlinePoliciesPerRoleLength: 10_240,
  databricksJobsPerWorkspace: 12_000,
  unityCatalogSchemasPerCatalog: 10_000,
  unityCatalogTablesPerSchema: 10_000,
};

/**
 * Objects that already count against an account or workspace quota but are not among the
 * resources evaluated (other stacks of the same account, objects made outside Pulumi).
 */
export interface QuotaUsage {
  readonly s3BucketsPerAccount: number;
  readonly iamRolesPerAccount: number;
  readonly iamManagedPoliciesPerAccount: number;
  readonly databricksJobsPerWorkspace: number;
}

/** The keys of {@link QuotaLimits}, in a fixed order. */
export const QUOTA_KEYS = Object.keys(QUOTA_DEFAULTS) as (keyof QuotaLimits)[];

/** The keys of {@link QuotaUsage}. */
export const USAGE_KEYS: readonly (keyof QuotaUsage)[] = [
  "s3BucketsPerAccount",
  "iamRolesPerAccount",
  "iamManagedPoliciesPerAccount",
  "databricksJobsPerWorkspace",
];

/** The resource types each account or workspace quota counts. */
export const ACCOUNT_QUOTA_TYPES: Readonly<Record<keyof QuotaUsage, readonly string[]>> = {
  s3BucketsPerAccount: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
  iamRolesPerAccount: ["aws:iam/role:Role"],
  iamManagedPoliciesPerAccount: ["aws:iam/policy:Policy"],
  databricksJobsPerWorkspace: ["databricks:index/job:Job"],
};

const COUNTED: Readonly<Record<keyof QuotaUsage, string>> = {
  s3BucketsPerAccount: "S3 buckets in the account",
  iamRolesPerAccount: "IAM roles in the account",
  iamManagedPoliciesPerAccount: "IAM managed policies in the account",
  databricksJobsPerWorkspace: "Databricks jobs in the workspace",
};

/**
 * The account and workspace quotas that `counts` (resources by type token) plus `usage` from
 * elsewhere exceed, each with its message. The `stack-service-quotas` rule applies it to one
 * stack; `hdp plan` also to the summed counts of every stack of an environment (one account).
 */
export function accountQuotasExceeded(
  counts: Readonly<Record<string, number>>,
  limits: QuotaLimits,
  usage: Partial<QuotaUsage> = {},
): { readonly key: keyof QuotaUsage; readonly message: string }[] {
  const out: { key: keyof QuotaUsage; message: string }[] = [];
  for (const key of USAGE_KEYS) {
    const n = ACCOUNT_QUOTA_TYPES[key].reduce((sum, t) => sum + (counts[t] ?? 0), usage[key] ?? 0);
    if (n > limits[key]) {
      out.push({ key, message: `${n} ${COUNTED[key]}, over the quota of ${limits[key]} (${key})` });
    }
  }
  return out;
}

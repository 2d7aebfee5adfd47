/** `configs/environments/<env>.yaml`: one deployment environment (dev, stage, prod). */
import { z } from "zod";
import { ENVIRONMENT_CLASSES } from "@hdp/naming";
import { access } from "./access";
import { DOMAIN_IDS, kebabId } from "./common";
import { databricksGroups } from "./groups";
import { audit, offAccountCopy, workspaceHardening } from "./hardening";

/**
 * The budget of an environment that sets none (`sharding.resourceBudget`): the most resources one
 * stack may hold. Stacks are sized against it with `estimateStackResources` (stack-size.ts).
 */
export const DEFAULT_RESOURCE_BUDGET = 3000;

/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export const shard = z.strictObject({
  /** Stack name suffix: the stack is `<env>-<id>`. "core" is reserved for shared objects. */
  id: kebabId.refine((id) => id !== "core", {
    message: '"core" is reserved for the shard of shared objects',
  }),
  /** Data domains whose sources live in this shard. */
  domains: z.array(z.enum(DOMAIN_IDS)).default([]),
  /** Individual sources moved here from their domain's shard (a reviewed, explicit move). */
  sources: z.array(kebabId).default([]),
});
export type ShardConfig = z.infer<typeof shard>;

/**
 * A reason an engineer wrote: at least 10 characters once trimmed (whitespace explains nothing),
 * with letters in it, and not the `<…>` placeholder `hdp plan` suggests.
 */
export const reviewedReason = (what: string) =>
  z.string().superRefine((s, ctx) => {
    const problem =
      s.trim().length < 10
        ? `must explain ${what} (at least 10 characters besides spaces)`
        : /^\s*<.*>\s*$/s.test(s)
          ? `is still the <placeholder>: write the real reason (${what})`
          : !/\p{L}{2}/u.test(s)
            ? `must explain ${what} in words, not only digits or symbols`
            : undefined;
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

/** A calendar date `YYYY-MM-DD` that exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date such as "2027-03-31" (quote it)' })
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
      new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: "must be a real calendar date",
    },
  );

/**
 * A reviewed exception: one policy rule relaxed for one resource, with the reason, who approved
 * it and until when. An expired relaxation relaxes nothing and is itself a finding of the plan.
 */
export const policyRelaxation = z.strictObject({
  /** The rule's name, e.g. "s3-bucket-access-logging". */
  rule: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: "must be a policy rule name (kebab-case)" }),
  /** The resource's logical name as `hdp plan` shows it. */
  resource: z.string().min(1),
  /** Why; shown in every plan. */
  reason: reviewedReason("the exception"),
  /** Who approved the exception (their email address); shown with the reason. */
  approvedBy: z.email({ message: "must be the approver's email address" }),
  /** The last day the exception holds (`YYYY-MM-DD`, UTC); after it the rule applies again. */
  expires: isoDate,
});
export type PolicyRelaxation = z.infer<typeof policyRelaxation>;

/**
 * Service quotas of the environment's account and workspace, where they were raised above the
 * AWS and Databricks defaults (the policy pack's `stack-service-quotas` counts against them).
 * Names and defaults: QuotaLimits in @hdp/policy.
 */
export const QUOTA_LIMIT_KEYS = [
  "s3BucketsPerAccount",
  "iamRolesPerAccount",
  "iamManagedPoliciesPerAccount",
  "managedPoliciesPerRole",
  "managedPolicyLength",
  "trustPolicyLength",
  "inlinePoliciesPerRoleLength",
  "databricksJobsPerWorkspace",
  "unityCatalogSchemasPerCatalog",
  "unityCatalogTablesPerSchema",
] as const;
export const quotaLimits = z.strictObject(
  Object.fromEntries(QUOTA_LIMIT_KEYS.map((k) => [k, z.int().min(1).optional()])) as Record<
    (typeof QUOTA_LIMIT_KEYS)[number],
    z.ZodOptional<z.ZodInt>
  >,
);

/** A reviewed permission to delete or replace one stateful resource in this environment. */
export const destroyAllowance = z.strictObject({
  /** The resource's logical name as `hdp plan --base` shows it. */
  resource: z.string().min(1),
  reason: reviewedReason("why the data may go"),
});
export type DestroyAllowance = z.infer<typeof destroyAllowance>;

export const environment = z.strictObject({
  $schema: z.string().optional(),
  name: kebabId,
  aws: z.strictObject({
    accountId: z
      .string()
      .regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id (quote it in YAML)" }),
    vpcId: z
      .string()
      .regex(/^vpc-[0-9a-f]{8,17}$/, { message: 'must be a VPC id such as "vpc-0abc1234"' }),
    /** Exactly two private subnets in different AZs (MWAA requires two). */
    privateSubnetIds: z
      .array(
        z.string().regex(/^subnet-[0-9a-f]{8,17}$/, {
          message: 'must be a subnet id such as "subnet-0abc1234"',
        }),
      )
      .length(2, {
        message: "MWAA needs exactly two private subnets in different availability zones",
      }),
  }),
  databricks: z.strictObject({
    workspaceUrl: z.url({ protocol: /^https$/, message: "must be the workspace's https URL" }),
    /** Unity Catalog metastore id (one per region). */
    metastoreId: z.guid({ message: "must be the metastore's UUID (8-4-4-4-12 hex digits)" }),
    /** Group that administers the catalog; always kept in grants so deploys cannot lock it out. */
    adminGroup: z.string().min(1),
    /**
     * The people's groups, platform-wide and per domain: engineers and readers. Each becomes
     * Unity Catalog grants and job, cluster-policy and pool permissions (none by default: only
     * the admin group and the deployer then reach anything).
     */
    groups: databricksGroups.prefault({}),
    /** IP access list, token lifetime, compliance security profile, the jobs' service principal. */
    hardening: workspaceHardening.prefault({}),
  }),
  /**
   * What patient data may exist here: `real` (stage/prod only), `synthetic` (generated by
   * `hdp simulate`), or `none` (PHI tables must be disabled in this environment).
   */
  phi: z.enum(["real", "synthetic", "none"]),
  /** How policy violations are treated: advisory (reported) or mandatory (fail the plan). */
  enforcement: z.enum(["advisory", "mandatory"]),
  /** Protect stateful resources (buckets, keys, catalogs) from deletion. */
  protectStatefulResources: z.boolean(),
  airflow: z.strictObject({
    environmentClass: z.enum(ENVIRONMENT_CLASSES),
    minWorkers: z.int().min(1).max(25),
    maxWorkers: z.int().min(1).max(25),
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/, { message: 'must be a pinned Airflow version such as "2.10.3"' }),
    webserverAccess: z.enum(["PRIVATE_ONLY", "PUBLIC_ONLY"]).default("PRIVATE_ONLY"),
  }),
  /** How people reach the platform: the network path to the Airflow UI. */
  access,
  compute: z.strictObject({
    /**
     * Idle auto-termination of all-purpose compute: 0 (never) or 10-10000 minutes. The platform
     * creates job compute only (job clusters end with their run, and Databricks ignores
     * auto-termination there: the job policies pin `cluster_type: job` instead), so this is
     * validated but applied to nothing yet. Optional.
     */
    autoterminationMinutes: z
      .int()
      .refine((m) => m === 0 || (m >= 10 && m <= 10000), {
        message: "must be 0 or between 10 and 10000 minutes (Databricks' limits)",
      })
      .optional(),
    maxWorkers: z.int().min(1).max(1000),
    nodeTypes: z.array(z.string().min(1)).min(1),
    /** Databricks runtime: "auto:latest-lts" or an allow-list of runtime keys. */
    sparkVersions: z.array(z.string().min(1)).min(1).default(["auto:latest-lts"]),
  }),
  retention: z.strictObject({
    /** Days noncurrent object versions are kept on Delta layers (Databricks advises short). */
    noncurrentVersionDays: z.int().min(1).max(365),
    /** Days CloudWatch logs are kept: one of the values CloudWatch Logs accepts. */
    logDays: z.int().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `must be a retention CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
    }),
  }),
  sharding: z
    .strictObject({
      /** Most resources one stack may hold. */
      resourceBudget: z.int().min(100).max(50000).default(DEFAULT_RESOURCE_BUDGET),
      /** Without shards, the environment is one stack named after it. */
      shards: z.array(shard).default([]),
    })
    .default({ resourceBudget: DEFAULT_RESOURCE_BUDGET, shards: [] }),
  /** Where reads of PHI are recorded, and for how long (the audit trail). */
  audit: audit.prefault({}),
  /**
   * An AWS Backup copy of the PHI buckets into a vault of another account, so a compromised
   * account cannot destroy the only copy. Required where `phi` is `real` in production.
   */
  offAccountCopy: offAccountCopy.optional(),
  /** Notified when a job fails. */
  alertEmails: z.array(z.email()).min(1),
  /** Reviewed exceptions to the policy pack and the destructive-change guard. */
  policies: z
    .strictObject({
      relaxations: z.array(policyRelaxation).default([]),
      allowDestroy: z.array(destroyAllowance).default([]),
      /** Quotas raised above the defaults (e.g. `iamRolesPerAccount: 5000`). */
      quotas: quotaLimits.default({}),
    })
    .default({ relaxations: [], allowDestroy: [], quotas: {} }),
});
export type EnvironmentConfig = z.infer<typeof environment>;

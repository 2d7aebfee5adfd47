/**
 * The HIPAA audit and hardening settings of an environment: where object-level reads of PHI are
 * recorded and for how long, how the Databricks workspace is locked down, and the off-account
 * copy of production PHI. Every field has a secure default (or a tier default the platform
 * applies, see `auditRetentionDays`), so an environment file needs none of them.
 */
import { z } from "zod";

const CIDR_V4 =
  /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;

/** An organisation trail that already records this account's S3 data events (checked, documented). */
export const organizationTrail = z.strictObject({
  /** The trail's ARN (in the organisation's management or delegated-admin account). */
  trailArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[A-Za-z0-9._-]{3,128}$/, {
      message:
        "must be a CloudTrail trail ARN (arn:aws:cloudtrail:<region>:<account>:trail/<name>)",
    }),
  /** Where its logs land (for `hdp explain`), e.g. `s3://org-audit/AWSLogs/`. */
  logLocation: z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, {
    message: "must be the trail's s3:// log location",
  }),
  /** Why the platform relies on it instead of its own trail (reviewed). */
  reason: z.string().min(10, { message: "must explain the choice (at least 10 characters)" }),
});

export const audit = z.strictObject({
  /**
   * Days every audit record (CloudTrail, Databricks audit logs) stays under S3 Object Lock in
   * COMPLIANCE mode. Default by tier: prod 2192 (six years, §164.316(b)(2)), stage 365, dev 7.
   */
  retentionDays: z.int().min(1).max(36500).optional(),
  /** Use this organisation trail instead of creating one. @default the platform's own trail */
  organizationTrail: organizationTrail.optional(),
});
export type AuditConfig = z.infer<typeof audit>;

export const workspaceHardening = z.strictObject({
  /**
   * CIDRs allowed to reach the workspace (UI, API, tokens). Empty: no IP access list (refused
   * by the policy pack where real PHI is processed).
   */
  ipAccessList: z
    .array(z.string().regex(CIDR_V4, { message: 'must be an IPv4 CIDR such as "10.20.0.0/16"' }))
    .default([]),
  /** Longest lifetime of a personal access token, in days (1–730). */
  maxTokenLifetimeDays: z.int().min(1).max(730).default(90),
  /**
   * The compliance security profile (HIPAA): hardened images, enhanced monitoring, FIPS
   * endpoints. @default on where `phi` is `real`
   */
  complianceSecurityProfile: z.boolean().optional(),
  /** Application id (UUID) of the service principal jobs run as. @default jobs run as the deployer */
  jobsRunAs: z
    .guid({ message: "must be the service principal's application id (a UUID)" })
    .optional(),
  /**
   * Application id (UUID) of the service principal Airflow's Databricks connection
   * (`databricks_default` on MWAA) signs in as. It gets `CAN_MANAGE_RUN` on every job a DAG
   * triggers: run now, watch and cancel runs, nothing more. @default none: only workspace admins
   * and the job's owner can then run the jobs, and the policy pack reports every job
   * (`databricks-job-trigger-access`)
   */
  airflowPrincipal: z
    .guid({ message: "must be the service principal's application id (a UUID)" })
    .optional(),
});
export type WorkspaceHardeningConfig = z.infer<typeof workspaceHardening>;

export const offAccountCopy = z.strictObject({
  /** An AWS Backup vault in another account (the copy destination). */
  destinationVaultArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[A-Za-z0-9_.-]{2,50}$/, {
      message:
        "must be an AWS Backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>)",
    }),
  /** AWS Backup schedule (cron in UTC). @default daily at 05:00 UTC */
  schedule: z
    .string()
    .regex(/^cron\(.+\)$/, { message: 'must be "cron(...)"' })
    .default("cron(0 5 * * ? *)"),
  /** Days recovery points are kept, locally and in the copy. */
  retentionDays: z.int().min(7).max(36500).default(35),
});
export type OffAccountCopyConfig = z.infer<typeof offAccountCopy>;

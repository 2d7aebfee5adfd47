/**
 * Coverage of the four anchors — cdk-nag's HIPAA Security pack, the AWS Config HIPAA conformance
 * pack, Pulumi's AWSGuard pack and the Databricks Security Reference Architecture (SRA) — by the
 * rules of this pack. Covered and partial come from the rules' metadata; the catalogue below
 * gives the reason for every anchor rule no rule covers. Rendered into the README
 * (`renderCoverageTable()`; a test keeps it in sync).
 */
import { HIPAA_CONFORMANCE_PACK } from "./anchor-packs";
import type { HdpPolicy } from "./define";
import { policies as allPolicies } from "./policies";

export type Anchor = "cdk-nag" | "aws-config" | "awsguard" | "databricks-sra";

/** An anchor rule that concerns what the platform creates, and why it is uncovered when it is. */
export interface AnchorRule {
  readonly anchor: Anchor;
  readonly id: string;
  /** Why no rule is needed: the platform creates nothing the anchor rule checks. */
  readonly notApplicable?: string;
  /** Why no rule covers it although it applies (a known gap, and where it is handled). */
  readonly notCovered?: string;
}

/** Sizes of the anchors, for the summary (AWS Config: the conformance pack above). */
export const ANCHOR_SIZES: Readonly<Record<Anchor, number>> = {
  // cdklabs/cdk-nag src/packs/hipaa-security.ts
  "cdk-nag": 90,
  "aws-config": HIPAA_CONFORMANCE_PACK.length,
  // pulumi/pulumi-policy-aws src/*.ts
  awsguard: 28,
  "databricks-sra": 13,
};

const VPC = "the platform deploys into an existing VPC it does not create";
const ACCOUNT =
  "an account-level setting, managed by the organisation's landing zone, not per stack";
const EC2 =
  "Databricks launches and manages the cluster nodes; the platform controls them through cluster policies";

/** The anchor rules about what the platform creates; rules covering others are not listed. */
export const ANCHOR_RULES: readonly AnchorRule[] = [
  // cdk-nag HIPAA Security
  ...[
    "S3BucketLevelPublicAccessProhibited",
    "S3BucketLoggingEnabled",
    "S3BucketPublicReadProhibited",
    "S3BucketPublicWriteProhibited",
    "S3BucketReplicationEnabled",
    "S3BucketServerSideEncryptionEnabled",
    "S3BucketSSLRequestsOnly",
    "S3BucketVersioningEnabled",
    "S3DefaultEncryptionKMS",
    "IAMPolicyNoStatementsWithAdminAccess",
    "IAMPolicyNoStatementsWithFullAccess",
    "CloudTrailEncryptionEnabled",
    "CloudTrailLogFileValidationEnabled",
    "CloudWatchLogGroupEncrypted",
    "CloudWatchLogGroupRetentionPeriod",
    "EC2RestrictedCommonPorts",
  ].map((id): AnchorRule => ({ anchor: "cdk-nag", id: `HIPAA.Security-${id}` })),
  {
    anchor: "cdk-nag",
    id: "HIPAA.Security-IAMNoInlinePolicy",
    notCovered:
      "roles keep their least-privilege statements inline where they are one role's alone; iam-document-size bounds them",
  },
  {
    anchor: "cdk-nag",
    id: "HIPAA.Security-CloudTrailCloudWatchLogsEnabled",
    notCovered:
      "the trail's files are locked in S3 (s3-audit-object-lock); streaming to CloudWatch for alerting is the SIEM's job",
  },
  {
    anchor: "cdk-nag",
    id: "HIPAA.Security-EC2RestrictedSSH",
    notApplicable: `${EC2} (SSH keys: databricks-no-ssh-keys)`,
  },
  { anchor: "cdk-nag", id: "HIPAA.Security-VPCDefaultSecurityGroupClosed", notApplicable: VPC },
  { anchor: "cdk-nag", id: "HIPAA.Security-VPCFlowLogsEnabled", notApplicable: VPC },
  { anchor: "cdk-nag", id: "HIPAA.Security-EC2InstanceProfileAttached", notApplicable: EC2 },
  // AWS Config HIPAA conformance pack
  ...[
    "s3-bucket-server-side-encryption-enabled",
    "s3-default-encryption-kms",
    "s3-bucket-versioning-enabled",
    "s3-bucket-public-read-prohibited",
    "s3-bucket-public-write-prohibited",
    "s3-bucket-ssl-requests-only",
    "s3-bucket-logging-enabled",
    "s3-bucket-acl-prohibited",
    "s3-version-lifecycle-policy-check",
    "s3-bucket-default-lock-enabled",
    "s3-bucket-replication-enabled",
    "iam-policy-no-statements-with-admin-access",
    "iam-policy-no-statements-with-full-access",
    "iam-customer-policy-blocked-kms-actions",
    "iam-inline-policy-blocked-kms-actions",
    "kms-cmk-not-scheduled-for-deletion",
    "cloudtrail-enabled",
    "cloudtrail-s3-dataevents-enabled",
    "cloud-trail-encryption-enabled",
    "cloud-trail-log-file-validation-enabled",
    "multi-region-cloudtrail-enabled",
    "restricted-common-ports",
    "vpc-sg-open-only-to-authorized-ports",
    "restricted-ssh",
    "encrypted-volumes",
  ].map((id): AnchorRule => ({ anchor: "aws-config", id })),
  {
    anchor: "aws-config",
    id: "cloud-trail-cloud-watch-logs-enabled",
    notCovered:
      "the trail's files are locked in S3 (s3-audit-object-lock); streaming to CloudWatch for alerting is the SIEM's job",
  },
  {
    anchor: "aws-config",
    id: "iam-no-inline-policy-check",
    notCovered:
      "roles keep their least-privilege statements inline where they are one role's alone; iam-document-size bounds them",
  },
  {
    anchor: "aws-config",
    id: "backup-recovery-point-manual-deletion-disabled",
    notCovered:
      "OffAccountCopy locks its vault (VaultLockConfiguration); no rule checks other vaults",
  },
  {
    anchor: "aws-config",
    id: "backup-recovery-point-encrypted",
    notCovered: "OffAccountCopy encrypts its vault with its own key; no rule checks other vaults",
  },
  {
    anchor: "aws-config",
    id: "backup-plan-min-frequency-and-min-retention-check",
    notCovered:
      "schedule and retention come from offAccountCopy in config (daily, 35 days by default)",
  },
  {
    anchor: "aws-config",
    id: "s3-account-level-public-access-blocks-periodic",
    notApplicable: ACCOUNT,
  },
  { anchor: "aws-config", id: "ec2-ebs-encryption-by-default", notApplicable: ACCOUNT },
  { anchor: "aws-config", id: "guardduty-enabled-centralized", notApplicable: ACCOUNT },
  { anchor: "aws-config", id: "securityhub-enabled", notApplicable: ACCOUNT },
  { anchor: "aws-config", id: "vpc-default-security-group-closed", notApplicable: VPC },
  { anchor: "aws-config", id: "vpc-flow-logs-enabled", notApplicable: VPC },
  { anchor: "aws-config", id: "ec2-instance-profile-attached", notApplicable: EC2 },
  { anchor: "aws-config", id: "ec2-imdsv2-check", notApplicable: EC2 },
  {
    anchor: "aws-config",
    id: "s3-event-notifications-enabled",
    notApplicable: "the lake is read on schedules (Airflow), not through S3 events",
  },
  // AWSGuard
  { anchor: "awsguard", id: "s3-bucket-logging-enabled" },
  { anchor: "awsguard", id: "cmk-backing-key-rotation-enabled" },
  { anchor: "awsguard", id: "encrypted-volumes" },
  {
    anchor: "awsguard",
    id: "iam-role-no-policy-management-conflicts",
    notCovered:
      "the components give each role either inline policies or attachments of their own, never both managers; no rule checks hand-written roles",
  },
  {
    anchor: "awsguard",
    id: "security-group-no-rule-management-conflicts",
    notCovered:
      "the MWAA group has no inline rules, only separate rule resources; no rule checks hand-written groups",
  },
  // Databricks SRA and security best practices
  ...[
    "sra-audit-logs",
    "sra-verbose-audit-logs",
    "sra-ip-access-lists",
    "sra-token-management",
    "sra-exfiltration-settings",
    "sra-compliance-security-profile",
    "sra-compute-policies",
    "sra-service-principals",
    "sra-unity-catalog-access",
    "sra-workspace-isolation",
    "sra-s3-backup",
  ].map((id): AnchorRule => ({ anchor: "databricks-sra", id })),
  {
    anchor: "databricks-sra",
    id: "sra-customer-managed-keys",
    notCovered:
      "workspace customer-managed keys are account-level (MWS) objects the stacks' workspace providers cannot create",
  },
  {
    anchor: "databricks-sra",
    id: "sra-private-link",
    notCovered:
      "PrivateLink belongs to the workspace's network configuration, created outside the platform",
  },
];

/** The anchor rule ids a policy names, per anchor. */
export function anchorIdsOf(p: HdpPolicy): { anchor: Anchor; id: string }[] {
  const d = p.doc;
  return [
    ...d.awsConfig.map((id) => ({ anchor: "aws-config" as const, id })),
    ...(d.anchors?.cdkNag ?? []).map((id) => ({ anchor: "cdk-nag" as const, id })),
    ...(d.anchors?.awsguard ?? []).map((id) => ({ anchor: "awsguard" as const, id })),
    ...(d.anchors?.sra ?? []).map((id) => ({ anchor: "databricks-sra" as const, id })),
  ];
}

/** One row of the coverage table. */
export interface CoverageRow {
  readonly anchor: Anchor;
  readonly id: string;
  readonly status: "covered" | "partial" | "not covered" | "not applicable";
  readonly rules: readonly string[];
  readonly reason: string;
}

/** The coverage of every catalogued anchor rule by `policies`. */
export function coverage(policies: readonly HdpPolicy[] = allPolicies): CoverageRow[] {
  return ANCHOR_RULES.map((a): CoverageRow => {
    const by = policies.filter((p) =>
      anchorIdsOf(p).some((x) => x.anchor === a.anchor && x.id === a.id),
    );
    const partial = by
      .map((p) => p.doc.partial?.[a.id])
      .filter((r): r is string => r !== undefined);
    const rules = by.map((p) => p.name);
    if (by.length > 0 && partial.length === by.length)
      return { ...a, status: "partial", rules, reason: partial.join("; ") };
    if (by.length > 0) return { ...a, status: "covered", rules, reason: "" };
    if (a.notApplicable !== undefined)
      return { ...a, status: "not applicable", rules, reason: a.notApplicable };
    return { ...a, status: "not covered", rules, reason: a.notCovered ?? "" };
  });
}

const ANCHOR_NAMES: Readonly<Record<Anchor, string>> = {
  "cdk-nag": "cdk-nag HIPAA Security",
  "aws-config": "AWS Config HIPAA conformance pack",
  awsguard: "AWSGuard",
  "databricks-sra": "Databricks SRA",
};

const cell = (s: string): string => s.replace(/([|*_])/g, "\\$1").replace(/\n/g, " ");

/** The README's coverage table: a summary per anchor, then one row per catalogued anchor rule. */
export function renderCoverageTable(policies: readonly HdpPolicy[] = allPolicies): string {
  const rows = coverage(policies);
  const anchors = Object.keys(ANCHOR_NAMES) as Anchor[];
  const summary = anchors.map((a) => {
    const of = rows.filter((r) => r.anchor === a);
    const n = (s: CoverageRow["status"]) => of.filter((r) => r.status === s).length;
    const rest = ANCHOR_SIZES[a] - of.length;
    return `| ${ANCHOR_NAMES[a]} | ${ANCHOR_SIZES[a]} | ${n("covered")} | ${n("partial")} | ${n("not covered")} | ${n("not applicable") + rest} |`;
  });
  return [
    "| anchor | rules | covered | partial | not covered | not applicable |",
    "| --- | --- | --- | --- | --- | --- |",
    ...summary,
    "",
    "Not listed below: the anchor rules for services the platform never creates (RDS, DynamoDB, ELB, Lambda, API Gateway, OpenSearch, Redshift, SageMaker, …), counted as not applicable above.",
    "",
    "| anchor | anchor rule | status | rules here | reason |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${ANCHOR_NAMES[r.anchor]} | \`${r.id}\` | ${r.status} | ${r.rules.map((x) => `\`${x}\``).join(", ")} | ${cell(r.reason)} |`,
    ),
  ].join("\n");
}

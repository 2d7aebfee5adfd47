import * as pulumi from "@pulumi/pulumi";
import * as backup from "@pulumi/aws/backup";
import * as iam from "@pulumi/aws/iam";
import { LakeKey } from "./lake-key";
import { componentOptions, throwIfProblems } from "./validation";

/** Arguments of {@link OffAccountCopy}. */
export interface OffAccountCopyArgs {
  /** Local vault name (2–50 letters, digits, `-`, `_`, `.`). */
  readonly vaultName: string;
  /** Alias of the local vault's key. */
  readonly keyAliasName: string;
  readonly accountId: string;
  /**
   * ARNs (or ARN patterns such as `arn:aws:s3:::*`) of the buckets to back up (versioned: AWS
   * Backup requires it). At least one.
   */
  readonly bucketArns: readonly pulumi.Input<string>[];
  /**
   * Only buckets carrying all these tags, e.g. `{ "data-classification": "phi" }`: with a
   * pattern, every such bucket is copied, including buckets added later.
   * @default {} (every bucket of `bucketArns`)
   */
  readonly requiredTags?: Readonly<Record<string, string>>;
  /**
   * A vault in another account that receives a copy of every recovery point. Its access policy
   * must allow `backup:CopyIntoBackupVault` from this account, and the organisation must allow
   * cross-account backup (AWS Backup's setting in the management account).
   */
  readonly destinationVaultArn: string;
  /** AWS Backup schedule. @default "cron(0 5 * * ? *)" */
  readonly schedule?: string;
  /** Days recovery points are kept, locally and in the copy (7–36500). @default 35 */
  readonly retentionDays?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/** The managed policies AWS Backup needs to back up and restore S3 (AWS-maintained). */
export const S3_BACKUP_POLICY_ARNS = [
  "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
  "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
] as const;

const VAULT_ARN = /^arn:aws[a-z-]*:backup:[a-z0-9-]+:(\d{12}):backup-vault:[A-Za-z0-9_.-]{2,50}$/;

/** Every problem with {@link OffAccountCopyArgs} that can be seen before deploy. */
export function validateOffAccountCopyArgs(args: OffAccountCopyArgs): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_.-]{2,50}$/.test(args.vaultName))
    problems.push(`vaultName "${args.vaultName}" must be 2-50 letters, digits, "-", "_" or "."`);
  const m = VAULT_ARN.exec(args.destinationVaultArn);
  if (m === null) {
    problems.push(`destinationVaultArn "${args.destinationVaultArn}" is not a backup vault ARN`);
  } else if (m[1] === args.accountId) {
    problems.push(
      `destinationVaultArn is in this account (${args.accountId}): the copy must be in another account`,
    );
  }
  const days = args.retentionDays ?? OFF_ACCOUNT_COPY_DEFAULTS.retentionDays;
  if (!Number.isInteger(days) || days < 7 || days > 36500)
    problems.push(`retentionDays is ${days}; it must be a whole number from 7 to 36500`);
  if (args.bucketArns.length === 0) problems.push("bucketArns is empty: nothing would be copied");
  return problems;
}

/** The defaults of {@link OffAccountCopy}. */
export const OFF_ACCOUNT_COPY_DEFAULTS = {
  schedule: "cron(0 5 * * ? *)",
  retentionDays: 35,
} as const;

/**
 * A copy of buckets that a compromised account cannot destroy: AWS Backup backs them up on a
 * schedule into a local vault (its own KMS key, vault lock for the retention) and copies every
 * recovery point into a vault of another account. The backup role is trusted by AWS Backup only
 * and holds AWS's S3 backup and restore policies; the selection waits for their attachments.
 */
export class OffAccountCopy extends pulumi.ComponentResource {
  public readonly vault: backup.Vault;
  public readonly plan: backup.Plan;
  public readonly selection: backup.Selection;
  public readonly role: iam.Role;

  constructor(name: string, args: OffAccountCopyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:lake:OffAccountCopy", name, {}, componentOptions(opts));
    throwIfProblems("OffAccountCopy", name, validateOffAccountCopyArgs(args));
    const d = OFF_ACCOUNT_COPY_DEFAULTS;
    const days = args.retentionDays ?? d.retentionDays;
    const tags = { ...args.tags };
    const stateful = {
      parent: this,
      // Stateful by default: the caller's resource options may turn it off (dev).
      protect: opts?.protect ?? true,
      retainOnDelete: opts?.retainOnDelete ?? true,
    };

    const key = new LakeKey(
      `${name}-key`,
      {
        accountId: args.accountId,
        aliasName: args.keyAliasName,
        description: `Backup vault ${args.vaultName}`,
        tags,
      },
      stateful,
    );
    this.vault = new backup.Vault(
      `${name}-vault`,
      { name: args.vaultName, kmsKeyArn: key.keyArn, forceDestroy: false, tags },
      stateful,
    );
    // Governance-mode vault lock: recovery points cannot be deleted before their retention.
    new backup.VaultLockConfiguration(
      `${name}-vault-lock`,
      { backupVaultName: this.vault.name, minRetentionDays: days },
      stateful,
    );
    this.role = new iam.Role(
      `${name}-role`,
      {
        name: `${args.vaultName}-backup`.slice(0, 64),
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "backup.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
            },
          ],
        }),
        tags,
      },
      { parent: this },
    );
    const attachments = S3_BACKUP_POLICY_ARNS.map(
      (policyArn) =>
        new iam.RolePolicyAttachment(
          `${name}-role-${attachmentSuffix(policyArn)}`,
          { role: this.role.name, policyArn },
          { parent: this },
        ),
    );
    const lifecycle = { deleteAfter: days };
    this.plan = new backup.Plan(
      `${name}-plan`,
      {
        name: args.vaultName,
        rules: [
          {
            ruleName: "scheduled-with-off-account-copy",
            targetVaultName: this.vault.name,
            schedule: args.schedule ?? d.schedule,
            lifecycle,
            copyActions: [{ destinationVaultArn: args.destinationVaultArn, lifecycle }],
          },
        ],
        tags,
      },
      { parent: this },
    );
    this.selection = new backup.Selection(
      `${name}-selection`,
      {
        name: args.vaultName,
        planId: this.plan.id,
        iamRoleArn: this.role.arn,
        resources: [...args.bucketArns],
        ...(Object.keys(args.requiredTags ?? {}).length > 0
          ? {
              conditions: [
                {
                  stringEquals: Object.entries(args.requiredTags ?? {})
                    .sort(([a], [b]) => (a < b ? -1 : 1))
                    .map(([k, value]) => ({ key: `aws:ResourceTag/${k}`, value })),
                },
              ],
            }
          : {}),
      },
      { parent: this, dependsOn: attachments },
    );
    this.registerOutputs({ vaultArn: this.vault.arn, planId: this.plan.id });
  }
}

/** `…/AWSBackupServiceRolePolicyForS3Backup` -> `s3backup`: a stable child-name suffix. */
function attachmentSuffix(policyArn: string): string {
  const last = policyArn.slice(policyArn.lastIndexOf("/") + 1);
  return last.replace(/^AWSBackupServiceRolePolicyFor/, "").toLowerCase();
}

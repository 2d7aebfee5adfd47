import { findResource, ofType, record } from "@hdp/testing";
import {
  OffAccountCopy,
  validateOffAccountCopyArgs,
  type OffAccountCopyArgs,
} from "./off-account-copy";

const args: OffAccountCopyArgs = {
  vaultName: "hdp-acme-prod-phi",
  keyAliasName: "alias/hdp-acme/prod/backup",
  accountId: "123456789012",
  bucketArns: [
    "arn:aws:s3:::hdp-acme-prod-clinical-bronze",
    "arn:aws:s3:::hdp-acme-prod-clinical-landing",
  ],
  destinationVaultArn: "arn:aws:backup:us-east-2:999999999999:backup-vault:phi-copy",
  retentionDays: 35,
  tags: { owner: "data-platform" },
};

describe("OffAccountCopy", () => {
  it("backs the buckets up on a schedule and copies every recovery point to the other account", async () => {
    const { resources } = await record(() => new OffAccountCopy("copy", args));
    const plan = findResource(resources, "aws:backup/plan:Plan", "copy-plan");
    expect(plan.inputs.rules).toEqual([
      {
        ruleName: "scheduled-with-off-account-copy",
        targetVaultName: "hdp-acme-prod-phi",
        schedule: "cron(0 5 * * ? *)",
        lifecycle: { deleteAfter: 35 },
        copyActions: [
          { destinationVaultArn: args.destinationVaultArn, lifecycle: { deleteAfter: 35 } },
        ],
      },
    ]);
    const selection = findResource(resources, "aws:backup/selection:Selection", "copy-selection");
    expect(selection.inputs.resources).toEqual(args.bucketArns);
    // The selection waits for the role's policies (AWS Backup checks the role when it runs).
    const attachments = ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    expect(attachments.map((a) => a.inputs.policyArn).sort()).toEqual([
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
    ]);
    for (const a of attachments) expect(selection.dependencies).toContain(a.urn);
  });

  it("encrypts and locks the local vault, and protects it", async () => {
    const { resources } = await record(() => new OffAccountCopy("copy", args));
    const vault = findResource(resources, "aws:backup/vault:Vault", "copy-vault");
    expect(typeof vault.inputs.kmsKeyArn).toBe("string");
    expect(vault.protect).toBe(true);
    const lock = findResource(
      resources,
      "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
      "copy-vault-lock",
    );
    expect(lock.inputs.minRetentionDays).toBe(35);
    const role = findResource(resources, "aws:iam/role:Role", "copy-role");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal).toEqual({
      Service: "backup.amazonaws.com",
    });
  });

  it("refuses a destination in the same account, and every other problem at once", () => {
    expect(
      validateOffAccountCopyArgs({
        ...args,
        vaultName: "x",
        destinationVaultArn: "arn:aws:backup:us-east-2:123456789012:backup-vault:phi-copy",
        retentionDays: 3,
        bucketArns: [],
      }),
    ).toEqual([
      'vaultName "x" must be 2-50 letters, digits, "-", "_" or "."',
      "destinationVaultArn is in this account (123456789012): the copy must be in another account",
      "retentionDays is 3; it must be a whole number from 7 to 36500",
      "bucketArns is empty: nothing would be copied",
    ]);
  });
});

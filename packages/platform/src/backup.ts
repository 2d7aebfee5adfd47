/** The off-account copy of the environment's PHI buckets, where its config asks for one. */
import type * as pulumi from "@pulumi/pulumi";
import { backupKeyAlias, backupVaultName } from "@hdp/config";
import { OffAccountCopy } from "@hdp/lake";
import { phiBucketNames } from "./audit";
import { statefulOptions, type StackPlan } from "./plan";

/** AWS Backup into another account's vault; undefined without `offAccountCopy` or PHI buckets. */
export function createOffAccountCopy(
  plan: StackPlan,
  opts: pulumi.ComponentResourceOptions,
  dependsOn: readonly pulumi.Resource[],
): OffAccountCopy | undefined {
  const copy = plan.environment.offAccountCopy;
  const buckets = phiBucketNames(plan);
  if (copy === undefined || buckets.length === 0) return undefined;
  return new OffAccountCopy(
    "phi-copy",
    {
      vaultName: backupVaultName(plan.names),
      keyAliasName: backupKeyAlias(plan.names),
      accountId: plan.environment.aws.accountId,
      // Every PHI-tagged bucket of the account, including buckets added after this was written.
      bucketArns: ["arn:aws:s3:::*"],
      requiredTags: { "data-classification": "phi" },
      destinationVaultArn: copy.destinationVaultArn,
      schedule: copy.schedule,
      retentionDays: copy.retentionDays,
      tags: plan.sharedTags,
    },
    // The buckets (and their versioning) exist before AWS Backup is pointed at them.
    { ...opts, ...statefulOptions(plan), dependsOn: [...dependsOn] },
  );
}

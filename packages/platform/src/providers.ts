/**
 * The two explicit providers of a stack. Every resource of the platform goes through them, so
 * a stack can only ever touch its environment's account and workspace.
 */
import { Provider as AwsProvider } from "@pulumi/aws/provider";
import { Provider as DatabricksProvider } from "@pulumi/databricks/provider";
import type { StackPlan } from "./plan";
import { providerDefaultTags } from "./tags";
import type { Estate } from "@hdp/config";

/** The providers, for the `providers` resource option. */
export interface StackProviders {
  readonly aws: AwsProvider;
  readonly databricks: DatabricksProvider;
  /** Both, as a list for `{ providers }`. */
  readonly all: readonly [AwsProvider, DatabricksProvider];
}

/** The plain arguments of the stack's AWS provider (tested directly). */
export function awsProviderArgs(estate: Estate, plan: StackPlan) {
  return {
    region: plan.region,
    // The provider refuses credentials of any other account: a prod stack cannot touch dev.
    allowedAccountIds: [plan.environment.aws.accountId],
    defaultTags: { tags: { ...providerDefaultTags(estate, plan.environment.name) } },
  };
}

/**
 * The AWS provider (region from platform.yaml, locked to the environment's account, platform
 * default tags) and a workspace-level Databricks provider on the environment's workspace.
 * Databricks authentication comes from the deployer's environment (`DATABRICKS_TOKEN`, OAuth
 * client credentials or a CLI profile), never from code or stack config; a workspace provider
 * never gets an `accountId`.
 */
export function createProviders(estate: Estate, plan: StackPlan): StackProviders {
  const aws = new AwsProvider("aws", awsProviderArgs(estate, plan));
  const databricks = new DatabricksProvider("databricks", {
    host: plan.environment.databricks.workspaceUrl,
  });
  return { aws, databricks, all: [aws, databricks] };
}

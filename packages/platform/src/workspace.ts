/** The environment's Databricks workspace settings, from `databricks.hardening` in its config. */
import type * as pulumi from "@pulumi/pulumi";
import { WorkspaceHardening } from "@hdp/spark";
import type { StackPlan } from "./plan";

/**
 * Whether the workspace runs under the compliance security profile: as configured, else
 * wherever real PHI is processed (`hdp validate` refuses turning it off there).
 */
export function complianceSecurityProfile(plan: Pick<StackPlan, "environment">): boolean {
  const env = plan.environment;
  return env.databricks.hardening.complianceSecurityProfile ?? env.phi === "real";
}

/** The workspace's hardening (one per environment: the core stack's). */
export function createWorkspaceHardening(
  plan: StackPlan,
  opts: pulumi.ComponentResourceOptions,
): WorkspaceHardening {
  const h = plan.environment.databricks.hardening;
  return new WorkspaceHardening(
    "workspace",
    {
      ipAccessList: h.ipAccessList,
      maxTokenLifetimeDays: h.maxTokenLifetimeDays,
      complianceSecurityProfile: complianceSecurityProfile(plan),
    },
    opts,
  );
}

import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import {
  validateWorkspaceHardeningSpec,
  workspaceConfig,
  type WorkspaceHardeningSpec,
} from "./workspace-hardening-spec";

/** Arguments of {@link WorkspaceHardening}. */
export interface WorkspaceHardeningArgs {
  /**
   * CIDRs allowed to reach the workspace (UI, REST API, tokens). Include the deployers' egress,
   * or the next `pulumi up` is locked out.
   * @default [] (no IP access list)
   */
  readonly ipAccessList?: readonly string[];
  /** Longest lifetime of new personal access tokens, in days (1–730). @default 90 */
  readonly maxTokenLifetimeDays?: number;
  /** Let users download results, export notebooks and copy result tables. @default false */
  readonly allowDataDownload?: boolean;
  /**
   * Turn on the compliance security profile with the HIPAA standard (required by Databricks
   * before processing PHI). It cannot be switched off again once on.
   * @default false
   */
  readonly complianceSecurityProfile?: boolean;
  /** Label of the IP access list. @default "hdp-allow" */
  readonly ipAccessListLabel?: string;
}

/** The defaults of {@link WorkspaceHardening}. */
export const WORKSPACE_HARDENING_DEFAULTS = {
  maxTokenLifetimeDays: 90,
  allowDataDownload: false,
  complianceSecurityProfile: false,
  ipAccessListLabel: "hdp-allow",
} as const;

/**
 * The workspace's security settings: one `WorkspaceConf` (verbose audit logs, no downloads,
 * notebook export or clipboard, token lifetime, IP access lists on), the ALLOW IP access list
 * (after the feature is on), and the compliance security profile with HIPAA. Needs the
 * workspace-level provider and a workspace admin. The settings are kept when removed from the
 * program (`retainOnDelete`): deleting a `WorkspaceConf` resets every `enable*` key to false,
 * which would switch verbose audit logs off.
 */
export class WorkspaceHardening extends pulumi.ComponentResource {
  public readonly conf: databricks.WorkspaceConf;
  public readonly ipAccessList: databricks.IpAccessList | undefined;
  public readonly complianceSecurityProfile:
    databricks.ComplianceSecurityProfileWorkspaceSetting | undefined;

  constructor(name: string, args: WorkspaceHardeningArgs, opts?: pulumi.ComponentResourceOptions) {
    super("hdp:spark:WorkspaceHardening", name, {}, opts);
    const d = WORKSPACE_HARDENING_DEFAULTS;
    const spec: WorkspaceHardeningSpec = {
      ipAccessList: args.ipAccessList ?? [],
      maxTokenLifetimeDays: args.maxTokenLifetimeDays ?? d.maxTokenLifetimeDays,
      allowDataDownload: args.allowDataDownload ?? d.allowDataDownload,
    };
    const problems = validateWorkspaceHardeningSpec(spec);
    if (problems.length > 0) {
      throw new Error(
        `WorkspaceHardening "${name}" has invalid args:\n  - ${problems.join("\n  - ")}`,
      );
    }
    const kept = { parent: this, retainOnDelete: true };

    this.conf = new databricks.WorkspaceConf(
      `${name}-conf`,
      { customConfig: workspaceConfig(spec) },
      kept,
    );
    this.ipAccessList =
      spec.ipAccessList.length > 0
        ? new databricks.IpAccessList(
            `${name}-ip-access-list`,
            {
              label: args.ipAccessListLabel ?? d.ipAccessListLabel,
              listType: "ALLOW",
              ipAddresses: [...spec.ipAccessList].sort(),
              enabled: true,
            },
            // The list is refused until enableIpAccessLists is on.
            { parent: this, dependsOn: [this.conf] },
          )
        : undefined;
    this.complianceSecurityProfile =
      (args.complianceSecurityProfile ?? d.complianceSecurityProfile)
        ? new databricks.ComplianceSecurityProfileWorkspaceSetting(
            `${name}-compliance-security-profile`,
            {
              complianceSecurityProfileWorkspace: {
                isEnabled: true,
                complianceStandards: ["HIPAA"],
              },
            },
            kept,
          )
        : undefined;
    this.registerOutputs({});
  }
}

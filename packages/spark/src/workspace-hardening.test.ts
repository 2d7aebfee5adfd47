import { findResource, record } from "@hdp/testing";
import { WorkspaceHardening } from "./workspace-hardening";
import { validateWorkspaceHardeningSpec, workspaceConfig } from "./workspace-hardening-spec";

const CONF = "databricks:index/workspaceConf:WorkspaceConf";
const IPS = "databricks:index/ipAccessList:IpAccessList";
const CSP =
  "databricks:index/complianceSecurityProfileWorkspaceSetting:ComplianceSecurityProfileWorkspaceSetting";

describe("WorkspaceHardening", () => {
  it("turns verbose audit logs on and downloads, export and clipboard off by default", async () => {
    const { resources } = await record(() => new WorkspaceHardening("ws", {}));
    const conf = findResource(resources, CONF, "ws-conf");
    expect(conf.inputs.customConfig).toEqual({
      enableExportNotebook: "false",
      enableIpAccessLists: "false",
      enableNotebookTableClipboard: "false",
      enableResultsDownloading: "false",
      enableVerboseAuditLogs: "true",
      maxTokenLifetimeDays: "90",
    });
    // Deleting a WorkspaceConf resets enable* keys to false: removing it must not do that.
    expect(conf.retainOnDelete).toBe(true);
    expect(resources.map((r) => r.type).sort()).toEqual([CONF, "hdp:spark:WorkspaceHardening"]);
  });

  it("adds the ALLOW list after the feature is on, and the HIPAA compliance profile", async () => {
    const { resources } = await record(
      () =>
        new WorkspaceHardening("ws", {
          ipAccessList: ["203.0.113.0/28", "10.40.0.0/16"],
          maxTokenLifetimeDays: 30,
          complianceSecurityProfile: true,
        }),
    );
    const conf = findResource(resources, CONF, "ws-conf");
    expect(conf.inputs.customConfig).toMatchObject({
      enableIpAccessLists: "true",
      maxTokenLifetimeDays: "30",
    });
    const list = findResource(resources, IPS, "ws-ip-access-list");
    expect(list.inputs).toMatchObject({
      listType: "ALLOW",
      enabled: true,
      ipAddresses: ["10.40.0.0/16", "203.0.113.0/28"],
    });
    expect(list.dependencies).toContain(conf.urn);
    const csp = findResource(resources, CSP, "ws-compliance-security-profile");
    expect(csp.inputs.complianceSecurityProfileWorkspace).toEqual({
      isEnabled: true,
      complianceStandards: ["HIPAA"],
    });
  });

  it("refuses bad CIDRs and token lifetimes, all at once", () => {
    expect(
      validateWorkspaceHardeningSpec({
        ipAccessList: ["10.0.0.0/33", "example.org"],
        maxTokenLifetimeDays: 0,
        allowDataDownload: false,
      }),
    ).toHaveLength(3);
    expect(() => new WorkspaceHardening("bad", { maxTokenLifetimeDays: 731 })).toThrow(
      /maxTokenLifetimeDays: 731/,
    );
  });

  it("allows downloads only when asked", () => {
    expect(
      workspaceConfig({ ipAccessList: [], maxTokenLifetimeDays: 1, allowDataDownload: true })
        .enableResultsDownloading,
    ).toBe("true");
  });
});

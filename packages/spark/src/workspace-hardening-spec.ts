/**
 * The workspace settings of a hardened Databricks workspace, as pure data: the `WorkspaceConf`
 * keys (values are strings, as the API takes them) and the checks on the args.
 */

/** What {@link workspaceConfig} is built from. */
export interface WorkspaceHardeningSpec {
  /** CIDRs allowed to reach the workspace; empty means no IP access list. */
  readonly ipAccessList: readonly string[];
  /** Longest lifetime of new personal access tokens (1–730 days). */
  readonly maxTokenLifetimeDays: number;
  /** Whether users may download results, export notebooks and copy tables to the clipboard. */
  readonly allowDataDownload: boolean;
}

/**
 * Workspace configuration keys: verbose audit logs on (every notebook command and SQL query is
 * audited), downloads, notebook export and the results-table clipboard off unless allowed, the
 * token lifetime capped, IP access lists on when there is a list.
 */
export function workspaceConfig(spec: WorkspaceHardeningSpec): Record<string, string> {
  const data = String(spec.allowDataDownload);
  return {
    enableExportNotebook: data,
    enableIpAccessLists: String(spec.ipAccessList.length > 0),
    enableNotebookTableClipboard: data,
    enableResultsDownloading: data,
    enableVerboseAuditLogs: "true",
    maxTokenLifetimeDays: String(spec.maxTokenLifetimeDays),
  };
}

/** The keys a hardened workspace must have, with the value it must have (policy and tests). */
export const HARDENED_WORKSPACE_CONFIG: Readonly<Record<string, string>> = {
  enableExportNotebook: "false",
  enableNotebookTableClipboard: "false",
  enableResultsDownloading: "false",
  enableVerboseAuditLogs: "true",
};

const CIDR_V4 =
  /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;

/** Every problem with a spec, each naming its field. */
export function validateWorkspaceHardeningSpec(spec: WorkspaceHardeningSpec): string[] {
  const problems: string[] = [];
  spec.ipAccessList.forEach((c, i) => {
    if (!CIDR_V4.test(c)) problems.push(`ipAccessList[${i}]: "${c}" is not an IPv4 CIDR`);
  });
  if (
    !Number.isInteger(spec.maxTokenLifetimeDays) ||
    spec.maxTokenLifetimeDays < 1 ||
    spec.maxTokenLifetimeDays > 730
  ) {
    problems.push(
      `maxTokenLifetimeDays: ${spec.maxTokenLifetimeDays} must be a whole number of days from 1 to 730`,
    );
  }
  return problems;
}

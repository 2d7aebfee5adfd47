/**
 * Pure planning of Databricks workspace files: each file becomes one `databricks.WorkspaceFile`
 * at `<root>/<path>`, named from its path (never its position), carrying its content, so a
 * change of one file's content updates exactly that resource.
 */
import { shortHash, slug } from "@hdp/naming";

/** One file to deploy. */
export interface WorkspaceFileSpec {
  /** Path under the root: relative, `/`-separated, no `.` or `..` segments. */
  readonly path: string;
  /** The file's text. */
  readonly content: string;
}

/** One planned workspace file. */
export interface PlannedWorkspaceFile {
  readonly logicalName: string;
  /** Absolute workspace path. */
  readonly workspacePath: string;
  readonly contentBase64: string;
}

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** Every problem with a root and its files (empty when valid). */
export function validateWorkspaceFiles(
  root: string,
  files: readonly WorkspaceFileSpec[],
): string[] {
  const problems: string[] = [];
  if (!/^\/(Workspace\/)?[A-Za-z0-9_./-]+[^/]$/.test(root) || root.split("/").includes("..")) {
    problems.push(
      `root "${root}" must be an absolute workspace path such as "/Workspace/hdp/pipelines"`,
    );
  }
  const seen = new Set<string>();
  for (const f of files) {
    const segments = f.path.split("/");
    if (f.path.length === 0 || segments.some((s) => !SEGMENT.test(s) || s === "." || s === "..")) {
      problems.push(
        `file path "${f.path}" must be relative, "/"-separated segments of letters, digits, "_", "." and "-"`,
      );
    }
    if (seen.has(f.path)) problems.push(`file path "${f.path}" appears twice`);
    seen.add(f.path);
  }
  return problems;
}

/** The logical name of a file's resource: `<component>-<slug of path>-<hash of path>`. */
export function workspaceFileName(componentName: string, path: string): string {
  return `${componentName}-${slug(path).slice(0, 60)}-${shortHash(path, 8)}`;
}

/** The planned files, sorted by workspace path. */
export function planWorkspaceFiles(
  componentName: string,
  root: string,
  files: readonly WorkspaceFileSpec[],
): PlannedWorkspaceFile[] {
  return files
    .map((f) => ({
      logicalName: workspaceFileName(componentName, f.path),
      workspacePath: `${root}/${f.path}`,
      contentBase64: Buffer.from(f.content, "utf8").toString("base64"),
    }))
    .sort((a, b) =>
      a.workspacePath < b.workspacePath ? -1 : a.workspacePath > b.workspacePath ? 1 : 0,
    );
}

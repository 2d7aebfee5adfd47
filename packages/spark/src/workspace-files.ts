import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import {
  planWorkspaceFiles,
  validateWorkspaceFiles,
  type WorkspaceFileSpec,
} from "./workspace-files-plan";

/** Arguments of {@link WorkspaceFiles}. */
export interface WorkspaceFilesArgs {
  /** Absolute workspace folder, e.g. `/Workspace/hdp/pipelines`. */
  readonly root: string;
  /** The files; each becomes `<root>/<path>`. */
  readonly files: readonly WorkspaceFileSpec[];
}

/**
 * Files in the Databricks workspace (code a job runs, specs it reads): one
 * `databricks.WorkspaceFile` per file, named from its path, so adding, removing or changing one
 * file touches exactly that resource. Content goes in as `contentBase64` (not `source`, a local
 * path that differs between machines and would show as a change in every plan).
 */
export class WorkspaceFiles extends pulumi.ComponentResource {
  /** The resources, keyed by workspace path. */
  public readonly files: Readonly<Record<string, databricks.WorkspaceFile>>;
  /** Workspace path of each file, keyed by its path under the root. */
  public readonly paths: Readonly<Record<string, string>>;

  constructor(name: string, args: WorkspaceFilesArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = validateWorkspaceFiles(args.root, args.files);
    if (problems.length > 0) {
      throw new Error(`WorkspaceFiles "${name}" has invalid args:\n  - ${problems.join("\n  - ")}`);
    }
    super("hdp:spark:WorkspaceFiles", name, {}, opts);
    const files: Record<string, databricks.WorkspaceFile> = {};
    for (const f of planWorkspaceFiles(name, args.root, args.files)) {
      files[f.workspacePath] = new databricks.WorkspaceFile(
        f.logicalName,
        { path: f.workspacePath, contentBase64: f.contentBase64 },
        { parent: this },
      );
    }
    this.files = files;
    this.paths = Object.fromEntries(args.files.map((f) => [f.path, `${args.root}/${f.path}`]));
    this.registerOutputs({ paths: Object.keys(files) });
  }
}

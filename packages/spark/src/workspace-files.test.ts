import type * as pulumi from "@pulumi/pulumi";
import type * as databricks from "@pulumi/databricks";
import { ofType, record } from "@hdp/testing";
import { WorkspaceFiles } from "./workspace-files";
import { planWorkspaceFiles, validateWorkspaceFiles } from "./workspace-files-plan";

const WF = "databricks:index/workspaceFile:WorkspaceFile";
const FILES = [
  { path: "hdp_pipelines/entry.py", content: "print('hi')\n" },
  { path: "hdp_pipelines/__init__.py", content: "" },
];

describe("WorkspaceFiles", () => {
  it("creates one workspace file per file, with its content, at <root>/<path>", async () => {
    const { resources } = await record(
      () => new WorkspaceFiles("code", { root: "/Workspace/hdp/pipelines", files: FILES }),
    );
    const files = ofType(resources, WF);
    expect(files).toHaveLength(2);
    const entry = files.find(
      (r) => r.inputs.path === "/Workspace/hdp/pipelines/hdp_pipelines/entry.py",
    );
    const inputs = entry?.inputs as pulumi.Unwrap<databricks.WorkspaceFileArgs>;
    expect(Buffer.from(inputs.contentBase64 ?? "", "base64").toString()).toBe("print('hi')\n");
    expect(inputs.source).toBeUndefined();
  });

  it("changing one file changes only that file's inputs; names never depend on order", () => {
    const before = planWorkspaceFiles("code", "/Workspace/x", FILES);
    const after = planWorkspaceFiles("code", "/Workspace/x", [
      FILES[1],
      { ...FILES[0], content: "print('bye')\n" },
    ]);
    expect(after.map((f) => f.logicalName)).toEqual(before.map((f) => f.logicalName));
    const changed = after.filter((f, i) => f.contentBase64 !== before[i]?.contentBase64);
    expect(changed.map((f) => f.workspacePath)).toEqual(["/Workspace/x/hdp_pipelines/entry.py"]);
  });

  it("refuses relative roots, escaping paths and duplicates, all at once", () => {
    expect(
      validateWorkspaceFiles("hdp", [
        { path: "../etc/passwd", content: "" },
        { path: "a.py", content: "" },
        { path: "a.py", content: "" },
      ]),
    ).toEqual([
      'root "hdp" must be an absolute workspace path such as "/Workspace/hdp/pipelines"',
      'file path "../etc/passwd" must be relative, "/"-separated segments of letters, digits, "_", "." and "-"',
      'file path "a.py" appears twice',
    ]);
    expect(() => new WorkspaceFiles("x", { root: "/Workspace/a/../b", files: [] })).toThrow(
      'WorkspaceFiles "x" has invalid args',
    );
  });
});

import fc from "fast-check";
import { contentTypeFor, dagObjectName, planDagFiles, validateDagFiles } from "./dag-files-plan";

describe("contentTypeFor", () => {
  it.each([
    ["epic/encounters.py", "text/x-python"],
    ["sql/load.SQL", "application/sql"],
    ["config/tables.yaml", "application/yaml"],
    ["config/tables.yml", "application/yaml"],
    ["x.json", "application/json"],
    ["README.md", "text/markdown"],
    [".airflowignore", "application/octet-stream"],
    ["bin/blob", "application/octet-stream"],
  ])("%s -> %s", (path, type) => expect(contentTypeFor(path)).toBe(type));
});

describe("dagObjectName", () => {
  it("reads like the path and keeps look-alike paths apart", () => {
    expect(dagObjectName("dags", "epic/encounters.py")).toMatch(
      /^dags-epic-encounters-py-[0-9a-f]{8}$/,
    );
    expect(dagObjectName("dags", "a-b.py")).not.toBe(dagObjectName("dags", "a/b.py"));
  });

  it("is a function of the path only, and distinct paths get distinct names", () => {
    const path = fc.stringMatching(/^[a-z0-9_-]{1,12}(\/[a-z0-9_.-]{1,12}){0,3}$/);
    fc.assert(
      fc.property(path, path, (p, q) => {
        expect(dagObjectName("d", p)).toBe(dagObjectName("d", p));
        if (p !== q) expect(dagObjectName("d", p)).not.toBe(dagObjectName("d", q));
      }),
    );
  });
});

describe("validateDagFiles", () => {
  it("accepts nested relative paths", () => {
    expect(
      validateDagFiles([
        { path: "epic/encounters.py", content: "" },
        { path: ".airflowignore", content: "" },
      ]),
    ).toEqual([]);
  });
  it.each([
    ["/abs.py", "must be relative"],
    ["../escape.py", "must be relative"],
    ["a/./b.py", "must be relative"],
    ["a//b.py", "must be relative"],
    ["dir/", "must be relative"],
    ["has space.py", "must be relative"],
    ["", "must be relative"],
  ])("rejects %p", (path, message) => {
    expect(validateDagFiles([{ path, content: "" }]).join("\n")).toContain(message);
  });
  it("rejects duplicate paths", () => {
    const f = { path: "a.py", content: "" };
    expect(validateDagFiles([f, f])).toEqual(['DAG file path "a.py" appears twice']);
  });
});

describe("planDagFiles", () => {
  it("keys files under dags/ with a content hash and a content type", () => {
    expect(planDagFiles("dags", [{ path: "x/y.py", content: "print(1)\n" }])).toEqual([
      {
        logicalName: dagObjectName("dags", "x/y.py"),
        key: "dags/x/y.py",
        content: "print(1)\n",
        contentType: "text/x-python",
        // sha256 of "print(1)\n", computed with `printf 'print(1)\n' | sha256sum`
        sourceHash: "cc42155088fca5730758db72b2a5bca33112a941dfaa2d43098ec422ce4ea213",
      },
    ]);
  });

  it("changes the hash with the content and only then", () => {
    const [a] = planDagFiles("d", [{ path: "a.py", content: "v1" }]);
    const [b] = planDagFiles("d", [{ path: "a.py", content: "v2" }]);
    const [c] = planDagFiles("d", [{ path: "a.py", content: "v1", contentType: "text/plain" }]);
    expect(a?.sourceHash).not.toBe(b?.sourceHash);
    expect(a?.sourceHash).toBe(c?.sourceHash);
    expect(c?.contentType).toBe("text/plain");
  });

  it("does not depend on the order of the files", () => {
    const file = fc.record({ path: fc.stringMatching(/^[a-z]{1,8}\.py$/), content: fc.string() });
    fc.assert(
      fc.property(fc.uniqueArray(file, { selector: (f) => f.path, maxLength: 8 }), (files) => {
        expect(planDagFiles("d", [...files].reverse())).toEqual(planDagFiles("d", files));
      }),
    );
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findPythonEnv, PythonEnvError, venvPython } from "./python-env";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-local-env-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("findPythonEnv", () => {
  it("says in one line how to create a missing venv", () => {
    mkdirSync(join(dir, "scripts"));
    writeFileSync(join(dir, "scripts", "python-env.mjs"), "");
    const code = join(dir, "pipelines", "src", "hdp_pipelines");
    mkdirSync(code, { recursive: true });
    expect(() => findPythonEnv(code)).toThrow(PythonEnvError);
    expect(() => findPythonEnv(code)).toThrow(
      `the Python environment is missing (${venvPython(dir)}): create it with \`node scripts/python-env.mjs\` in ${dir}`,
    );
  });

  it("finds the venv and puts the ingest code's root first", () => {
    mkdirSync(join(dir, "scripts"));
    writeFileSync(join(dir, "scripts", "python-env.mjs"), "");
    mkdirSync(join(dir, ".venv", "bin"), { recursive: true });
    writeFileSync(venvPython(dir), "");
    const code = join(dir, "pipelines", "src", "hdp_pipelines");
    mkdirSync(code, { recursive: true });
    expect(findPythonEnv(code)).toEqual({
      python: venvPython(dir),
      codeRoot: join(dir, "pipelines", "src"),
      repoRoot: dir,
    });
  });

  it("outside a clone, says a clone is needed", () => {
    expect(() => findPythonEnv(join(dir, "hdp_pipelines"))).toThrow(
      /^hdp local run needs a clone of the repository and its Python environment/,
    );
  });
});

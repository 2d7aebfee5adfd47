/**
 * The Python side of a local run: the repository's pinned venv (built by
 * `node scripts/python-env.mjs`) and the ingest code the platform deploys, run as
 * `python -m hdp_pipelines.local_run --plan PLAN` with that code first on `PYTHONPATH`.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { ingestCodeDir } from "@hdp/platform";

/** The command that builds the venv, run from the repository root. */
export const PYTHON_ENV_COMMAND = "node scripts/python-env.mjs";

/** An environment a local run cannot start in (one line, for the user). */
export class PythonEnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PythonEnvError";
  }
}

/** The repository holding `dir`: the nearest ancestor with `scripts/python-env.mjs`. */
export function repositoryRoot(dir: string): string | undefined {
  let d = dir;
  for (;;) {
    if (existsSync(join(d, "scripts", "python-env.mjs"))) return d;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** The venv's python for platform `platform`. */
export const venvPython = (root: string, platform: NodeJS.Platform = process.platform): string =>
  platform === "win32"
    ? join(root, ".venv", "Scripts", "python.exe")
    : join(root, ".venv", "bin", "python");

export interface PythonEnv {
  readonly python: string;
  /** The folder holding `hdp_pipelines/` (prepended to PYTHONPATH). */
  readonly codeRoot: string;
  readonly repoRoot: string;
}

/** The venv and the ingest code, or a one-line error saying how to create the venv. */
export function findPythonEnv(codeDir: string = ingestCodeDir()): PythonEnv {
  const repoRoot = repositoryRoot(codeDir);
  if (repoRoot === undefined) {
    throw new PythonEnvError(
      `hdp local run needs a clone of the repository and its Python environment (none holds ${codeDir}): in the clone, run \`${PYTHON_ENV_COMMAND}\``,
    );
  }
  const python = venvPython(repoRoot);
  if (!existsSync(python)) {
    throw new PythonEnvError(
      `the Python environment is missing (${python}): create it with \`${PYTHON_ENV_COMMAND}\` in ${repoRoot}`,
    );
  }
  return { python, codeRoot: dirname(codeDir), repoRoot };
}

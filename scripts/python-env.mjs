// The pinned Python environment of the repository: .venv/ at the root (gitignored).
//
//   node scripts/python-env.mjs        create or reuse it, print what was done
//
// Python 3.11 (HDP_PYTHON, else `python3.11`, else `python3` when it is 3.11) makes the venv; pip
// installs a pinned uv from PyPI; uv installs exactly python/requirements.lock (hashes checked),
// then pipelines/ editable. A marker file holds a hash of the lock, pipelines/pyproject.toml, this
// script's pins and the interpreter version: when any of them changes the venv is made anew.
// Spark downloads the Delta Lake jars from Maven Central on its first run (cached in ~/.ivy2*).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const UV_VERSION = "0.13.9";
export const PYTHON_VERSION = "3.11";
export const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));
export const VENV = join(ROOT, ".venv");
const LOCK = join(ROOT, "python", "requirements.lock");
const PYPROJECT = join(ROOT, "pipelines", "pyproject.toml");
const MARKER = join(VENV, ".hdp-env-hash");

/** Path of an executable inside the venv. */
export function venvBin(name) {
  return process.platform === "win32"
    ? join(VENV, "Scripts", `${name}.exe`)
    : join(VENV, "bin", name);
}

class EnvError extends Error {}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.error || r.status !== 0) {
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-30).join("\n");
    throw new EnvError(
      `python env: ${what} failed (${cmd} ${args.join(" ")}): ${r.error?.message ?? `exit ${r.status}`}\n${out}`,
    );
  }
  return r.stdout.trim();
}

function pythonVersion(cmd) {
  const r = spawnSync(cmd, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], {
    encoding: "utf8",
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The interpreter that makes the venv: HDP_PYTHON, python3.11, or python3 when it is 3.11. */
function findPython() {
  const candidates = process.env.HDP_PYTHON ? [process.env.HDP_PYTHON] : ["python3.11", "python3"];
  const seen = [];
  for (const cmd of candidates) {
    const version = pythonVersion(cmd);
    seen.push(`${cmd}: ${version ?? "not found"}`);
    if (version?.startsWith(`${PYTHON_VERSION}.`)) return { cmd, version };
  }
  throw new EnvError(
    `python env: Python ${PYTHON_VERSION} is required (${seen.join("; ")}). ` +
      `Install it or point HDP_PYTHON at a python${PYTHON_VERSION} executable.`,
  );
}

function envHash(pythonFullVersion) {
  const h = createHash("sha256");
  for (const file of [LOCK, PYPROJECT]) {
    if (!existsSync(file)) throw new EnvError(`python env: ${file} is missing`);
    h.update(file).update("\0").update(readFileSync(file)).update("\0");
  }
  h.update(`uv ${UV_VERSION}\0python ${pythonFullVersion}\0`);
  return h.digest("hex");
}

/**
 * Makes sure .venv/ matches the lock; returns its python path. Throws EnvError with a clear message.
 * @param {{ log?: (line: string) => void }} [opts]
 */
export function ensurePythonEnv({ log = (line) => console.log(line) } = {}) {
  const { cmd, version } = findPython();
  const hash = envHash(version);
  const python = venvBin("python");
  if (existsSync(MARKER) && existsSync(python) && readFileSync(MARKER, "utf8").trim() === hash) {
    log(`python env: up to date (${VENV}, Python ${version}, env ${hash.slice(0, 12)})`);
    return { python, created: false };
  }
  const started = Date.now();
  log(`python env: creating ${VENV} with ${cmd} (Python ${version}); lock or pyproject changed`);
  rmSync(VENV, { recursive: true, force: true });
  run(cmd, ["-m", "venv", VENV], "creating the venv");
  run(
    python,
    ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", `uv==${UV_VERSION}`],
    `installing uv ${UV_VERSION} with pip`,
  );
  const uv = venvBin("uv");
  run(uv, ["pip", "sync", "--python", python, "--require-hashes", LOCK], "installing the lock");
  run(
    uv,
    ["pip", "install", "--python", python, "--no-deps", "--no-build-isolation", "-e", "pipelines"],
    "installing pipelines/ (editable)",
  );
  writeFileSync(MARKER, `${hash}\n`);
  const count = run(uv, ["pip", "list", "--python", python, "--format", "freeze"], "listing")
    .split("\n")
    .filter(Boolean).length;
  log(
    `python env: ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${count} packages ` +
      `from python/requirements.lock + pipelines/ (editable), uv ${UV_VERSION}`,
  );
  return { python, created: true };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const { python } = ensurePythonEnv();
    console.log(`python env: ${python}`);
  } catch (e) {
    if (!(e instanceof EnvError)) throw e;
    console.error(e.message);
    process.exit(1);
  }
}

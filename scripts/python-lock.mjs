// Regenerates python/requirements.lock from python/requirements.in with the pinned uv of the venv
// (run `node scripts/python-env.mjs` first). The exact command is written at the top of the lock.
import { spawnSync } from "node:child_process";
import { UV_VERSION, venvBin } from "./python-env.mjs";

const AIRFLOW_RELEASED = "2025-08-30T00:00:00Z"; // apache-airflow 3.0.6 was published 2025-08-29
const LATEST = "2026-12-01T00:00:00Z"; // packages outside Airflow's world may be newer
const exempt = ["pyspark", "delta-spark", "py4j", "chispa", "ruff"];

const args = [
  "pip",
  "compile",
  "python/requirements.in",
  "--universal",
  "--python-version",
  "3.11",
  "--generate-hashes",
  "--exclude-newer",
  AIRFLOW_RELEASED,
  ...exempt.flatMap((p) => ["--exclude-newer-package", `${p}=${LATEST}`]),
  "--output-file",
  "python/requirements.lock",
];
const command = `uv==${UV_VERSION} ${args.join(" ")}`;
const r = spawnSync(venvBin("uv"), [...args, "--custom-compile-command", command], {
  stdio: "inherit",
});
process.exit(r.status ?? 1);

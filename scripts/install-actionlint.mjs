// Installs actionlint (pinned) from the Go module proxy into .hdp/tools (git-ignored), once:
// the test suite lints .github/workflows with it. Needs Go on PATH (the project's machines have
// it); prints the binary's path. `node scripts/install-actionlint.mjs`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ACTIONLINT_VERSION = "v1.7.12";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const ACTIONLINT_DIR = join(root, ".hdp", "tools", `actionlint-${ACTIONLINT_VERSION}`);
export const ACTIONLINT = join(
  ACTIONLINT_DIR,
  process.platform === "win32" ? "actionlint.exe" : "actionlint",
);

export function installActionlint() {
  if (existsSync(ACTIONLINT)) return ACTIONLINT;
  const r = spawnSync(
    "go",
    ["install", `github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}`],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, GOBIN: ACTIONLINT_DIR, GOFLAGS: "-modcacherw" },
    },
  );
  if (r.error !== undefined || r.status !== 0 || !existsSync(ACTIONLINT)) {
    throw new Error(
      `could not install actionlint ${ACTIONLINT_VERSION} with go (${r.error?.message ?? `exit ${r.status}`}): the workflow tests need Go on PATH`,
    );
  }
  return ACTIONLINT;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(installActionlint());
}

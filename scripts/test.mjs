// The whole test suite: actionlint (installed once), type-check, lint, Prettier check, the pinned Python env, jest, then the Python step (ruff
// lint + format check, pytest with real Spark). Ends with the plain line "N passed, N failed"
// computed from jest's JSON results plus pytest's JUnit XML, so a run that executed no test shows it.
// Arguments are passed to jest only; the Python step always runs in full.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensurePythonEnv, ROOT, venvBin } from "./python-env.mjs";
import { PYTHON_SUITES } from "./python-suites.mjs";

const results = ".jest-results.json";
rmSync(results, { force: true });
for (const suite of PYTHON_SUITES) rmSync(join(ROOT, suite.results), { force: true });

const failedSteps = [];
let passed = 0;
let failed = 0;

/** Runs one step, printing its name, command and duration; returns true when it passed. */
function step(name, cmd, args, opts = {}) {
  console.log(`\n== ${name}: ${cmd} ${args.join(" ")}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    stdio: "inherit",
    shell: process.platform === "win32",
    ...opts,
  });
  const ok = r.status === 0;
  console.log(
    `== ${name}: ${ok ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (!ok) failedSteps.push(name);
  return ok;
}

// actionlint (pinned, from the Go module proxy, cached in .hdp/tools) for the workflow tests.
step("tools", process.execPath, ["scripts/install-actionlint.mjs"]);
step("typecheck", "tsc", ["-p", "tsconfig.json"]);
step("lint", "eslint", ["--max-warnings", "0", "."]);
// Every file Prettier formats (.prettierignore excepted), as `pnpm format:check`.
step("format", "prettier", ["--check", "."]);
// Import cycles and reaches into another package's internals (.dependency-cruiser.cjs).
step("deps", "depcruise", [
  "--config",
  ".dependency-cruiser.cjs",
  "index.ts",
  "packages",
  "test",
  "bench",
]);

// The venv comes before jest: jest tests may run the venv's python (cross-language checks).
console.log("\n== python env: node scripts/python-env.mjs");
let pythonReady = false;
try {
  ensurePythonEnv();
  pythonReady = true;
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  failedSteps.push("python env");
}

step("jest", "jest", ["--ci", "--json", `--outputFile=${results}`, ...process.argv.slice(2)]);
if (existsSync(results)) {
  const json = JSON.parse(readFileSync(results, "utf8"));
  passed += json.numPassedTests;
  failed += json.numFailedTests + json.numRuntimeErrorTestSuites;
}

if (pythonReady) {
  const ruff = venvBin("ruff");
  for (const suite of PYTHON_SUITES) {
    step(`ruff check ${suite.dir}`, ruff, ["check", "--no-cache", suite.dir], { cwd: ROOT });
    step(`ruff format ${suite.dir}`, ruff, ["format", "--check", "--no-cache", suite.dir], {
      cwd: ROOT,
    });
    const xml = join(ROOT, suite.results);
    step(
      `pytest ${suite.dir}`,
      venvBin("python"),
      ["-m", "pytest", "-p", "no:cacheprovider", `--junitxml=${xml}`, ...suite.args],
      { cwd: join(ROOT, suite.dir) },
    );
    const counts = junitCounts(xml);
    if (counts === undefined) {
      console.log(`pytest ${suite.dir}: no results written (${suite.results})`);
      failedSteps.push(`pytest ${suite.dir} results`);
      continue;
    }
    console.log(
      `pytest ${suite.dir}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
    );
    passed += counts.passed;
    failed += counts.failed;
    // Skips would hide a missing engine (no Spark, no Airflow): none are allowed.
    if (counts.skipped > 0) {
      failed += counts.skipped;
      failedSteps.push(`pytest ${suite.dir} (${counts.skipped} skipped; skips are not allowed)`);
    }
    if (counts.passed === 0) failedSteps.push(`pytest ${suite.dir} (ran no test)`);
  }
}

/** Sums the counts of every <testsuite> element of a pytest JUnit XML file. */
function junitCounts(file) {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, "utf8");
  const suites = [...text.matchAll(/<testsuite\b([^>]*)>/g)];
  if (suites.length === 0) return undefined;
  const sum = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const [, attrs] of suites) {
    for (const key of Object.keys(sum)) {
      const m = new RegExp(`\\b${key}="(\\d+)"`).exec(attrs);
      sum[key] += m ? Number(m[1]) : 0;
    }
  }
  const bad = sum.failures + sum.errors;
  return { passed: Math.max(0, sum.tests - bad - sum.skipped), failed: bad, skipped: sum.skipped };
}

if (failedSteps.length > 0) console.log(`\nfailed steps: ${failedSteps.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 || failed > 0 || passed === 0 ? 1 : 0);

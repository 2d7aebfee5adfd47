// The whole test suite: type-check, lint, then jest. Ends with the plain line
// "N passed, N failed" computed from jest's JSON results, so a run that executed no test shows it.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";

const results = ".jest-results.json";
const steps = [
  ["typecheck", ["tsc", "-p", "tsconfig.json"]],
  ["lint", ["eslint", "--max-warnings", "0", "."]],
  // Import cycles and reaches into another package's internals (.dependency-cruiser.cjs).
  [
    "deps",
    ["depcruise", "--config", ".dependency-cruiser.cjs", "index.ts", "packages", "test", "bench"],
  ],
  ["jest", ["jest", "--ci", "--json", `--outputFile=${results}`, ...process.argv.slice(2)]],
];

rmSync(results, { force: true });
const failedSteps = [];
for (const [name, [cmd, ...args]] of steps) {
  console.log(`\n== ${name}: ${cmd} ${args.join(" ")}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", shell: process.platform === "win32" });
  console.log(
    `== ${name}: ${r.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  if (r.status !== 0) failedSteps.push(name);
}

let passed = 0;
let failed = 0;
if (existsSync(results)) {
  const json = JSON.parse(readFileSync(results, "utf8"));
  passed = json.numPassedTests;
  failed = json.numFailedTests + json.numRuntimeErrorTestSuites;
}
if (failedSteps.length > 0) console.log(`\nfailed steps: ${failedSteps.join(", ")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 || failed > 0 || passed === 0 ? 1 : 0);

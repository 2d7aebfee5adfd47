#!/usr/bin/env node
// `hdp` inside the repository (`pnpm exec hdp`, `npx hdp`, `pnpm hdp`): runs the TypeScript
// sources with tsx and the @hdp/source condition, so nothing needs building and no pnpm
// run-script wraps it. The published package's bin is dist/bin.js (publishConfig.bin).
"use strict";
const { spawnSync } = require("node:child_process");
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

const source = join(__dirname, "..", "src", "bin.ts");
if (!existsSync(source)) {
  require(join(__dirname, "..", "dist", "bin.js"));
} else {
  const tsx = pathToFileURL(require.resolve("tsx", { paths: [join(__dirname, "..")] })).href;
  const r = spawnSync(
    process.execPath,
    ["--import", tsx, "--conditions=@hdp/source", source, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  if (r.error !== undefined) throw r.error;
  // A signal (Ctrl-C) ends hdp the same way.
  if (r.signal !== null) process.kill(process.pid, r.signal);
  process.exitCode = r.status ?? 1;
}

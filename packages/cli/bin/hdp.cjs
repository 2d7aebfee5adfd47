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
  const args = process.argv.slice(2);
  const paths = [join(__dirname, "..")];
  // `hdp validate` and `hdp query` load only CommonJS modules (see LIGHT_COMMANDS in
  // program.ts): tsx's require hooks alone serve them, without its ES-module loader thread
  // (~0.15 s of a warm answer). Every other command (ES-module-only dependencies) gets both.
  const light =
    (args[0] === "validate" || args[0] === "query") &&
    !args.includes("--help") &&
    !args.includes("-h");
  const loader = light
    ? ["--require", require.resolve("tsx/cjs", { paths })]
    : ["--import", pathToFileURL(require.resolve("tsx", { paths })).href];
  const r = spawnSync(process.execPath, [...loader, "--conditions=@hdp/source", source, ...args], {
    stdio: "inherit",
  });
  if (r.error !== undefined) throw r.error;
  // A signal (Ctrl-C) ends hdp the same way.
  if (r.signal !== null) process.kill(process.pid, r.signal);
  process.exitCode = r.status ?? 1;
}

// Preloaded (NODE_OPTIONS=--require) by bench/end-to-end.ts into every node process of a run:
// appends the process's CPU milliseconds to $HDP_BENCH_CPU_FILE when it exits.
"use strict";
const { appendFileSync } = require("node:fs");
const file = process.env.HDP_BENCH_CPU_FILE;
if (file) {
  process.on("exit", () => {
    const c = process.cpuUsage();
    appendFileSync(file, `${(c.user + c.system) / 1000}\n`);
  });
}

// Preloaded (NODE_OPTIONS=--require) by bench/end-to-end.ts into every node process of a run:
// appends the process's CPU milliseconds to $HDP_BENCH_CPU_FILE when it exits. Only from the main
// thread: the preload runs in worker threads too, where `process.cpuUsage()` is still the whole
// process's (every thread's) CPU, so counting it there counted the process twice or more.
"use strict";
const { appendFileSync } = require("node:fs");
const { isMainThread } = require("node:worker_threads");
const file = process.env.HDP_BENCH_CPU_FILE;
if (file && isMainThread) {
  process.on("exit", () => {
    const c = process.cpuUsage();
    appendFileSync(file, `${(c.user + c.system) / 1000}\n`);
  });
}

// Preloaded (`node --require`) into `hdp simulate data` by test/simulate-data-crash.test.ts: a
// worker thread generating rows dies mid-run. Right after the block message number
// HDP_TEST_KILL_AT_BLOCK (1-based) is posted to a worker thread, that thread is terminated, as a
// thread that crashes or runs out of memory would stop: its blocks never come back.
const { Worker } = require("node:worker_threads");

const killAt = Number(process.env.HDP_TEST_KILL_AT_BLOCK);
const post = Worker.prototype.postMessage;
let blocks = 0;
Worker.prototype.postMessage = function (message, ...rest) {
  const r = post.call(this, message, ...rest);
  if (message !== null && typeof message === "object" && message.type === "block") {
    blocks++;
    if (blocks === killAt) void this.terminate();
  }
  return r;
};

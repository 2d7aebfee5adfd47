/**
 * `hdp simulate data` when one of its worker threads dies mid-run (the real binary, a thread
 * terminated after a given block): the command fails with one clear line and exit 1, and leaves
 * no half-written file under a part file's name — files finished before stay, whole.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..");
const BIN = join(ROOT, "packages/cli/src/bin.ts");
const PRELOAD = join(__dirname, "support/kill-block-worker.cjs");
const ROWS = 60_000; // six blocks of 10,000 rows per table and day: one part file each

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-simulate-crash-"));
  // One source, two row tables (pharmacy-1/patients and pharmacy-1/providers, ndjson).
  const e = hdp([
    "simulate",
    "estate",
    "--sources",
    "1",
    "--tables-per-source",
    "2",
    "--seed",
    "3",
    "--out",
    join(dir, "est"),
  ]);
  expect(e.status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hdp(argv: string[], killAtBlock?: number) {
  return spawnSync(
    process.execPath,
    [
      ...(killAtBlock === undefined ? [] : ["--require", PRELOAD]),
      "--import",
      "tsx",
      "--conditions=@hdp/source",
      BIN,
      ...argv,
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        CI: "true",
        ...(killAtBlock === undefined ? {} : { HDP_TEST_KILL_AT_BLOCK: String(killAtBlock) }),
      },
    },
  );
}

const data = (out: string, killAtBlock?: number) =>
  hdp(
    [
      "simulate",
      "data",
      "--configs",
      join(dir, "est"),
      "--env",
      "dev",
      "--rows",
      String(ROWS),
      "--threads",
      "2",
      "--format",
      "ndjson",
      "--out",
      join(dir, out),
    ],
    killAtBlock,
  );

/** Every file under `root`, relative to it, sorted. */
function files(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(root, join(d, e.name)));
    }
  };
  walk(root);
  return out.sort();
}

test("a worker thread that dies mid-run fails the command, leaving only whole files", () => {
  const whole = data("whole");
  expect(whole.stderr).toBe("");
  expect(whole.status).toBe(0);
  const complete = files(join(dir, "whole"));
  expect(complete).toEqual([
    "pharmacy-1/patients/dt=2025-01-06/part-00000.json",
    "pharmacy-1/providers/dt=2025-01-06/part-00000.json",
  ]);

  // Blocks 1-6 are the first table's; the second table's part file is open (its first block
  // written) when block 11 goes to a thread that then dies.
  const r = data("crashed", 11);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(
    /^hdp: simulate data failed: a worker thread generating rows died \(exit code 1\) before finishing its blocks; the files it had not finished were removed \(.*crashed holds only whole files, not every table\)\n$/,
  );
  expect(r.status).toBe(1);
  // The first table's file is whole (the same bytes as the run without a crash); nothing of
  // the second is left, not even under a temporary name.
  expect(files(join(dir, "crashed"))).toEqual([complete[0]]);
  expect(readFileSync(join(dir, "crashed", complete[0]), "utf8")).toBe(
    readFileSync(join(dir, "whole", complete[0]), "utf8"),
  );
}, 300_000);

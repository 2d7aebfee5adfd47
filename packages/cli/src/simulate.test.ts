import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { progressBar } from "./commands/simulate";
import { run } from "./program";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-cli-simulate-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function hdp(...argv: string[]) {
  return hdpOn(false, ...argv);
}
async function hdpOn(interactive: boolean, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: dir,
    interactive,
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("hdp simulate", () => {
  it("writes an estate that hdp validate accepts, then data for it", async () => {
    const e = await hdp(
      "simulate",
      "estate",
      "--sources",
      "6",
      "--tables-per-source",
      "3",
      "--seed",
      "2",
      "--out",
      "est",
    );
    expect(e.stderr).toBe("");
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(
      /^wrote \d+ files to .*est: 4 hospitals, 6 sources, \d+ tables, \d+ pipelines — dev: 1 stack\(s\)/,
    );
    const v = await hdp("validate", "--configs", "est");
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^valid: 4 hospitals, 5 domains, 6 sources/);
    const d = await hdp(
      "simulate",
      "data",
      "--configs",
      "est",
      "--env",
      "dev",
      "--rows",
      "20",
      "--days",
      "2",
      "--format",
      "csv",
      "--out",
      "landing",
    );
    expect(d.stderr).toBe("");
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(
      /^wrote \d+ rows \(\d+ bad on purpose\) of \d+ table\(s\) in \d+ files to /,
    );
    const sources = readdirSync(join(dir, "landing"));
    expect(sources.length).toBeGreaterThan(0);
    const again = await hdp(
      "simulate",
      "estate",
      "--sources",
      "6",
      "--tables-per-source",
      "3",
      "--seed",
      "2",
      "--out",
      "est2",
    );
    expect(again.code).toBe(0);
    const a = readFileSync(join(dir, "est", "environments", "prod.yaml"), "utf8");
    expect(readFileSync(join(dir, "est2", "environments", "prod.yaml"), "utf8")).toBe(a);
  });

  it("refuses to write over a tree, and reports every bad option at once (exit 2)", async () => {
    expect((await hdp("simulate", "estate", "--sources", "2", "--out", "est")).code).toBe(0);
    const before = readdirSync(join(dir, "est")).sort();
    const over = await hdp("simulate", "estate", "--sources", "3", "--out", "est");
    expect(over.code).toBe(2);
    expect(over.stderr).toContain("is not empty");
    expect(readdirSync(join(dir, "est")).sort()).toEqual(before);
    const bad = await hdp(
      "simulate",
      "estate",
      "--hospitals",
      "0",
      "--sources",
      "9999",
      "--out",
      "x",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "hdp: --hospitals must be a whole number from 1 to 64 (got 0)\n--sources must be a whole number from 1 to 3,960 (got 9999)\n",
    );
    const data = await hdp(
      "simulate",
      "data",
      "--configs",
      "est",
      "--env",
      "qa",
      "--rows",
      "0",
      "--out",
      "landing",
    );
    expect(data.code).toBe(2);
    expect(data.stderr).toContain('unknown environment "qa"');
    expect(data.stderr).toContain("--rows must be a whole number of at least 1");
    expect(readdirSync(dir)).not.toContain("landing");
  });

  it("simulate data refuses a non-empty directory (exit 2, nothing written) unless --overwrite", async () => {
    expect((await hdp("simulate", "estate", "--sources", "3", "--out", "est")).code).toBe(0);
    const args = ["simulate", "data", "--configs", "est", "--env", "dev", "--rows", "5"];
    expect((await hdp(...args, "--out", "landing")).code).toBe(0);
    const before = readdirSync(join(dir, "landing"), { recursive: true }).sort();
    const other = await hdp(...args, "--seed", "2", "--start", "2025-02-01", "--out", "landing");
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      `hdp: ${join(dir, "landing")} is not empty: simulate data writes into a new or empty directory (--overwrite to write into it)\n`,
    );
    expect(readdirSync(join(dir, "landing"), { recursive: true }).sort()).toEqual(before);
    const over = await hdp(...args, "--start", "2025-02-01", "--out", "landing", "--overwrite");
    expect(over.code).toBe(0);
    const after = readdirSync(join(dir, "landing"), { recursive: true });
    expect(after.some((f) => String(f).endsWith("dt=2025-02-01"))).toBe(true);
    expect(after.length).toBeGreaterThan(before.length);
    const s3 = await hdp(...args, "--out", "s3://Not_A_Bucket", "--s3-endpoint", "localhost:9000");
    expect(s3.code).toBe(2);
    expect(s3.stderr).toBe(
      'hdp: --out: "s3://Not_A_Bucket" is not an S3 URL of the form s3://bucket/prefix\n--s3-endpoint must be an http(s):// URL (got "localhost:9000")\n',
    );
    const local = await hdp(...args, "--out", "elsewhere", "--s3-endpoint", "http://127.0.0.1:9");
    expect(local.code).toBe(2);
    expect(local.stderr).toBe("hdp: --s3-endpoint applies only to an s3:// --out\n");
  });

  it("draws a progress bar on a terminal only (tables and rows), nothing in pipes or CI", async () => {
    expect((await hdp("simulate", "estate", "--sources", "2", "--out", "est")).code).toBe(0);
    const args = ["simulate", "data", "--configs", "est", "--env", "dev", "--rows", "3"];
    const tty = await hdpOn(true, ...args, "--out", "a");
    expect(tty.code).toBe(0);
    const frames = tty.stderr.split("\r").filter((f) => f !== "");
    expect(frames.length).toBeGreaterThan(1);
    expect(frames[0]).toMatch(/^\[\.{30}\] 0\/\d+ tables, 0 rows /);
    const last = frames[frames.length - 1];
    const [, done, total] = /\] (\d+)\/(\d+) tables, [\d,]+ rows .*\n$/.exec(last) ?? [];
    expect(done).toBe(total);
    expect(last.startsWith(`[${"#".repeat(30)}]`)).toBe(true);
    const piped = await hdpOn(false, ...args, "--out", "b");
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe("");
    // Left to decide (no io.interactive): the stream must be a terminal and CI unset.
    const io = { stdout: () => undefined, stderr: () => undefined, cwd: dir };
    const ci = process.env.CI;
    const isTTY = process.stderr.isTTY;
    try {
      Object.defineProperty(process.stderr, "isTTY", { value: true, configurable: true });
      process.env.CI = "true";
      expect(progressBar(io)).toBeUndefined();
      delete process.env.CI;
      expect(progressBar(io)).toBeDefined();
      Object.defineProperty(process.stderr, "isTTY", { value: false, configurable: true });
      expect(progressBar(io)).toBeUndefined();
    } finally {
      Object.defineProperty(process.stderr, "isTTY", { value: isTTY, configurable: true });
      if (ci === undefined) delete process.env.CI;
      else process.env.CI = ci;
    }
  });
});

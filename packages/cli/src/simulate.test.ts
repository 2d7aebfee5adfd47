import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./program";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-cli-simulate-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function hdp(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: dir,
    interactive: false,
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
      "hdp: --hospitals must be a whole number from 1 to 64 (got 0)\n--sources must be a whole number from 1 to 3,900 (got 9999)\n",
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
});

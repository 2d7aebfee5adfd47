/**
 * `hdp local run`'s refusals, before any Spark work: bad options all at once (exit 2) and
 * nothing written, an unknown source listing the known ones, an unrelated non-empty output
 * folder left alone. The Spark runs themselves are test/local-run-*.test.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./program";

const CONFIGS = join(__dirname, "..", "..", "..", "configs");
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-cli-local-"));
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

describe("hdp local run refuses bad options", () => {
  it("reports every problem at once, exits 2 and writes nothing", async () => {
    const r = await hdp(
      "local",
      "run",
      "--configs",
      CONFIGS,
      "--source",
      "no-such-source",
      "--days",
      "0",
      "--rows",
      "many",
      "--env",
      "qa",
      "--out",
      "run",
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toBe('hdp: --rows: must be a whole number (got "many")');
    expect(lines.slice(1)).toEqual([
      '--env: unknown environment "qa" (environments: dev, prod, stage)',
      expect.stringMatching(
        /^--source: unknown source "no-such-source" \(sources: bed-management, epic-clarity, .*sunquest-lab, .*workday-hcm\)$/,
      ),
      "--days: must be a whole number from 1 to 31 (got 0)",
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ["lots", '--bad-rows: must be a share from 0 to 1, e.g. 0.05 (got "lots")'],
    ["5%", '--bad-rows: must be a share from 0 to 1, e.g. 0.05 (got "5%")'],
    ["-0.1", '--bad-rows: must be a share from 0 to 1, e.g. 0.05 (got "-0.1")'],
    ["1.5", "--bad-rows: must be a share from 0 to 1, e.g. 0.05 (got 1.5)"],
  ])("refuses --bad-rows %s with the other problems, and writes nothing", async (value, line) => {
    const r = await hdp(
      "local",
      "run",
      "--configs",
      CONFIGS,
      "--source",
      "sunquest-lab",
      "--days",
      "0",
      "--bad-rows",
      value,
      "--out",
      "run",
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr
      .trim()
      .replace(/^hdp: /, "")
      .split("\n");
    expect(lines).toContain(line);
    expect(lines).toContain("--days: must be a whole number from 1 to 31 (got 0)");
    expect(lines).toHaveLength(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("asks for --source", async () => {
    const r = await hdp("local", "run", "--configs", CONFIGS, "--out", "run");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("hdp: --source: required (the source to run)\n");
    expect(existsSync(join(dir, "run"))).toBe(false);
  });

  it("leaves an unrelated non-empty folder alone", async () => {
    mkdirSync(join(dir, "mine"));
    writeFileSync(join(dir, "mine", "notes.txt"), "keep me");
    const r = await hdp(
      "local",
      "run",
      "--configs",
      CONFIGS,
      "--source",
      "sunquest-lab",
      "--out",
      "mine",
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^hdp: --out: .*mine is not empty and holds no earlier hdp local run \(no \.hdp-local-run\.json\)/,
    );
    expect(readdirSync(join(dir, "mine"))).toEqual(["notes.txt"]);
  });

  it("reports config errors as the other commands do (exit 1)", async () => {
    const r = await hdp("local", "run", "--configs", join(dir, "nowhere"), "--source", "x");
    expect(r.code).toBe(1);
    expect(r.stderr).not.toBe("");
  });
});

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { run } from "./program";

const ROOT = join(__dirname, "../../..");
const BASE = join(ROOT, "test/fixtures/base");

async function hdp(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: ROOT,
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("hdp validate", () => {
  it("prints the totals and a line per environment, and exits 0 on a valid tree", async () => {
    const r = await hdp("validate", "--configs", BASE);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "valid: 2 hospitals, 2 domains, 2 sources, 4 tables, 12 columns, 4 pipelines",
        "  dev:  2 sources, 3 tables, 10 columns, 3 DAGs in 1 stack",
        "  prod: 2 sources, 4 tables, 12 columns, 4 DAGs in 3 stacks",
        "",
      ].join("\n"),
    );
  });

  it("summarises one environment with --env", async () => {
    const r = await hdp("validate", "--configs", BASE, "--env", "prod");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n {2}prod: 2 sources, 4 tables, 12 columns, 4 DAGs in 3 stacks\n$/);
  });

  it("emits the whole result as JSON with --format json", async () => {
    const r = await hdp("validate", "--configs", BASE, "--format", "json");
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(true);
    expect(json.totals).toEqual({
      hospitals: 2,
      domains: 2,
      sources: 2,
      tables: 4,
      columns: 12,
      pipelines: 4,
    });
    expect(json.environments.map((e: { env: string }) => e.env)).toEqual(["dev", "prod"]);
  });

  it.each([
    [
      ["validate", "--configs", BASE, "--env", "qa"],
      'hdp: unknown environment "qa" (environments: dev, prod)',
    ],
    [["validate", "--format", "xml"], "argument 'xml' is invalid"],
    [["validate", "--bogus"], "unknown option '--bogus'"],
    [["frobnicate"], "unknown command 'frobnicate'"],
  ])("exits 2 on bad usage: %j", async (argv, message) => {
    const r = await hdp(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("exits 1 with errors for a missing configs directory", async () => {
    const r = await hdp("validate", "--configs", join(ROOT, "no-such-dir"));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("configs directory");
  });

  it("works as a real process (the bin wiring and exit code)", () => {
    const p = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@hdp/source",
        join(__dirname, "bin.ts"),
        "validate",
        "--configs",
        BASE,
      ],
      {
        encoding: "utf8",
        cwd: ROOT,
      },
    );
    expect(p.stderr).toBe("");
    expect(p.stdout).toMatch(/^valid: 2 hospitals/);
    expect(p.status).toBe(0);
  });
});

/**
 * `hdp plan` as users run it: exit codes (0 fine, 1 problems, 2 usage or config errors), the
 * text report, --json and --markdown files, --base against a git revision, and the real binary
 * with worker processes.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  STANDIN_PROGRAM,
  gitInit,
  tableYaml,
  tree,
  type Tree,
} from "../packages/plan/src/__fixtures__/trees";
import { hdp as runHdp } from "./support/hdp";

const ROOT = join(__dirname, "..");

let t: Tree;
beforeEach(() => {
  t = tree();
});
afterEach(() => t.cleanup());

const hdp = (...argv: string[]) => runHdp(t.dir, argv);

/** Plans with the stand-in program in this process, without the cache. */
const standin = (...argv: string[]) =>
  hdp(
    "plan",
    "--configs",
    "configs",
    "--jobs",
    "0",
    "--no-cache",
    "--program",
    STANDIN_PROGRAM,
    ...argv,
  );

describe("hdp plan", () => {
  it("prints a table per stack and exits 0", async () => {
    const r = await standin("--stack", "dev");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchSnapshot();
    expect(r.stderr).toContain("plan: dev: 24 resources");
    // --jobs 0 plans in this process: the stats line says so, and names no worker.
    expect(r.stderr).toMatch(
      /planned 1 stack\(s\), 0 from cache, in \d+\.\d s, in this process \(peak [\d,]+ MB\)\n/,
    );
    expect(r.stderr).not.toContain("worker");
  });

  it("writes the same inventory bytes on every run", async () => {
    await standin("--json", "a.json");
    await standin("--json", "b.json");
    const a = readFileSync(join(t.dir, "a.json"), "utf8");
    expect(readFileSync(join(t.dir, "b.json"), "utf8")).toBe(a);
    const inv = JSON.parse(a);
    expect(inv.stacks.map((s: { stack: string }) => s.stack)).toEqual([
      "dev",
      "prod-business",
      "prod-clinical",
      "prod-core",
    ]);
  });

  it("diffs against a git revision and writes the pull-request comment", async () => {
    gitInit(t);
    t.write("sources/lab/tables/specimens.yaml", tableYaml("specimens"));
    t.edit("sources/payroll/tables/timesheets.yaml", (s) =>
      s.replace('cron: "@hourly"', 'cron: "@daily"'),
    );
    t.remove("sources/payroll/tables/employees.yaml");
    // dev: the stand-in's buckets are deliberately bare (policy findings are advisory there) and
    // dropping a table is not guarded (test/plan-guard.test.ts covers prod).
    const r = await standin("--env", "dev", "--base", "HEAD", "--markdown", "plan.md");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("HEAD (");
    const md = readFileSync(join(t.dir, "plan.md"), "utf8").replace(
      /\([0-9a-f]{10}\)/g,
      "(<commit>)",
    );
    expect(md).toMatchSnapshot();
  });

  it("exits 1 and names the stack when a stack is over its resource budget (the real program)", async () => {
    t.edit("environments/dev.yaml", (s) => `${s}sharding:\n  resourceBudget: 100\n`);
    const r = await hdp(
      "plan",
      "--configs",
      "configs",
      "--stack",
      "dev",
      "--jobs",
      "0",
      "--no-cache",
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /1 problem\(s\):\n {2}stack dev has \d+ resources, over its budget of 100 \(sharding\.resourceBudget in environments\/dev\.yaml\)/,
    );
  });

  it("exits 1 with file:line:col (relative to the cwd) on config errors, planning nothing", async () => {
    t.edit("sources/lab/tables/orders.yaml", (s) =>
      s.replace("mode: incremental", "mode: sometimes"),
    );
    const r = await standin();
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^configs\/sources\/lab\/tables\/orders\.yaml:\d+:\d+ {2}load/m);
    expect(r.stderr).toContain("config error(s) in working tree: nothing planned");
  });

  it("takes an environment's name in --stack for all of its stacks (prod is sharded)", async () => {
    const r = await standin("--stack", "prod");
    const env = await standin("--env", "prod");
    expect([r.code, r.stdout]).toEqual([env.code, env.stdout]);
    expect(r.stderr).toContain("planned 3 stack(s)");
    for (const s of ["prod-core", "prod-clinical", "prod-business"]) {
      expect(r.stdout).toMatch(new RegExp(`^${s}: \\d+ resources`, "m"));
    }
    expect(r.stdout).not.toMatch(/^dev: /m);
  });

  it.each([
    [["--stack", "nope"], 'hdp: unknown stack "nope"'],
    [["--env", "qa"], 'hdp: unknown environment "qa"'],
    [["--jobs", "-1"], "must be a whole number"],
    [["--base", "no-such-ref"], "hdp: configs is not in a git repository"],
  ])("exits 2 on bad usage: %j", async (argv, message) => {
    const r = await standin(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message.replace("configs is", `${t.configs} is`));
  });

  it("exits 2 on an unknown git revision", async () => {
    gitInit(t);
    const r = await standin("--base", "no-such-ref");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hdp: unknown git revision "no-such-ref"');
  });

  it("works as a real process, with worker processes running TypeScript through tsx", () => {
    const p = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@hdp/source",
        join(ROOT, "packages/cli/src/bin.ts"),
        "plan",
        "--configs",
        t.configs,
        "--env",
        "prod",
        "--jobs",
        "2",
        "--no-cache",
      ],
      { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "true" } },
    );
    expect(p.stderr).toMatch(
      /planned 3 stack\(s\), 0 from cache, in [\d.]+ s, peak \d+ MB per worker/,
    );
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/^prod-business: \d+ resources \(budget 3,000\)/m);
    expect(p.stdout).toMatch(/^prod-clinical: \d+ resources/m);
  }, 180_000);
});

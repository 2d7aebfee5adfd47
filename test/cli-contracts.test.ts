/**
 * The CLI's contracts as a user meets them in a terminal: exit codes as the README states them
 * in every command, one-line errors for what the user can fix, locations that open from where
 * the user stands, the configs found from a subdirectory, truthful help, colour only where it
 * belongs, policy findings for CI tooling, and `hdp` as a real bin.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { STANDIN_PROGRAM, tree, type Tree } from "../packages/plan/src/__fixtures__/trees";
import { colorEnabled, displayPath, VERSION } from "@hdp/cli";
import { hdp } from "./support/hdp";
import { findPnpm } from "./support/pnpm";

const ROOT = join(__dirname, "..");
const BIN = join(ROOT, "node_modules", ".bin", "hdp");

let t: Tree;
beforeEach(() => {
  t = tree();
});
afterEach(() => t.cleanup());

const standin = (cwd: string, ...argv: string[]) =>
  hdp(cwd, ["plan", "--jobs", "0", "--no-cache", "--program", STANDIN_PROGRAM, ...argv]);

/** The real `hdp` of this repository (node_modules/.bin/hdp), with its own process. */
function bin(cwd: string, argv: readonly string[], env: Record<string, string> = {}) {
  return spawnSync(BIN, [...argv], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "", TERM: "xterm-256color", ...env },
  });
}

const breakOrders = (): void =>
  t.edit("sources/lab/tables/orders.yaml", (s) =>
    s.replace("mode: incremental", "mode: sometimes"),
  );

describe("exit codes (0 fine, 1 problems, 2 bad usage) in every command", () => {
  it("config errors exit 1 in validate, plan and query", async () => {
    breakOrders();
    expect((await hdp(t.dir, ["validate"])).code).toBe(1);
    expect((await standin(t.dir, "--stack", "dev")).code).toBe(1);
    expect((await hdp(t.dir, ["query", "SELECT key FROM tables"])).code).toBe(1);
  });

  it.each([["--json"], ["--markdown"], ["--policy-json"]])(
    "an unwritable %s path is a one-line error, exit 1, nothing else written",
    async (option) => {
      const r = await standin(t.dir, "--stack", "dev", option, "no/such/dir/out.json");
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^hdp: cannot write ${option} no/such/dir/out\\.json: no such directory$`, "m"),
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it("a read-only directory is a one-line error too (the real binary, no stack trace)", () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: make the target a directory instead.
      mkdirSync(join(t.dir, "out.json"));
    } else {
      mkdirSync(join(t.dir, "ro"));
      chmodSync(join(t.dir, "ro"), 0o555);
    }
    const target = process.getuid?.() === 0 ? "out.json" : "ro/out.json";
    const r = bin(t.dir, [
      "plan",
      "--stack",
      "dev",
      "--jobs",
      "0",
      "--no-cache",
      "--program",
      STANDIN_PROGRAM,
      "--json",
      target,
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^hdp: cannot write --json ${target}: `, "m"));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("hdp query --configs /nonexistent is an error, not 0 rows", async () => {
    const r = await hdp(t.dir, ["query", "--configs", "/nonexistent", "SELECT key FROM tables"]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: "hdp: configs directory /nonexistent does not exist\n",
    });
  });

  it("--stack with --env is a usage error, not a silent union", async () => {
    const r = await standin(t.dir, "--stack", "dev", "--env", "prod");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("hdp: --stack and --env both select stacks: give one");
  });
});

describe("paths from where the user stands", () => {
  it("names config files relative to the cwd, from the root and from a subdirectory", async () => {
    breakOrders();
    const fromRoot = await hdp(t.dir, ["validate"]);
    expect(fromRoot.stdout).toMatch(/^configs\/sources\/lab\/tables\/orders\.yaml:\d+:\d+ {2}/m);
    const sub = join(t.configs, "sources", "lab");
    const fromSub = await hdp(sub, ["validate"]);
    expect(fromSub.code).toBe(1);
    expect(fromSub.stdout).toMatch(/^tables\/orders\.yaml:\d+:\d+ {2}/m);
    mkdirSync(join(t.dir, "docs"));
    const fromSibling = await hdp(join(t.dir, "docs"), ["validate"]);
    expect(fromSibling.stdout).toMatch(
      /^\.\.\/configs\/sources\/lab\/tables\/orders\.yaml:\d+:\d+ {2}/m,
    );
  });

  it("finds configs/ from a subdirectory the way git finds .git", async () => {
    mkdirSync(join(t.dir, "docs", "deep"), { recursive: true });
    const r = await hdp(join(t.dir, "docs", "deep"), ["validate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^valid: 2 hospitals/);
    const q = await hdp(join(t.dir, "docs"), [
      "query",
      "--format",
      "paths",
      "SELECT file, line FROM tables WHERE key = 'lab/orders'",
    ]);
    expect(q.stdout).toBe("../configs/sources/lab/tables/orders.yaml:1\n");
  });

  it("shows a path outside the cwd's tree absolute", () => {
    expect(displayPath("/tmp/x/configs", "/work/repo")).toBe("/tmp/x/configs");
    expect(displayPath("/work/repo/configs/a.yaml", "/work/repo/docs")).toBe("../configs/a.yaml");
    expect(displayPath("/work/repo", "/work/repo")).toBe(".");
  });
});

describe("help tells the truth", () => {
  it("lists only commands that exist", async () => {
    const r = await hdp(t.dir, ["--help"]);
    expect(r.code).toBe(0);
    const listed = [...r.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]);
    expect(listed).toEqual(expect.arrayContaining(["validate", "plan", "query", "help"]));
    for (const name of listed.filter((n) => n !== "help")) {
      expect([name, (await hdp(t.dir, [name, "--help"])).code]).toEqual([name, 0]);
    }
    // The description names only commands that are listed.
    const description =
      r.stdout.split("\n").find((l) => l.startsWith("health-data-platform:")) ?? "";
    const verbs = [...description.matchAll(/\b(validate|plan|query|simulate|explain|deploy)\b/g)];
    expect(verbs.length).toBeGreaterThan(0);
    for (const [verb] of verbs) expect([verb, listed.includes(verb)]).toEqual([verb, true]);
  });

  it("hdp help nosuch says what is wrong and exits 2", async () => {
    const r = await hdp(t.dir, ["help", "nosuch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^hdp: unknown command 'nosuch' \(commands: validate, plan, query\b.*\)\n$/,
    );
  });

  it.each([["-v"], ["--version"]])("%s prints the version", async (flag) => {
    const r = await hdp(t.dir, [flag]);
    expect(r).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
    expect(VERSION).toBe(
      (
        JSON.parse(readFileSync(join(ROOT, "packages/cli/package.json"), "utf8")) as {
          version: string;
        }
      ).version,
    );
  });
});

describe("colour", () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: "1" }, true, false],
    [{ NO_COLOR: "1", FORCE_COLOR: "1" }, true, false],
    [{ NO_COLOR: "" }, true, true],
    [{ FORCE_COLOR: "1" }, false, true],
    [{ FORCE_COLOR: "0" }, true, false],
    [{ FORCE_COLOR: "" }, false, false],
    [{ TERM: "dumb" }, true, false],
    [{ TERM: "dumb", FORCE_COLOR: "1" }, false, true],
    [{ CI: "true" }, false, false],
  ])("env %j, terminal %s: colour %s", (env, tty, expected) => {
    expect(colorEnabled(env, tty)).toBe(expected);
  });

  it("the binary colours errors only when asked (FORCE_COLOR), never under NO_COLOR or TERM=dumb", () => {
    breakOrders();
    // eslint-disable-next-line no-control-regex -- ANSI escape codes are what is checked
    const ansi = /\u001b\[/;
    expect(bin(t.dir, ["validate"], { FORCE_COLOR: "1" }).stdout).toMatch(ansi);
    expect(bin(t.dir, ["validate"], { FORCE_COLOR: "1", NO_COLOR: "1" }).stdout).not.toMatch(ansi);
    expect(bin(t.dir, ["validate"], { TERM: "dumb" }).stdout).not.toMatch(ansi);
    // Not a terminal (a pipe here), nothing forced: plain.
    expect(bin(t.dir, ["validate"]).stdout).not.toMatch(ansi);
  });
});

describe("policy findings for CI tooling", () => {
  it("hdp plan --policy-json writes every finding, and how many block", async () => {
    const r = await standin(t.dir, "--stack", "dev", "--policy-json", "policy.json");
    expect(r.stderr).not.toMatch(/^hdp: /m);
    const report = JSON.parse(readFileSync(join(t.dir, "policy.json"), "utf8")) as {
      findings: { stack: string; rule: string; message: string }[];
      blocking: number;
      stacks: string[];
    };
    expect(report.stacks).toEqual(["dev"]);
    expect(typeof report.blocking).toBe("number");
    expect(Array.isArray(report.findings)).toBe(true);
    expect(r.code).toBe(report.blocking > 0 ? 1 : 0);
  });
});

describe("every file-output option takes - for stdout", () => {
  it("hdp plan --policy-json - and --markdown - write to stdout; the report goes to stderr", async () => {
    const file = await standin(t.dir, "--stack", "dev", "--policy-json", "policy.json");
    const policy = await standin(t.dir, "--stack", "dev", "--policy-json", "-");
    expect(policy.code).toBe(file.code);
    expect(policy.stdout).toBe(readFileSync(join(t.dir, "policy.json"), "utf8"));
    expect(policy.stderr).toContain("dev: 24 resources");
    expect(existsSync(join(t.dir, "-"))).toBe(false);

    await standin(t.dir, "--stack", "dev", "--markdown", "plan.md");
    const markdown = await standin(t.dir, "--stack", "dev", "--markdown", "-");
    expect(markdown.stdout).toBe(readFileSync(join(t.dir, "plan.md"), "utf8"));
    expect(markdown.stdout).not.toContain("dev: 24 resources");
    expect(markdown.stderr).toContain("dev: 24 resources");
  });

  it("two outputs on stdout are bad usage (exit 2), nothing planned", async () => {
    const r = await standin(t.dir, "--stack", "dev", "--json", "-", "--markdown", "-");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("hdp: --json and --markdown both write to stdout (-)");
    expect(r.stdout).toBe("");
  });
});

describe("hdp is a real bin", () => {
  it("runs as node_modules/.bin/hdp from a subdirectory, with its own exit code", () => {
    breakOrders();
    const r = bin(join(t.configs, "sources"), ["validate"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^lab\/tables\/orders\.yaml:\d+:\d+ {2}/m);
  });

  it("pnpm hdp and pnpm exec hdp print no run-script noise on a non-zero exit", () => {
    breakOrders();
    const pnpm = findPnpm();
    for (const args of [["hdp"], ["exec", "hdp"]]) {
      const r = spawnSync(
        pnpm.command,
        [...pnpm.args, "--dir", ROOT, ...args, "validate", "--configs", t.configs],
        { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
      );
      expect([args, r.status]).toEqual([args, 1]);
      expect(r.stdout).toMatch(/orders\.yaml:\d+:\d+ {2}/);
      expect(r.stderr).not.toMatch(/ELIFECYCLE|ERR_PNPM|Command failed/);
    }
  });
});

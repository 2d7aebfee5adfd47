import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { blobId, isProgramFile, programPackages, workingTreeCodeHash } from "./code-hash";
import { REPO_ROOT } from "../__fixtures__/trees";
import { revisionCodeHash } from "./revision";

const manifest = (name: string, deps: string[] = []): string =>
  JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((d) => [d, "workspace:*"])) });

describe("the program's code", () => {
  it("is @hdp/platform, the policy pack and the workspace packages they use, not the tools around them", () => {
    const packages = programPackages((dir) => {
      try {
        return readFileSync(join(REPO_ROOT, "packages", dir, "package.json"), "utf8");
      } catch {
        return undefined;
      }
    });
    expect(packages.has("platform")).toBe(true);
    expect(packages.has("config")).toBe(true);
    expect(packages.has("naming")).toBe(true);
    expect(packages.has("policy")).toBe(true);
    for (const tool of ["cli", "plan", "query", "testing"]) expect(packages.has(tool)).toBe(false);
  });

  test.each([
    ["pnpm-lock.yaml", true],
    ["packages/platform/src/core.ts", true],
    ["packages/platform/package.json", true],
    ["packages/platform/src/core.test.ts", false],
    ["packages/platform/src/__fixtures__/x.ts", false],
    ["packages/platform/README.md", false],
    ["packages/cli/src/bin.ts", false],
    // The ingest code the platform deploys as workspace files.
    ["pipelines/src/hdp_pipelines/entry.py", true],
    ["pipelines/src/hdp_pipelines/__pycache__/entry.cpython-311.pyc", false],
    ["pipelines/tests/test_raw.py", false],
  ])("%s counts: %s", (path, counts) => {
    expect(isProgramFile(path, new Set(["platform"]))).toBe(counts);
  });

  it("hashes the same from git's object ids as from the files, and ignores packages outside it", () => {
    const dir = mkdtempSync(join(tmpdir(), "hdp-code-hash-"));
    const write = (rel: string, text: string): void => {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    };
    const git = (...args: string[]): string =>
      execFileSync("git", args, {
        cwd: dir,
        encoding: "utf8",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@x",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@x",
        },
      });
    try {
      write("pnpm-lock.yaml", "lockfileVersion: 9\n");
      write("packages/platform/package.json", manifest("@hdp/platform", ["@hdp/lake"]));
      write("packages/platform/src/index.ts", "export const a = 1;\n");
      write("packages/lake/package.json", manifest("@hdp/lake"));
      write("packages/lake/src/index.ts", "export const b = 1;\n");
      write("packages/cli/package.json", manifest("@hdp/cli", ["@hdp/platform"]));
      write("packages/cli/src/bin.ts", "run();\n");
      write("pipelines/src/hdp_pipelines/entry.py", "print(1)\n");
      write("pipelines/tests/test_entry.py", "def test(): pass\n");
      git("init", "-q");
      git("add", "-A");
      git("commit", "-q", "-m", "one");
      const head = workingTreeCodeHash(dir);
      expect(revisionCodeHash(dir, "HEAD")).toBe(head);

      write("packages/cli/src/bin.ts", "run(); // changed\n");
      expect(workingTreeCodeHash(dir)).toBe(head);
      write("pipelines/tests/test_entry.py", "def test(): assert True\n");
      expect(workingTreeCodeHash(dir)).toBe(head);
      // The deployed ingest code is a resource input: a change is a program change.
      write("pipelines/src/hdp_pipelines/entry.py", "print(2)\n");
      const ingestChanged = workingTreeCodeHash(dir);
      expect(ingestChanged).not.toBe(head);
      git("commit", "-q", "-am", "two");
      expect(revisionCodeHash(dir, "HEAD")).toBe(ingestChanged);
      write("packages/lake/src/index.ts", "export const b = 2;\n");
      expect(workingTreeCodeHash(dir)).not.toBe(ingestChanged);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("uses git's blob ids", () => {
    expect(blobId(Buffer.from("hello\n"))).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
  });
});

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addWorktree, resolveRevision, workingRevision } from "./git";
import { installCommand, packageOfType } from "./host";

let repo: string;
const git = (...args: string[]) => {
  const r = spawnSync("git", ["-c", "user.email=t@example.org", "-c", "user.name=t", ...args], {
    cwd: repo,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "hdp-git-"));
  git("init", "--quiet");
  writeFileSync(join(repo, "package.json"), JSON.stringify({ packageManager: "pnpm@12.4.2" }));
  writeFileSync(join(repo, "f.txt"), "one\n");
  git("add", "-A");
  git("commit", "--quiet", "-m", "one");
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe("git for rollback", () => {
  it("checks a revision out in a temporary worktree and removes it without a trace", () => {
    const first = resolveRevision(repo, "HEAD");
    writeFileSync(join(repo, "f.txt"), "two\n");
    git("commit", "--quiet", "-am", "two");
    const wt = addWorktree(repo, first);
    expect(readFileSync(join(wt.dir, "f.txt"), "utf8")).toBe("one\n");
    expect(git("worktree", "list")).toContain(wt.dir);
    wt.remove();
    expect(existsSync(wt.dir)).toBe(false);
    expect(git("worktree", "list")).not.toContain(wt.dir);
    expect(readFileSync(join(repo, "f.txt"), "utf8")).toBe("two\n");
  });

  it("knows a dirty working tree and rejects unknown revisions", () => {
    expect(workingRevision(repo).dirty).toBe(false);
    writeFileSync(join(repo, "new.yaml"), "x: 1\n");
    expect(workingRevision(repo)).toEqual({ sha: resolveRevision(repo, "HEAD"), dirty: true });
    expect(() => resolveRevision(repo, "nope")).toThrow('unknown git revision "nope"');
  });

  it("installs a checkout with the pnpm its package.json names, from the local store first", () => {
    expect(installCommand(repo)).toEqual([
      "npx",
      "--yes",
      "pnpm@12.4.2",
      "install",
      "--frozen-lockfile",
      "--prefer-offline",
    ]);
  });
});

describe("packageOfType", () => {
  it.each([
    ["aws:s3/bucket:Bucket", "aws"],
    ["databricks:index/catalog:Catalog", "databricks"],
    ["pulumi:providers:databricks", "databricks"],
    ["pulumi:pulumi:StackReference", undefined],
  ])("%s -> %s", (type, pkg) => expect(packageOfType(type)).toBe(pkg));
});

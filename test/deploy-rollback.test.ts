/**
 * The rollback's real check (`gitRollbackHost(...).check`): the target revision, checked out in
 * a temporary worktree, planned offline against the revision deployed now. Rolling stage back
 * to before a source was added would drop that source's Unity Catalog schemas and tables: the
 * destructive-change guard blocks it, and the rollback is refused with the guard's reasons.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gitRollbackHost } from "@hdp/deploy";

const ROOT = join(__dirname, "..");
let repo: string;
const git = (...args: string[]) => {
  const r = spawnSync("git", ["-c", "user.email=t@example.org", "-c", "user.name=t", ...args], {
    cwd: repo,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "hdp-rollback-check-"));
  cpSync(join(ROOT, "Pulumi.yaml"), join(repo, "Pulumi.yaml"));
  cpSync(join(ROOT, "configs"), join(repo, "configs"), {
    recursive: true,
    filter: (src) => !src.includes(join("sources", "press-ganey")),
  });
  git("init", "--quiet");
  git("add", "-A");
  git("commit", "--quiet", "-m", "before press-ganey");
  cpSync(
    join(ROOT, "configs", "sources", "press-ganey"),
    join(repo, "configs", "sources", "press-ganey"),
    {
      recursive: true,
    },
  );
  git("add", "-A");
  git("commit", "--quiet", "-m", "press-ganey");
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

it("blocks rolling stage back past a source's creation: its schemas and tables would be dropped", async () => {
  const host = gitRollbackHost(repo, () => undefined);
  const deployed = await host.resolveRevision("HEAD");
  const target = await host.resolveRevision("HEAD~1");
  // A worktree without the dependency install (the estate's repository holds no program).
  const wt = spawnSync(
    "git",
    ["worktree", "add", "--detach", "--quiet", join(repo, ".wt"), target],
    { cwd: repo },
  );
  expect(wt.status).toBe(0);
  try {
    const check = await host.check(join(repo, ".wt"), "stage", deployed);
    expect(check.nodes.map((n) => n.name)).toEqual(["stage"]);
    expect(check.blocked.length).toBeGreaterThan(0);
    for (const b of check.blocked) expect(b).toMatch(/^stage: /);
    expect(check.blocked.join("\n")).toMatch(/databricks:index\/(schema:Schema|sqlTable:SqlTable)/);
    expect(check.blocked.join("\n")).toContain("press-ganey");
    expect([...(check.providers.get("stage") ?? [])].sort()).toEqual(
      expect.arrayContaining(["aws", "databricks"]),
    );
  } finally {
    git("worktree", "remove", "--force", join(repo, ".wt"));
  }
}, 240_000);

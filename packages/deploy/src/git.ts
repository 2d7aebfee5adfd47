/** The git the deploy needs: the revision of the working tree, and temporary worktrees. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Revision } from "./deploy";
import { DeployUsageError } from "./order";

function git(cwd: string, args: readonly string[]): string {
  const r = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 28,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
  });
  if (r.error !== undefined) throw new Error(`cannot run git: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`git ${args.join(" ")} failed: ${r.stderr.trim() || `exit ${r.status}`}`);
  }
  return r.stdout;
}

/** The top of the work tree holding `dir`; a usage error outside a repository. */
export function repositoryRoot(dir: string): string {
  try {
    return git(dir, ["rev-parse", "--show-toplevel"]).trim();
  } catch {
    throw new DeployUsageError(
      `${dir} is not in a git repository: deploys are recorded by revision`,
    );
  }
}

/** The commit `ref` names; a usage error naming it when there is none. */
export function resolveRevision(root: string, ref: string): string {
  const r = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    cwd: root,
    encoding: "utf8",
  });
  const sha = r.stdout.trim();
  if (r.status !== 0 || sha === "") throw new DeployUsageError(`unknown git revision "${ref}"`);
  return sha;
}

/** HEAD, and whether the working tree differs from it (tracked or new, not ignored, files). */
export function workingRevision(root: string): Revision {
  return {
    sha: resolveRevision(root, "HEAD"),
    dirty: git(root, ["status", "--porcelain"]).trim() !== "",
  };
}

/** A detached worktree of `sha` in a temporary directory; `remove` deletes it and its record. */
export function addWorktree(root: string, sha: string): { dir: string; remove: () => void } {
  const parent = mkdtempSync(join(tmpdir(), "hdp-rollback-"));
  const dir = join(parent, sha.slice(0, 12));
  git(root, ["worktree", "add", "--detach", "--quiet", dir, sha]);
  return {
    dir,
    remove: () => {
      try {
        git(root, ["worktree", "remove", "--force", dir]);
      } finally {
        rmSync(parent, { recursive: true, force: true });
        git(root, ["worktree", "prune"]);
      }
    },
  };
}

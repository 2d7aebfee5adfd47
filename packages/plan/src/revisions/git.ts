/**
 * Reading another git revision without touching the working tree: `git ls-tree` for blob
 * hashes, `git archive | tar -x` into a temporary directory for files.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A git failure the user can fix (unknown revision, not a repository): a usage error. */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GitError";
  }
}

function git(cwd: string, args: readonly string[], input?: Buffer): Buffer {
  const r = spawnSync("git", args, {
    cwd,
    input,
    maxBuffer: 1 << 30,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
  });
  if (r.error !== undefined) throw new GitError(`cannot run git: ${r.error.message}`);
  if (r.status !== 0) {
    throw new GitError(
      `git ${args[0]} failed: ${r.stderr.toString().trim() || `exit ${r.status}`}`,
    );
  }
  return r.stdout;
}

/** The top of the git work tree holding `dir`. */
export function repoRoot(dir: string): string {
  return git(dir, ["rev-parse", "--show-toplevel"]).toString().trim();
}

/** The commit `ref` names; a {@link GitError} naming the ref when there is none. */
export function resolveCommit(root: string, ref: string): string {
  const r = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    cwd: root,
  });
  const sha = r.stdout.toString().trim();
  if (r.status !== 0 || sha === "") {
    throw new GitError(`unknown git revision "${ref}" in ${root}`);
  }
  return sha;
}

/** One file of a revision: its path (from the repository root) and git blob id. */
export interface TreeEntry {
  readonly path: string;
  readonly blob: string;
}

/** Every file under `paths` (repository-relative) at `commit`. */
export function listTree(root: string, commit: string, paths: readonly string[]): TreeEntry[] {
  const out = git(root, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", ...paths]).toString();
  const entries: TreeEntry[] = [];
  for (const line of out.split("\0")) {
    if (line === "") continue;
    // "<mode> <type> <object>\t<path>"
    const tab = line.indexOf("\t");
    const [, type, blob] = line.slice(0, tab).split(" ");
    if (type === "blob") entries.push({ path: line.slice(tab + 1), blob });
  }
  return entries;
}

/**
 * Writes the files under `paths` (repository-relative; all when empty) at `commit` into a new
 * temporary directory and returns it. The caller removes it.
 */
export function extractTree(root: string, commit: string, paths: readonly string[]): string {
  const dest = mkdtempSync(join(tmpdir(), "hdp-plan-rev-"));
  const tar = git(root, [
    "archive",
    "--format=tar",
    commit,
    ...(paths.length > 0 ? ["--", ...paths] : []),
  ]);
  const r = spawnSync("tar", ["-x", "-f", "-", "-C", dest], { input: tar, maxBuffer: 1 << 30 });
  if (r.error !== undefined || r.status !== 0) {
    throw new GitError(
      `cannot extract ${commit}: ${r.error?.message ?? r.stderr.toString().trim()}`,
    );
  }
  return dest;
}

/** The content of a blob. */
export function readBlob(root: string, blob: string): string {
  return git(root, ["cat-file", "blob", blob]).toString();
}

/**
 * Config trees and git repositories for plan tests: a copy of the repository's valid base
 * fixture (test/fixtures/base) in a temp directory, edited with small helpers.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Links a checkout's node_modules to this workspace's (tests that plan a clone). */
export { linkDependencies } from "../revisions/revision";

export const REPO_ROOT = join(__dirname, "..", "..", "..", "..");
export const BASE_TREE = join(REPO_ROOT, "test", "fixtures", "base");
export const STANDIN_PROGRAM = join(__dirname, "standin-program.ts");
export const FAILING_PROGRAM = join(__dirname, "failing-program.ts");
export const CRASHING_PROGRAM = join(__dirname, "crashing-program.ts");

/** A temp directory holding `configs/` (a copy of the base fixture); remove with `cleanup`. */
export interface Tree {
  readonly dir: string;
  readonly configs: string;
  write(rel: string, text: string): void;
  read(rel: string): string;
  edit(rel: string, edit: (text: string) => string): void;
  remove(rel: string): void;
  cleanup(): void;
}

export function tree(): Tree {
  const dir = mkdtempSync(join(tmpdir(), "hdp-plan-test-"));
  const configs = join(dir, "configs");
  cpSync(BASE_TREE, configs, { recursive: true });
  const abs = (rel: string): string => join(configs, rel);
  return {
    dir,
    configs,
    write: (rel, text) => {
      mkdirSync(dirname(abs(rel)), { recursive: true });
      writeFileSync(abs(rel), text);
    },
    read: (rel) => readFileSync(abs(rel), "utf8"),
    edit: (rel, f) => writeFileSync(abs(rel), f(readFileSync(abs(rel), "utf8"))),
    remove: (rel) => rmSync(abs(rel), { recursive: true, force: true }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A lab table file with `n` columns. */
export function tableYaml(id: string, extra = ""): string {
  return `id: ${id}
description: Generated table ${id}
classification: internal
columns:
  - name: id
    type: bigint
    nullable: false
load:
  mode: full
${extra}`;
}

const git = (dir: string, ...args: string[]): string =>
  execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.org",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.org",
      // Fixed dates: the same commits get the same ids, so reports naming them can be snapshots.
      GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z",
      GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z",
    },
  });

/** Makes the tree a git repository with one commit of its configs; returns a commit helper. */
export function gitInit(t: Tree): { commit(message: string): string } {
  git(t.dir, "init", "-q", "-b", "main");
  const commit = (message: string): string => {
    git(t.dir, "add", "-A");
    git(t.dir, "commit", "-q", "-m", message);
    return git(t.dir, "rev-parse", "HEAD").trim();
  };
  commit("base");
  return { commit };
}

/**
 * The real rollback host and `--changed-since`: git worktrees, the dependency install, and the
 * offline planner (@hdp/plan) for the guard, the providers of a revision and the changed
 * stacks (the planner's config slices).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatError, loadEstate } from "@hdp/config";
import { plan, PlanConfigError, type PlanResult } from "@hdp/plan";
import { addWorktree, resolveRevision } from "./git";
import { deployGraph, DeployUsageError } from "./order";
import type { RevisionCheck, RollbackHost } from "./rollback";

/** The provider package of a resource type (`aws:s3/bucket:Bucket` -> `aws`). */
export function packageOfType(type: string): string | undefined {
  const m = /^pulumi:providers:([^:]+)$/.exec(type);
  if (m !== null) return m[1];
  const pkg = type.split(":")[0];
  return pkg === "pulumi" || pkg === "" ? undefined : pkg;
}

/** Provider packages per stack of a plan (resource types' packages). */
export function providersOf(result: PlanResult): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of result.head.stacks) {
    if (!s.ok) continue;
    const set = new Set<string>();
    for (const t of Object.keys(s.summary.byType)) {
      const p = packageOfType(t);
      if (p !== undefined) set.add(p);
    }
    out.set(s.stack, set);
  }
  return out;
}

/** The install command for a checked-out revision: its own pnpm (`packageManager`). */
export function installCommand(dir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    packageManager?: string;
  };
  const pm = typeof pkg.packageManager === "string" ? pkg.packageManager.split("+")[0] : "pnpm";
  return ["npx", "--yes", pm, "install", "--frozen-lockfile", "--prefer-offline"];
}

/** Stacks of `env` whose inputs did not change since `ref` (the planner's slices decide). */
export async function unchangedSince(
  configs: string,
  env: string,
  ref: string,
  onOutput: (text: string) => void = (t) => process.stderr.write(t),
): Promise<readonly string[]> {
  try {
    const r = await plan({ configs, envs: [env], changedSince: ref, onOutput });
    return r.unchanged;
  } catch (e) {
    if (e instanceof PlanConfigError) {
      throw new DeployUsageError(
        `config errors in ${e.revision}:\n${e.errors.map(formatError).join("\n")}`,
      );
    }
    throw e;
  }
}

/** The real host: worktrees of `root`, dependencies installed, checked by the offline plan. */
export function gitRollbackHost(
  root: string,
  onOutput: (text: string) => void = (t) => process.stderr.write(t),
): RollbackHost {
  return {
    resolveRevision: (ref) => Promise.resolve(resolveRevision(root, ref)),
    checkout: (sha) => {
      const wt = addWorktree(root, sha);
      const [cmd, ...args] = installCommand(wt.dir);
      const r = spawnSync(cmd, args, { cwd: wt.dir, encoding: "utf8" });
      if (r.status !== 0) {
        wt.remove();
        return Promise.reject(
          new Error(
            `installing ${sha.slice(0, 12)}'s dependencies failed: ${r.stderr || r.error?.message}`,
          ),
        );
      }
      onOutput(`checked out ${sha.slice(0, 12)} in ${wt.dir}\n`);
      return Promise.resolve({ dir: wt.dir, dispose: () => Promise.resolve(wt.remove()) });
    },
    check: async (dir, env, base): Promise<RevisionCheck> => {
      const configs = join(dir, "configs");
      const loaded = loadEstate(configs);
      if (!loaded.ok) {
        return {
          nodes: [],
          providers: new Map(),
          blocked: loaded.errors.map((e) => `config error at the target: ${formatError(e)}`),
        };
      }
      const nodes = deployGraph(loaded.estate, env);
      // No cache: the worktree is thrown away, and its plan must be its own.
      const result = await plan({ configs, envs: [env], base, cacheDir: false, onOutput });
      return {
        nodes,
        providers: providersOf(result),
        blocked: result.problems
          .filter((p) => p.kind === "destroy" || p.kind === "program")
          .map((p) => `${p.stack}: ${p.message}`),
      };
    },
  };
}

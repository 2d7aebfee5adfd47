/**
 * `hdp deploy`: the stacks of one environment, dependencies first (core, then the shards), at
 * most `jobs` at once, each in its own process (the engine's business), with the policy pack.
 * A failed stack skips the stacks that depend on it; the others finish. Every stack's outcome
 * is appended to the deploy ledger as soon as it is known.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { StackEngine, StackTarget, UpOutcome } from "./engine";
import {
  LEDGER_FORMAT,
  renderEntries,
  resourcesAfter,
  type LedgerEntry,
  type RunKind,
} from "./ledger";
import type { LedgerStore } from "./ledger-store";
import type { StackNode } from "./order";
import { runGraph, type ScheduledRun } from "./schedule";

/** The git revision a run deploys. */
export interface Revision {
  readonly sha: string;
  /** Uncommitted changes in the working tree (recorded: the sha alone does not reproduce it). */
  readonly dirty: boolean;
}

/** `NODE_OPTIONS` with the source condition added to what the user set (e.g. a larger heap). */
export function nodeOptions(current: string | undefined): string {
  const flag = "--conditions=@hdp/source";
  const base = (current ?? "").trim();
  return base.split(/\s+/).includes(flag) ? base : `${base} ${flag}`.trim();
}

/** The stack's target in a project directory: the pack and its config for the environment. */
export function stackTarget(
  workDir: string,
  stack: string,
  environment: string,
  env: NodeJS.ProcessEnv = process.env,
): StackTarget {
  const config = join(workDir, "packages", "policy", "config", `${environment}.json`);
  return {
    stack,
    workDir,
    policyPack: join(workDir, "packages", "policy"),
    policyPackConfig: existsSync(config) ? config : undefined,
    env: {
      // CI type-checks separately; the pack runs from its TypeScript sources.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      NODE_OPTIONS: nodeOptions(env.NODE_OPTIONS),
    },
  };
}

export interface DeployOptions {
  readonly environment: string;
  /** The stacks to run, in deploy order, with their dependencies (see `deployGraph`). */
  readonly nodes: readonly StackNode[];
  readonly jobs: number;
  readonly preview: boolean;
  readonly kind: RunKind;
  /** The project directory (the repository, or a rollback's temporary worktree). */
  readonly workDir: string;
  readonly revision: Revision;
  readonly engine: StackEngine;
  readonly ledger: LedgerStore;
  /** Unique id of this run (shared by its ledger entries). */
  readonly runId: string;
  readonly now?: () => Date;
  readonly onStart?: (stack: string) => void;
  readonly onDone?: (run: ScheduledRun<UpOutcome>) => void;
}

export interface DeploySummary {
  readonly runId: string;
  readonly kind: RunKind;
  readonly environment: string;
  readonly revision: Revision;
  readonly preview: boolean;
  readonly runs: readonly ScheduledRun<UpOutcome>[];
  readonly ledger: string;
}

/** Runs the stacks and appends each outcome to the ledger; see the module comment. */
export async function deploy(o: DeployOptions): Promise<DeploySummary> {
  const now = o.now ?? (() => new Date());
  const kind: RunKind = o.preview ? "preview" : o.kind;
  const entry = (r: ScheduledRun<UpOutcome>): LedgerEntry => ({
    format: LEDGER_FORMAT,
    run: o.runId,
    kind,
    environment: o.environment,
    stack: r.stack,
    revision: o.revision.sha,
    dirty: o.revision.dirty,
    time: now().toISOString(),
    result: r.status,
    changes: r.value?.changes ?? {},
    resources:
      r.value !== undefined && r.status === "succeeded" ? resourcesAfter(r.value.changes) : null,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
  });
  // Appends go one after another: a store may read-modify-write (S3).
  let appended = Promise.resolve();
  const record = (r: ScheduledRun<UpOutcome>): Promise<void> => {
    appended = appended.then(() => o.ledger.append(renderEntries([entry(r)])));
    return appended;
  };
  const message = `hdp ${kind} ${o.environment} at ${o.revision.sha.slice(0, 12)}${o.revision.dirty ? " (uncommitted changes)" : ""}`;
  const runs = await runGraph(
    o.nodes,
    o.jobs,
    async (stack) => {
      const outcome = await o.engine.up({
        ...stackTarget(o.workDir, stack, o.environment),
        preview: o.preview,
        message,
      });
      const r: ScheduledRun<UpOutcome> = {
        stack,
        status: outcome.ok ? "succeeded" : "failed",
        value: outcome,
        ...(outcome.ok ? {} : { reason: outcome.error ?? "failed" }),
      };
      await record(r);
      o.onDone?.(r);
      return {
        ok: outcome.ok,
        value: outcome,
        ...(outcome.error !== undefined ? { reason: outcome.error } : {}),
      };
    },
    o.onStart,
  );
  for (const r of runs) {
    if (r.status === "skipped" || r.value === undefined) {
      // Skipped, or the engine threw: not recorded above.
      await record(r);
      o.onDone?.(r);
    }
  }
  await appended;
  return {
    runId: o.runId,
    kind,
    environment: o.environment,
    revision: o.revision,
    preview: o.preview,
    runs,
    ledger: o.ledger.location,
  };
}

/** 0 when every stack succeeded, else 1. */
export function deployExitCode(s: DeploySummary): 0 | 1 {
  return s.runs.every((r) => r.status === "succeeded") ? 0 : 1;
}

const OPS_SHOWN = ["create", "update", "replace", "delete", "same"];

/** The summary: a line per stack (what ran, failed, was skipped and why), then the totals. */
export function renderDeployText(s: DeploySummary, unchanged: readonly string[] = []): string {
  const out: string[] = [];
  const verb = s.preview ? "previewed" : s.kind === "rollback" ? "rolled back" : "deployed";
  for (const r of s.runs) {
    const counts = r.value?.changes ?? {};
    const ops = OPS_SHOWN.filter((op) => (counts[op] ?? 0) > 0)
      .map((op) => `${counts[op]} ${op}`)
      .join(", ");
    if (r.status === "succeeded") out.push(`✔ ${r.stack}: ${verb}${ops !== "" ? ` (${ops})` : ""}`);
    else if (r.status === "failed") out.push(`✘ ${r.stack}: failed: ${firstLines(r.reason ?? "")}`);
    else out.push(`- ${r.stack}: skipped (${r.reason ?? "a dependency did not succeed"})`);
    for (const p of r.value?.policy ?? []) out.push(`    policy: ${p}`);
  }
  for (const u of unchanged) out.push(`· ${u}: unchanged since the given revision, not run`);
  const count = (st: string): number => s.runs.filter((r) => r.status === st).length;
  out.push(
    "",
    `${s.environment} at ${s.revision.sha.slice(0, 12)}${s.revision.dirty ? " (uncommitted changes)" : ""}: ${count("succeeded")} ${verb}, ${count("failed")} failed, ${count("skipped")} skipped${unchanged.length > 0 ? `, ${unchanged.length} unchanged` : ""}`,
    `ledger: ${s.ledger} (run ${s.runId})`,
  );
  return `${out.join("\n")}\n`;
}

function firstLines(text: string): string {
  const lines = text.trim().split("\n");
  return lines.length > 6
    ? [...lines.slice(0, 6), `… (${lines.length - 6} more lines)`].join("\n    ")
    : lines.join("\n    ");
}

/**
 * `hdp rollback`: redeploy the configs and code of an earlier revision (the ledger's last good
 * one, or the one given) from a temporary git worktree, through the same deploy as any change.
 * Before anything runs it is refused, with the reasons, when
 * - the destructive-change guard blocks the change from the revision deployed now to the
 *   target (a stateful resource deleted or replaced in stage/prod without an allow entry), or
 * - the target's program no longer has a provider whose resources the stack still holds
 *   (Pulumi could neither manage nor delete them: the stack would be stuck).
 */
import { deploy, stackTarget, type DeploySummary } from "./deploy";
import type { StackEngine, StateResource } from "./engine";
import { currentRevision, lastGoodRun, parseLedger } from "./ledger";
import type { LedgerStore } from "./ledger-store";
import type { StackNode } from "./order";

/** What the offline plan of the target revision says (see {@link RollbackHost.check}). */
export interface RevisionCheck {
  /** The environment's stacks at the target revision, in deploy order. */
  readonly nodes: readonly StackNode[];
  /** The destructive-change guard's blocking findings, as messages. */
  readonly blocked: readonly string[];
  /** Provider packages (`aws`, `databricks`, …) each stack's program uses at the target. */
  readonly providers: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A checked-out revision; `dispose` removes it. */
export interface Checkout {
  readonly dir: string;
  dispose(): Promise<void>;
}

/** Git and the offline planner, as the rollback sees them (real: git worktree + @hdp/plan). */
export interface RollbackHost {
  /** The full commit of `ref`; throws a usage error for an unknown one. */
  resolveRevision(ref: string): Promise<string>;
  /** A temporary worktree at `sha`, with dependencies installed. */
  checkout(sha: string): Promise<Checkout>;
  /** Plans `env` in `dir` against `base` (the revision deployed now): guard and providers. */
  check(dir: string, env: string, base: string): Promise<RevisionCheck>;
}

export interface RollbackOptions {
  readonly environment: string;
  /** A revision to roll back to; default the ledger's last good one. */
  readonly to?: string;
  readonly jobs: number;
  readonly preview: boolean;
  readonly engine: StackEngine;
  readonly ledger: LedgerStore;
  readonly host: RollbackHost;
  readonly runId: string;
  readonly now?: () => Date;
  readonly onStart?: (stack: string) => void;
  readonly onNote?: (text: string) => void;
}

export type RollbackResult =
  | {
      readonly kind: "refused";
      readonly target: string;
      readonly current: string | undefined;
      readonly reasons: readonly string[];
    }
  | {
      readonly kind: "ran";
      readonly target: string;
      readonly current: string | undefined;
      readonly summary: DeploySummary;
    };

/** The provider package of a custom resource, from its provider reference. */
export function providerPackage(r: StateResource): string | undefined {
  if (r.provider === undefined || r.provider === "") return undefined;
  const m = /::pulumi:providers:([^:]+)::/.exec(r.provider);
  return m?.[1];
}

/**
 * Providers a stack's state depends on that the target's program lacks, with how many
 * resources each still manages (providers themselves and the stack resource do not count).
 */
export function droppedProviders(
  state: readonly StateResource[],
  target: ReadonlySet<string>,
): { provider: string; resources: number; example: string }[] {
  const held = new Map<string, { resources: number; example: string }>();
  for (const r of state) {
    if (r.type.startsWith("pulumi:")) continue;
    const p = providerPackage(r);
    if (p === undefined || target.has(p)) continue;
    const h = held.get(p) ?? { resources: 0, example: r.urn };
    h.resources++;
    held.set(p, h);
  }
  return [...held.entries()]
    .map(([provider, h]) => ({ provider, ...h }))
    .sort((a, b) => a.provider.localeCompare(b.provider));
}

/** Chooses the revision, checks it, and deploys it unless refused; see the module comment. */
export async function rollback(o: RollbackOptions): Promise<RollbackResult> {
  const entries = parseLedger(await o.ledger.read(), o.ledger.location);
  const current = currentRevision(entries, o.environment);
  const target =
    o.to !== undefined
      ? await o.host.resolveRevision(o.to)
      : lastGoodRun(entries, o.environment).revision;
  if (
    o.to !== undefined &&
    !entries.some((e) => e.environment === o.environment && e.revision === target)
  ) {
    o.onNote?.(
      `note: ${target.slice(0, 12)} was never deployed to ${o.environment} (not in the ledger)`,
    );
  }
  o.onNote?.(
    `rolling ${o.environment} back from ${current?.slice(0, 12) ?? "(unknown)"} to ${target.slice(0, 12)}`,
  );
  const checkout = await o.host.checkout(target);
  try {
    // Nothing deployed yet as far as the ledger knows: guard against the checked-out HEAD.
    const base = current ?? (await o.host.resolveRevision("HEAD"));
    const check = await o.host.check(checkout.dir, o.environment, base);
    const reasons = [...check.blocked];
    for (const n of check.nodes) {
      const state = await o.engine.state(stackTarget(checkout.dir, n.name, o.environment));
      for (const d of droppedProviders(state, check.providers.get(n.name) ?? new Set())) {
        reasons.push(
          `${n.name}: ${target.slice(0, 12)} has no ${d.provider} provider, but the stack still holds ${d.resources} ${d.provider} resource(s) (e.g. ${d.example}); remove them with a forward change first (or roll back to a revision that has the provider)`,
        );
      }
    }
    if (reasons.length > 0) return { kind: "refused", target, current, reasons };
    const summary = await deploy({
      environment: o.environment,
      nodes: check.nodes,
      jobs: o.jobs,
      preview: o.preview,
      kind: "rollback",
      workDir: checkout.dir,
      revision: { sha: target, dirty: false },
      engine: o.engine,
      ledger: o.ledger,
      runId: o.runId,
      ...(o.now !== undefined ? { now: o.now } : {}),
      ...(o.onStart !== undefined ? { onStart: o.onStart } : {}),
    });
    return { kind: "ran", target, current, summary };
  } finally {
    await checkout.dispose();
  }
}

/** The refusal as text (the deploy summary covers a rollback that ran). */
export function renderRefusal(r: Extract<RollbackResult, { kind: "refused" }>): string {
  return `rollback to ${r.target.slice(0, 12)} refused:\n${r.reasons.map((x) => `  ${x}`).join("\n")}\nnothing was deployed\n`;
}

/**
 * The deploy ledger: one JSON line per stack per run (what ran, at which git revision, when, how
 * it ended and how many resources each operation touched). Appending never rewrites history;
 * rollback reads it to find the last good revision. Pure: parsing, rendering, choosing.
 */
import type { OpCounts } from "./engine";
import type { StackStatus } from "./schedule";

export const LEDGER_FORMAT = 1;

export type RunKind = "deploy" | "preview" | "rollback";

export interface LedgerEntry {
  readonly format: typeof LEDGER_FORMAT;
  /** One id per `hdp deploy|rollback` run; every stack of the run shares it. */
  readonly run: string;
  readonly kind: RunKind;
  readonly environment: string;
  readonly stack: string;
  /** The full git commit the configs and code came from. */
  readonly revision: string;
  /** The working tree had uncommitted changes: the revision alone does not reproduce it. */
  readonly dirty: boolean;
  /** When the stack's run ended (ISO 8601, UTC). */
  readonly time: string;
  readonly result: StackStatus;
  /** Resources per operation (`same`, `create`, `update`, `delete`, `replace`, …). */
  readonly changes: OpCounts;
  /** Resources in the stack afterwards (everything but deletes), when it ran. */
  readonly resources: number | null;
  /** Why it failed or was skipped. */
  readonly reason?: string;
}

/** A line of the ledger that is not an entry: reported with its line, never silently dropped. */
export class LedgerFormatError extends Error {
  constructor(
    readonly location: string,
    readonly problems: readonly string[],
  ) {
    super(`${location}: not a deploy ledger:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "LedgerFormatError";
  }
}

const GONE = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "read-discard"]);

/** Resources in a stack after a run with these operation counts. */
export function resourcesAfter(changes: OpCounts): number {
  return Object.entries(changes).reduce((n, [op, c]) => (GONE.has(op) ? n : n + c), 0);
}

/** The ledger's text for some entries (one JSON object per line, keys in a fixed order). */
export function renderEntries(entries: readonly LedgerEntry[]): string {
  return entries.map((e) => `${JSON.stringify(e)}\n`).join("");
}

const RESULTS: readonly string[] = ["succeeded", "failed", "skipped"];
const KINDS: readonly string[] = ["deploy", "preview", "rollback"];

/** Parses a ledger; every malformed line is reported (`location:line`), all at once. */
export function parseLedger(text: string, location: string): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  const problems: string[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${location}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      problems.push(`${where}: not JSON (${(e as Error).message})`);
      return;
    }
    const o = v as Partial<Record<keyof LedgerEntry, unknown>>;
    const bad: string[] = [];
    if (typeof v !== "object" || v === null) bad.push("not an object");
    else {
      if (o.format !== LEDGER_FORMAT) bad.push(`format ${JSON.stringify(o.format)} (expected 1)`);
      for (const k of ["run", "environment", "stack", "revision", "time"] as const) {
        if (typeof o[k] !== "string" || o[k] === "") bad.push(`${k} missing`);
      }
      if (typeof o.kind !== "string" || !KINDS.includes(o.kind)) bad.push("kind invalid");
      if (typeof o.result !== "string" || !RESULTS.includes(o.result)) bad.push("result invalid");
      if (typeof o.changes !== "object" || o.changes === null) bad.push("changes missing");
    }
    if (bad.length > 0) problems.push(`${where}: ${bad.join(", ")}`);
    else out.push(v as LedgerEntry);
  });
  if (problems.length > 0) throw new LedgerFormatError(location, problems);
  return out;
}

/** One run of an environment, from its ledger entries. */
export interface LedgerRun {
  readonly run: string;
  readonly kind: RunKind;
  readonly environment: string;
  readonly revision: string;
  readonly dirty: boolean;
  /** When its last stack ended. */
  readonly time: string;
  readonly entries: readonly LedgerEntry[];
  /** Every stack it ran succeeded (and none was skipped). */
  readonly good: boolean;
}

/** The runs that changed `env` (previews excluded), oldest first. */
export function environmentRuns(entries: readonly LedgerEntry[], env: string): LedgerRun[] {
  const byRun = new Map<string, LedgerEntry[]>();
  for (const e of entries) {
    if (e.environment !== env || e.kind === "preview") continue;
    const list = byRun.get(e.run) ?? [];
    list.push(e);
    byRun.set(e.run, list);
  }
  return [...byRun.entries()]
    .map(([run, es]) => ({
      run,
      kind: es[0].kind,
      environment: env,
      revision: es[0].revision,
      dirty: es.some((e) => e.dirty),
      time: es
        .map((e) => e.time)
        .sort()
        .at(-1) as string,
      entries: es,
      good: es.every((e) => e.result === "succeeded"),
    }))
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

/** Why no revision can be rolled back to. */
export class NoRollbackTarget extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoRollbackTarget";
  }
}

/**
 * The revision `hdp rollback` redeploys when none is given: the newest good run of `env` at a
 * revision other than the one of its newest run (the one being rolled back), and not from a
 * dirty working tree (its revision would not reproduce it).
 */
export function lastGoodRun(entries: readonly LedgerEntry[], env: string): LedgerRun {
  const runs = environmentRuns(entries, env);
  const latest = runs.at(-1);
  if (latest === undefined) throw new NoRollbackTarget(`the ledger has no deploy of "${env}"`);
  const candidate = [...runs]
    .reverse()
    .find((r) => r.good && !r.dirty && r.revision !== latest.revision);
  if (candidate === undefined) {
    throw new NoRollbackTarget(
      `the ledger has no good deploy of "${env}" at a revision other than ${latest.revision.slice(0, 12)} (the latest); give one with --to`,
    );
  }
  return candidate;
}

/** The revision `env` runs now, as far as the ledger knows: its newest run's. */
export function currentRevision(entries: readonly LedgerEntry[], env: string): string | undefined {
  return environmentRuns(entries, env).at(-1)?.revision;
}

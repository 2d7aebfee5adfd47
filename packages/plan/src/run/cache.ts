/**
 * The plan cache: one entry per (stack, key), where the key hashes everything the stack's plan
 * depends on (code, config slice, the core's exports for a shard, project and organization).
 * An entry is the stack's rendered inventory plus its counts and exports, so a cached stack is
 * reported without parsing its inventory. Entries are written atomically; the newest few per
 * stack are kept.
 */
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { StackSummary } from "../inventory/inventory";
import type { PolicyFinding } from "../policy/policy";
import type { StackOutputs } from "@hdp/recorder";

/** Entries kept per stack (the working tree and a base revision or two). */
const KEEP_PER_STACK = 4;

/** What the cache holds for one planned stack. */
export interface CachedStack {
  readonly summary: StackSummary;
  readonly exports: StackOutputs;
  /** Policy findings, when the entry was evaluated (its key then says so). */
  readonly policy: readonly PolicyFinding[] | undefined;
  /** The rendered inventory entry; read lazily (only `--json` and diffs need it). */
  readonly json: () => string;
}

const safe = (stack: string): string => stack.replace(/[^A-Za-z0-9._-]/g, "_");

export class PlanCache {
  constructor(readonly dir: string) {}

  private paths(stack: string, key: string): { dir: string; meta: string; json: string } {
    const dir = join(this.dir, safe(stack));
    return { dir, meta: join(dir, `${key}.meta.json`), json: join(dir, `${key}.inventory.json`) };
  }

  /** The entry for `stack` under `key`, or undefined (a damaged entry counts as missing). */
  get(stack: string, key: string): CachedStack | undefined {
    const p = this.paths(stack, key);
    let meta: { summary: StackSummary; exports: StackOutputs; policy?: PolicyFinding[] };
    try {
      meta = JSON.parse(readFileSync(p.meta, "utf8")) as typeof meta;
      if (!statSync(p.json).isFile()) return undefined;
    } catch {
      return undefined;
    }
    return {
      summary: meta.summary,
      exports: meta.exports,
      policy: meta.policy,
      json: () => readFileSync(p.json, "utf8"),
    };
  }

  put(
    stack: string,
    key: string,
    entry: {
      summary: StackSummary;
      exports: StackOutputs;
      policy?: readonly PolicyFinding[];
      json: string;
    },
  ): void {
    const p = this.paths(stack, key);
    mkdirSync(p.dir, { recursive: true });
    const tmp = `.${process.pid}.${Date.now()}`;
    writeFileSync(p.json + tmp, entry.json);
    renameSync(p.json + tmp, p.json);
    const meta = { summary: entry.summary, exports: entry.exports, policy: entry.policy };
    writeFileSync(p.meta + tmp, JSON.stringify(meta));
    renameSync(p.meta + tmp, p.meta);
    this.prune(p.dir);
  }

  private prune(dir: string): void {
    const metas = readdirSync(dir)
      .filter((f) => f.endsWith(".meta.json"))
      .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of metas.slice(KEEP_PER_STACK)) {
      const key = f.slice(0, -".meta.json".length);
      rmSync(join(dir, f), { force: true });
      rmSync(join(dir, `${key}.inventory.json`), { force: true });
    }
  }
}

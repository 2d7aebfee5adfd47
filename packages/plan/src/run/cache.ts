/**
 * The plan cache: one entry per (stack, key), where the key hashes everything the stack's plan
 * depends on (code, config slice, the core's exports for a shard, project and organization).
 * An entry is the stack's rendered inventory plus its counts and exports, so a cached stack is
 * reported without parsing its inventory. Entries are written atomically (a temporary file per
 * writer, then a rename; the meta file last, so a meta file means a whole entry): the process
 * that planned a stack writes it, a worker as well as the calling process. Pruning keeps the
 * newest few per stack and is done by the calling process alone, sparing the keys its run uses.
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

/** What is written for one planned stack. */
export interface CacheEntry {
  readonly summary: StackSummary;
  readonly exports: StackOutputs;
  readonly policy?: readonly PolicyFinding[];
  /** The rendered inventory entry, as text or as its UTF-8 bytes. */
  readonly json: string | Uint8Array;
}

const safe = (stack: string): string => stack.replace(/[^A-Za-z0-9._-]/g, "_");

let tmpSeq = 0;

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
      json: () => this.inventory(stack, key),
    };
  }

  /** The rendered inventory entry of `stack` under `key` (throws when it is not there). */
  inventory(stack: string, key: string): string {
    return readFileSync(this.paths(stack, key).json, "utf8");
  }

  /**
   * Writes the entry of `stack` under `key` atomically, without pruning: safe with several
   * processes writing at once (each writes its own temporary files, then renames). The
   * content under a key is the same whoever writes it.
   */
  write(stack: string, key: string, entry: CacheEntry): void {
    const p = this.paths(stack, key);
    mkdirSync(p.dir, { recursive: true });
    const tmp = `.${process.pid}.${++tmpSeq}.tmp`;
    writeFileSync(p.json + tmp, entry.json);
    renameSync(p.json + tmp, p.json);
    const meta = { summary: entry.summary, exports: entry.exports, policy: entry.policy };
    writeFileSync(p.meta + tmp, JSON.stringify(meta));
    renameSync(p.meta + tmp, p.meta);
  }

  /** Writes the entry, then prunes the stack's older entries (one writer at a time). */
  put(stack: string, key: string, entry: CacheEntry): void {
    this.write(stack, key, entry);
    this.prune(stack, new Set([key]));
  }

  /**
   * Keeps the newest {@link KEEP_PER_STACK} entries of `stack` and every key in `keep` (the
   * keys the calling run reads: never removed under it). Tolerates entries that other
   * processes write or remove meanwhile.
   */
  prune(stack: string, keep: ReadonlySet<string>): void {
    const dir = this.paths(stack, "").dir;
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      return;
    }
    const metas: { key: string; t: number }[] = [];
    for (const f of files) {
      if (!f.endsWith(".meta.json")) continue;
      const key = f.slice(0, -".meta.json".length);
      if (keep.has(key)) continue;
      try {
        metas.push({ key, t: statSync(join(dir, f)).mtimeMs });
      } catch {
        // Removed by another process meanwhile.
      }
    }
    metas.sort((a, b) => b.t - a.t);
    for (const { key } of metas.slice(Math.max(0, KEEP_PER_STACK - keep.size))) {
      rmSync(join(dir, `${key}.meta.json`), { force: true });
      rmSync(join(dir, `${key}.inventory.json`), { force: true });
    }
  }
}

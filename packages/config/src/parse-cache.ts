/**
 * The per-file parse cache: what {@link loadEstate} makes of one config file (the validated,
 * located value, or that file's own errors) kept on disk and keyed by the file's path and the
 * SHA-256 of its bytes, so a tree with a few changed files re-parses only those; the cross-file
 * checks then run over every file's result as before.
 *
 * Soundness rests on the key: an entry is stored under the hash of the very bytes that were
 * parsed (hashed as they were read, not as an earlier scan saw them), and looked up by the
 * hash a {@link TreeIndex} gives (which re-reads every file whose stat is not known clean), so
 * an entry is found only for the same path with the same bytes. The path is in the key
 * because results name their file (origins, errors). Entries are also keyed by this package's
 * code and its parsers' versions: a changed schema never meets an old result.
 *
 * On disk: segments (`<dir>/parsed-*.v8`, `v8.serialize`d), each written whole and renamed into
 * place. A run that parsed files adds a segment of just those; when segments pile up, or many
 * entries are no longer used (files edited, removed), one compacted segment replaces them all.
 * An unreadable segment, or one of another format or code, is ignored: it is a cache.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { ConfigError } from "./errors";
import { codeLocation, dependencyVersion, hashPackageCode } from "./code-digest";
import { writeAtomically } from "./replace-file";

/** Bumped when what an entry holds changes shape. */
const FORMAT = "hdp-parse-cache-1";
/** Compact when more segments than this have accumulated. */
const MAX_SEGMENTS = 8;

/** One file's result: its located value, or its own errors. */
export type FileResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

interface Segment {
  readonly format: string;
  readonly code: string;
  readonly entries: readonly (readonly [string, FileResult])[];
}

/** The parse cache of one configs tree, as one run uses it. */
export class ParseCache {
  private readonly known = new Map<string, FileResult>();
  private readonly used = new Set<string>();
  private readonly added: [string, FileResult][] = [];
  /** Every segment file seen (readable or not): a compaction replaces them all. */
  private readonly segments: string[] = [];
  /** Whether a segment was unreadable or of another format or code: compact it away. */
  private foreign = false;

  /** Reads the segments under `dir` (absent, unreadable or foreign ones are skipped). */
  constructor(readonly dir: string) {
    const code = codeStamp();
    let names: string[];
    try {
      names = readdirSync(dir).filter((f) => f.startsWith("parsed-") && f.endsWith(".v8"));
    } catch {
      return;
    }
    for (const name of names.sort()) {
      this.segments.push(name);
      try {
        const seg = deserialize(readFileSync(join(dir, name))) as Segment;
        if (seg.format !== FORMAT || seg.code !== code) {
          this.foreign = true;
          continue;
        }
        for (const [k, r] of seg.entries) this.known.set(k, r);
      } catch {
        // damaged, or removed by a concurrent compaction: a miss, never an answer
        this.foreign = true;
      }
    }
  }

  /** The result of `file` whose bytes hash to `sha256` (hex), if known. */
  get(file: string, sha256: string | undefined): FileResult | undefined {
    if (sha256 === undefined) return undefined;
    const key = `${file}\0${sha256}`;
    const r = this.known.get(key);
    if (r !== undefined) this.used.add(key);
    return r;
  }

  /** {@link get} without marking the entry used (a later `get` does, in the order it is called). */
  peek(file: string, sha256: string | undefined): FileResult | undefined {
    return sha256 === undefined ? undefined : this.known.get(`${file}\0${sha256}`);
  }

  /** Records the result of parsing `bytes` of `file` (keyed by those very bytes); their hash. */
  set(file: string, bytes: Uint8Array, result: FileResult): string {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    this.record(file, sha256, result);
    return sha256;
  }

  /** {@link set}, given the SHA-256 (hex) of the very bytes that were parsed (hashed as read). */
  record(file: string, sha256: string, result: FileResult): void {
    const key = `${file}\0${sha256}`;
    if (this.used.has(key)) return;
    this.used.add(key);
    this.known.set(key, result);
    this.added.push([key, result]);
  }

  /**
   * Writes what this run learnt: a segment of the new results, or, when segments pile up, a
   * fifth of the entries went unused, or a segment was damaged or another code's, one segment
   * of exactly the used ones in place of them all.
   */
  save(): void {
    const unused = this.known.size - this.used.size;
    const compact =
      this.foreign ||
      this.segments.length + 1 > MAX_SEGMENTS ||
      (unused > 0 && unused * 5 > this.known.size);
    if (!compact && this.added.length === 0) return;
    const entries = compact
      ? [...this.used].map((k) => [k, this.known.get(k)!] as const)
      : this.added;
    const seg: Segment = { format: FORMAT, code: codeStamp(), entries };
    const name = `parsed-${Date.now().toString(36).padStart(10, "0")}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.v8`;
    if (!writeAtomically(join(this.dir, name), serialize(seg))) return;
    if (!compact) return;
    for (const old of this.segments) {
      try {
        rmSync(join(this.dir, old), { force: true });
      } catch {
        // another run tidies it later
      }
    }
  }
}

let stamp: string | undefined;

/**
 * What a file's result depends on besides its bytes: this package's code by content (its
 * modules where they run, `src` or `dist`, and package.json: see code-digest.ts), the versions
 * of the parsers and zod, and Node's version — never where the package lives or when its files
 * were written, so another checkout of the same commit, or a rebuild, finds the results.
 * `moduleFile` is this module (another for tests).
 */
export function codeStamp(moduleFile: string = __filename): string {
  const own = moduleFile === __filename;
  if (own && stamp !== undefined) return stamp;
  const h = createHash("sha256").update(`${FORMAT} ${process.version}\n`);
  const { packageDir, codeDir } = codeLocation(moduleFile);
  hashPackageCode(h, packageDir, codeDir);
  for (const dep of ["js-yaml", "yaml", "zod"]) h.update(`${dependencyVersion(dep, require)}\n`);
  const digest = h.digest("hex");
  if (own) stamp = digest;
  return digest;
}

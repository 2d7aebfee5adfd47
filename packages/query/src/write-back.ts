/**
 * `hdp query --write`: run UPDATE/DELETE on the tables, turn the changed cells into YAML edits,
 * re-validate the whole estate on a mirror of the tree carrying the edits, check every change
 * took effect, and only then write the files. Prints nothing itself: returns the diff.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { loadEstate, type ConfigError, type LoadResult } from "@hdp/config";
import { EstateDatabase } from "./database";
import { EstateView, type SqlValue } from "./define";
import { planWrite, sameValue, type Expectation, type WritePlan } from "./write-plan";
import { editYaml } from "./yaml-edit";

export interface WriteBackOptions {
  /** As `--env`: unqualified `effective_*` names show (and update) this environment only. */
  readonly env?: string;
  /** Plan, validate and diff, but write nothing. */
  readonly dryRun?: boolean;
  /** Prefix of the file names in the diff, e.g. "configs" (default: none). */
  readonly diffRoot?: string;
}

/** One file the write changes: its text before, and after (null when deleted). */
export interface FileChange {
  readonly file: string;
  readonly before: string;
  readonly after: string | null;
  /** Lines next to the edit were re-rendered (see `editYaml`). */
  readonly reformatted: boolean;
}

/**
 * - `written`: valid, files written; `dry-run`: valid, nothing written (as asked);
 * - `unchanged`: the statements changed no value (nothing to write);
 * - `invalid`: the result would not be a valid estate, or a change would not take effect:
 *   nothing written (see `errors` and `problems`).
 */
export type WriteStatus = "written" | "dry-run" | "unchanged" | "invalid";

export interface WriteBackResult {
  readonly status: WriteStatus;
  /** Rows the statements changed or deleted. */
  readonly rows: number;
  readonly changes: readonly FileChange[];
  /** Unified diff of every change, files in order. */
  readonly diff: string;
  /** Config errors of the estate as it would be (status `invalid`). */
  readonly errors: readonly ConfigError[];
  /** Changes that would not take effect, and other reasons nothing was written. */
  readonly problems: readonly string[];
}

/**
 * Applies `sql` (UPDATE/DELETE statements) to the YAML files of a loaded tree. Throws a
 * {@link QueryError} for SQL errors and for changes that cannot be written back.
 */
export async function writeBack(
  loaded: LoadResult,
  sql: string,
  options: WriteBackOptions = {},
): Promise<WriteBackResult> {
  const root = loaded.estate.root;
  const view = new EstateView(loaded.estate);
  const db = await EstateDatabase.open(
    loaded.estate,
    options.env === undefined ? {} : { env: options.env },
  );
  let plan: WritePlan;
  try {
    plan = planWrite(db.apply(sql), view);
  } finally {
    db.close();
  }
  const result = (status: WriteStatus, extra: Partial<WriteBackResult> = {}): WriteBackResult => ({
    status,
    rows: plan.rows,
    changes: [],
    diff: "",
    errors: [],
    problems: [],
    ...extra,
  });
  if (!loaded.ok) {
    return result("invalid", {
      errors: loaded.errors,
      problems: ["the config tree already has errors: fix them before writing"],
    });
  }

  const changes: FileChange[] = [];
  for (const [file, edits] of plan.edits) {
    const before = readFileSync(join(root, file), "utf8");
    const edited = editYaml(before, edits);
    if (edited.text !== before)
      changes.push({ file, before, after: edited.text, reformatted: edited.reformatted });
  }
  for (const file of plan.deletes)
    changes.push({
      file,
      before: readFileSync(join(root, file), "utf8"),
      after: null,
      reformatted: false,
    });
  changes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (changes.length === 0) {
    // Nothing to write; still, a value asked for must already be there (enabling a table
    // whose source is disabled removes no override and changes nothing).
    const problems = unmet(plan.expectations, view);
    return problems.length > 0 ? result("invalid", { problems }) : result("unchanged");
  }

  const diff = unifiedDiff(changes, options.diffRoot);
  const mirror = mirrorTree(root, changes);
  let reloaded: LoadResult;
  try {
    reloaded = loadEstate(mirror);
  } finally {
    rmSync(mirror, { recursive: true, force: true });
  }
  if (!reloaded.ok) return result("invalid", { changes, diff, errors: reloaded.errors });
  const problems = unmet(plan.expectations, new EstateView(reloaded.estate));
  if (problems.length > 0) return result("invalid", { changes, diff, problems });
  if (options.dryRun === true) return result("dry-run", { changes, diff });

  writeChanges(root, changes);
  return result("written", { changes, diff });
}

/** A temporary copy of the tree: real directories, links to unchanged files, edited files. */
function mirrorTree(root: string, changes: readonly FileChange[]): string {
  const dest = mkdtempSync(join(tmpdir(), "hdp-query-"));
  const changed = new Map(changes.map((c) => [c.file, c.after]));
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        mkdirSync(join(dest, r));
        walk(r);
      } else if (changed.has(r)) {
        const after = changed.get(r);
        if (after !== null && after !== undefined) writeFileSync(join(dest, r), after);
      } else {
        try {
          symlinkSync(join(root, r), join(dest, r));
        } catch {
          copyFileSync(join(root, r), join(dest, r)); // no symlinks (e.g. Windows without rights)
        }
      }
    }
  };
  walk("");
  return dest;
}

/** Every expectation the reloaded estate does not meet, as a sentence. */
function unmet(expectations: readonly Expectation[], view: EstateView): string[] {
  const problems: string[] = [];
  const indexes = new Map<string, Map<string, Record<string, SqlValue>>>();
  const keyOf = (names: readonly string[], row: Record<string, SqlValue>) =>
    JSON.stringify(names.map((n) => row[n]));
  for (const x of expectations) {
    const t = x.table;
    let index = indexes.get(t.name);
    if (index === undefined) {
      const names = t.columns.map((c) => c.name);
      index = new Map(
        t.rows(view).map((values) => {
          const row = Object.fromEntries(names.map((n, i) => [n, values[i]]));
          return [keyOf(t.key, row), row];
        }),
      );
      indexes.set(t.name, index);
    }
    const row = index.get(keyOf(t.key, x.key));
    const label = `${t.name} row ${t.key.map((k) => `${k}=${String(x.key[k])}`).join(", ")}`;
    if (x.column === undefined) {
      if (row !== undefined) problems.push(`${label} would still exist after the write`);
      continue;
    }
    const got = row?.[x.column.name] ?? null;
    if (row === undefined || !sameValue(x.column, got, x.value ?? null)) {
      const why =
        x.column.name === "enabled"
          ? " (an entry is enabled in an environment only when its source is, see effective_sources)"
          : "";
      problems.push(
        `${label}: ${x.column.name} would be ${JSON.stringify(got)} after the write, not ${JSON.stringify(x.value)}${why}`,
      );
    }
  }
  return problems;
}

function unifiedDiff(changes: readonly FileChange[], diffRoot: string | undefined): string {
  const name = (f: string) => (diffRoot === undefined || diffRoot === "" ? f : `${diffRoot}/${f}`);
  return changes
    .map((c) =>
      createTwoFilesPatch(
        `a/${name(c.file)}`,
        c.after === null ? "/dev/null" : `b/${name(c.file)}`,
        c.before,
        c.after ?? "",
        undefined,
        undefined,
        { context: 3, headerOptions: FILE_HEADERS_ONLY },
      ),
    )
    .join("");
}

/** Writes each file through a temporary sibling and a rename; refuses files changed meanwhile. */
function writeChanges(root: string, changes: readonly FileChange[]): void {
  for (const c of changes) {
    if (readFileSync(join(root, c.file), "utf8") !== c.before)
      throw new Error(
        `${c.file} changed on disk while hdp query was running; nothing more written`,
      );
  }
  for (const c of changes) {
    const abs = join(root, c.file);
    if (c.after === null) unlinkSync(abs);
    else {
      const tmp = `${abs}.hdp-query-${process.pid}`;
      writeFileSync(tmp, c.after);
      renameSync(tmp, abs);
    }
  }
}

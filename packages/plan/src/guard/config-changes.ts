/**
 * The config lines that differ between two revisions, with their position in the head
 * revision's file, and which of them explain a change of a resource's physical name: the guard
 * names the line an engineer changed (an account id, an organization id, an environment's
 * name, a source's domain…) rather than only the resource that would be replaced.
 *
 * Only the files that name things are compared: `platform.yaml`, the environment files and
 * every `source.yaml` (table files name columns, not cloud objects). Pure apart from reading
 * the two config directories.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

/** One scalar that differs (or a file that exists on one side only). */
export interface ConfigChange {
  /** Path relative to the configs directory. */
  readonly file: string;
  /** Position in the head revision's file (line 1 when the file or the key is gone). */
  readonly line: number;
  readonly column: number;
  /** Field path, e.g. `aws.accountId`; empty for a whole file. */
  readonly field: string;
  /** Scalar text before and after; undefined where absent. */
  readonly before: string | undefined;
  readonly after: string | undefined;
}

interface Leaf {
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

/** The files compared, relative to the configs directory, sorted. */
function namingFiles(root: string): string[] {
  const out: string[] = [];
  if (existsSync(join(root, "platform.yaml"))) out.push("platform.yaml");
  const envDir = join(root, "environments");
  if (existsSync(envDir)) {
    for (const f of readdirSync(envDir).sort()) {
      if (/\.ya?ml$/.test(f)) out.push(`environments/${f}`);
    }
  }
  const srcDir = join(root, "sources");
  if (existsSync(srcDir)) {
    for (const d of readdirSync(srcDir).sort()) {
      for (const f of ["source.yaml", "source.yml"]) {
        if (existsSync(join(srcDir, d, f))) out.push(`sources/${d}/${f}`);
      }
    }
  }
  return out;
}

/** Scalar leaves of a YAML file by field path (unreadable files give none). */
function leaves(root: string, file: string): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  let text: string;
  try {
    text = readFileSync(join(root, file), "utf8");
  } catch {
    return out;
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  const walk = (node: Node | null | undefined, path: string): void => {
    if (node === null || node === undefined) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value as Node | null, path === "" ? key : `${path}.${key}`);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node | null, `${path}[${i}]`));
    } else if (isScalar(node)) {
      const pos = lc.linePos(node.range?.[0] ?? 0);
      out.set(path, { value: String(node.value), line: pos.line, column: pos.col });
    }
  };
  walk(doc.contents, "");
  return out;
}

/** Every differing scalar of the naming files between `baseRoot` and `headRoot`. */
export function configChanges(baseRoot: string, headRoot: string): ConfigChange[] {
  const files = [...new Set([...namingFiles(baseRoot), ...namingFiles(headRoot)])].sort();
  const out: ConfigChange[] = [];
  for (const file of files) {
    const inBase = existsSync(join(baseRoot, file));
    const inHead = existsSync(join(headRoot, file));
    if (!inBase || !inHead) {
      out.push({
        file,
        line: 1,
        column: 1,
        field: "",
        before: inBase ? "(file)" : undefined,
        after: inHead ? "(file)" : undefined,
      });
    }
    const a = inBase ? leaves(baseRoot, file) : new Map<string, Leaf>();
    const b = inHead ? leaves(headRoot, file) : new Map<string, Leaf>();
    for (const field of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      const x = a.get(field);
      const y = b.get(field);
      if (x?.value === y?.value) continue;
      out.push({
        file,
        line: y?.line ?? 1,
        column: y?.column ?? 1,
        field,
        before: x?.value,
        after: y?.value,
      });
    }
  }
  return out;
}

/**
 * The changes that explain a physical name going from `before` to `after` (the texts of the
 * inputs that force the replacement): the old value occurs in the old name and the new value
 * in the new one. Values shorter than two characters explain nothing (too many false matches).
 */
export function explainingChanges(
  changes: readonly ConfigChange[],
  before: string,
  after: string,
): ConfigChange[] {
  return changes.filter(
    (c) =>
      c.before !== undefined &&
      c.after !== undefined &&
      c.before.length >= 2 &&
      c.after.length >= 2 &&
      before.includes(c.before) &&
      after.includes(c.after) &&
      !(before.includes(c.after) && after.includes(c.before)),
  );
}

/** `environments/stage.yaml:9:14  aws.accountId  "111…" -> "222…"` */
export function formatChange(c: ConfigChange): string {
  const v = (x: string | undefined): string => (x === undefined ? "(absent)" : JSON.stringify(x));
  return `${c.file}:${c.line}:${c.column}  ${c.field || "(file)"}  ${v(c.before)} -> ${v(c.after)}`;
}

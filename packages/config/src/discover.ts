/** Finds the config files of a tree: platform.yaml, environments/*.yaml, sources/<s>/{source.yaml,tables/*.yaml}. */
import { readdirSync, statSync, type Dirent } from "node:fs";
import { join } from "node:path";
import type { ConfigError } from "./errors";

export interface SourceDir {
  /** `sources/<dir>` relative to the root. */
  readonly dir: string;
  /** `sources/<dir>/source.yaml`, or undefined when missing (an error says so). */
  readonly sourceFile: string | undefined;
  readonly tableFiles: readonly string[];
}

export interface Discovered {
  readonly platformFile: string | undefined;
  readonly environmentFiles: readonly string[];
  readonly sourceDirs: readonly SourceDir[];
  readonly errors: readonly ConfigError[];
}

/** Files nobody needs to be told about. */
const IGNORED = (name: string): boolean => name.startsWith(".") || name.endsWith(".md");

const at = (file: string, message: string): ConfigError => ({
  file,
  line: 1,
  column: 1,
  field: "",
  message,
});

function list(root: string, rel: string): Dirent[] {
  return readdirSync(join(root, rel), { withFileTypes: true })
    .filter((d) => !IGNORED(d.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** {@link list} without the entries' types; the same names in the same order. */
function listNames(root: string, rel: string): string[] {
  // sort() without a comparator orders by UTF-16 code units, as list()'s comparison does.
  return readdirSync(join(root, rel))
    .filter((n) => !IGNORED(n))
    .sort();
}

const isDir = (root: string, rel: string): boolean => {
  try {
    return statSync(join(root, rel)).isDirectory();
  } catch {
    return false;
  }
};

/** Walks `root`; unexpected files and missing required ones become errors, never throws. */
export function discover(root: string): Discovered {
  const errors: ConfigError[] = [];
  if (!isDir(root, ".")) {
    return {
      platformFile: undefined,
      environmentFiles: [],
      sourceDirs: [],
      errors: [at(".", `configs directory ${root} does not exist`)],
    };
  }
  let platformFile: string | undefined;
  const environmentFiles: string[] = [];
  const sourceDirs: SourceDir[] = [];
  for (const entry of list(root, ".")) {
    const name = entry.name;
    if (name === "platform.yaml") platformFile = name;
    else if (name === "environments" && entry.isDirectory()) {
      for (const e of list(root, name)) {
        if (e.name.endsWith(".yaml")) environmentFiles.push(`${name}/${e.name}`);
        else
          errors.push(
            at(
              `${name}/${e.name}`,
              'unexpected here; environments/ holds one "<env>.yaml" per environment',
            ),
          );
      }
    } else if (name === "sources" && entry.isDirectory()) {
      for (const s of list(root, name)) {
        const dir = `${name}/${s.name}`;
        // The entry's own type spares a stat; a symbolic link is followed, as before.
        if (!(s.isDirectory() || (s.isSymbolicLink() && isDir(root, dir)))) {
          errors.push(
            at(
              dir,
              'unexpected file; each source is a directory "sources/<source>/" with a source.yaml',
            ),
          );
          continue;
        }
        sourceDirs.push(discoverSource(root, dir, errors));
      }
    } else {
      errors.push(
        at(
          name,
          "unexpected at the top of the configs directory (expected platform.yaml, environments/, sources/)",
        ),
      );
    }
  }
  if (platformFile === undefined)
    errors.push(
      at("platform.yaml", "is missing: the organisation, hospitals and domains are declared there"),
    );
  if (environmentFiles.length === 0)
    errors.push(at("environments", 'has no environment files; add "environments/<env>.yaml"'));
  return { platformFile, environmentFiles, sourceDirs, errors };
}

function discoverSource(root: string, dir: string, errors: ConfigError[]): SourceDir {
  let sourceFile: string | undefined;
  const tableFiles: string[] = [];
  for (const e of list(root, dir)) {
    const rel = `${dir}/${e.name}`;
    if (e.name === "source.yaml") sourceFile = rel;
    else if (e.name === "tables" && e.isDirectory()) {
      // Names only (no entry types needed here): the largest listing of a tree, kept cheap.
      for (const t of listNames(root, rel)) {
        if (t.endsWith(".yaml")) tableFiles.push(`${rel}/${t}`);
        else
          errors.push(
            at(`${rel}/${t}`, 'unexpected here; tables/ holds one "<table>.yaml" per table'),
          );
      }
    } else
      errors.push(at(rel, "unexpected in a source directory (expected source.yaml and tables/)"));
  }
  if (sourceFile === undefined)
    errors.push(at(`${dir}/source.yaml`, "is missing: every source directory needs a source.yaml"));
  return { dir, sourceFile, tableFiles };
}

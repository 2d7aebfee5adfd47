/**
 * The ingest code this package deploys: every `.py` file of the `hdp_pipelines` Python package
 * but the local-only runner (`local_run.py`, which `hdp local run` starts from the same folder).
 * In the repository it is `pipelines/src/hdp_pipelines/`; a packed @hdp/platform carries a copy
 * in `pipelines/hdp_pipelines/` (its `prepack` script makes it). This is the one place the
 * program reads files besides config, and it reads them once per process.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** One file of the ingest package, its path starting `hdp_pipelines/`. */
export interface IngestCodeFile {
  readonly path: string;
  readonly content: string;
}

/** Where `hdp_pipelines/` may be, nearest first: the packed copy, then the repository's. */
export function ingestCodeCandidates(packageDir: string): string[] {
  return [
    join(packageDir, "pipelines", "hdp_pipelines"),
    join(packageDir, "..", "..", "pipelines", "src", "hdp_pipelines"),
  ];
}

/** This package's directory (from `src/` or `dist/`). */
const PACKAGE_DIR = join(__dirname, "..");

/** The directory holding `hdp_pipelines`' sources; throws naming every place looked at. */
export function ingestCodeDir(packageDir: string = PACKAGE_DIR): string {
  const candidates = ingestCodeCandidates(packageDir);
  const found = candidates.find((d) => existsSync(join(d, "entry.py")));
  if (found === undefined) {
    throw new Error(
      `the ingest code (hdp_pipelines/entry.py) is in none of: ${candidates.join(", ")}`,
    );
  }
  return found;
}

/** Every `.py` file under `dir` (caches and tests left out), sorted, as `hdp_pipelines/<rel>`. */
export function readIngestCode(dir: string): IngestCodeFile[] {
  const out: IngestCodeFile[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      if (name === "__pycache__" || name.startsWith(".")) continue;
      const relPath = rel === "" ? name : `${rel}/${name}`;
      if (statSync(join(dir, relPath)).isDirectory()) walk(relPath);
      else if (name.endsWith(".py")) {
        out.push({
          path: `hdp_pipelines/${relPath}`,
          content: readFileSync(join(dir, relPath), "utf8"),
        });
      }
    }
  };
  walk("");
  if (out.length === 0) throw new Error(`no .py file under ${dir}`);
  return out;
}

/**
 * Files of `hdp_pipelines` that only ever run on an engineer's machine, never in Databricks:
 * `local_run.py` is what `hdp local run` starts (all of a source's tasks in one local Spark);
 * no job task runs it and no deployed module imports it, so it is not uploaded.
 */
export const LOCAL_ONLY_INGEST_FILES: readonly string[] = ["hdp_pipelines/local_run.py"];

/** The files of `all` that job tasks need in the workspace (the local-only ones left out). */
export function deployedIngestCode(all: readonly IngestCodeFile[]): IngestCodeFile[] {
  return all.filter((f) => !LOCAL_ONLY_INGEST_FILES.includes(f.path));
}

let cached: readonly IngestCodeFile[] | undefined;

/** The ingest code this package deploys to the workspace, read once per process. */
export function ingestCode(): readonly IngestCodeFile[] {
  cached ??= deployedIngestCode(readIngestCode(ingestCodeDir()));
  return cached;
}

/**
 * Pure planning of DAG uploads: each rendered file becomes one S3 object under `dags/`, keyed
 * by its path, with a logical name derived from the path (never from its position in the list,
 * so adding or reordering files never renames another one).
 */
import { sha256Hex, shortHash, slug } from "@hdp/naming";

/** The folder MWAA reads DAGs from (`dagS3Path`), with its trailing slash. */
export const DAG_S3_PREFIX = "dags/";

/** One rendered file to upload. */
export interface DagFile {
  /** Path under `dags/`, e.g. `epic/encounters.py`: relative, `/`-separated, no `..`. */
  readonly path: string;
  /** The file's text. */
  readonly content: string;
  /** @default from the extension (`.py` → `text/x-python`, …; else `application/octet-stream`) */
  readonly contentType?: string;
}

/** One planned S3 object. */
export interface PlannedDagObject {
  readonly logicalName: string;
  readonly key: string;
  readonly content: string;
  readonly contentType: string;
  /** sha256 of the content: triggers an update when it changes (see {@link planDagFiles}). */
  readonly sourceHash: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  py: "text/x-python",
  sql: "application/sql",
  json: "application/json",
  yaml: "application/yaml",
  yml: "application/yaml",
  txt: "text/plain",
  md: "text/markdown",
  sh: "text/x-shellscript",
};
const PATH_SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** The content type for a path, from its extension. */
export function contentTypeFor(path: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return (ext !== undefined ? CONTENT_TYPES[ext] : undefined) ?? "application/octet-stream";
}

/**
 * The logical name of a file's object: `<component>-<slug of path>-<hash of path>`. The hash
 * keeps paths that slug alike (`a-b.py`, `a/b.py`) apart; the slug keeps the name readable.
 */
export function dagObjectName(componentName: string, path: string): string {
  return `${componentName}-${slug(path).slice(0, 60)}-${shortHash(path, 8)}`;
}

/** Every problem with a set of files: bad or duplicate paths (empty when valid). */
export function validateDagFiles(files: readonly DagFile[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const segments = f.path.split("/");
    if (
      f.path.length === 0 ||
      f.path.length > 900 ||
      segments.some((s) => !PATH_SEGMENT.test(s) || s === "." || s === "..")
    ) {
      problems.push(
        `DAG file path "${f.path}" must be relative, "/"-separated segments of letters, digits, "_", "." and "-" (no "." or ".." segments)`,
      );
    }
    if (seen.has(f.path)) problems.push(`DAG file path "${f.path}" appears twice`);
    seen.add(f.path);
  }
  return problems;
}

/**
 * The objects for a set of files, sorted by key. Change detection uses `sourceHash` (a sha256
 * of the content), not `etag`: on an SSE-KMS bucket the ETag is not an MD5 of the content, and
 * an `etag` input would show a diff on every preview.
 */
export function planDagFiles(componentName: string, files: readonly DagFile[]): PlannedDagObject[] {
  return files
    .map((f) => ({
      logicalName: dagObjectName(componentName, f.path),
      key: `${DAG_S3_PREFIX}${f.path}`,
      content: f.content,
      contentType: f.contentType ?? contentTypeFor(f.path),
      sourceHash: sha256Hex(f.content),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * What the ingest code's raw-format parsers produce, per format: the tables each one yields and
 * what each is read from (HL7 segments, VCF records...). The one source of truth is the ingest
 * code's own `pipelines/src/hdp_pipelines/raw_tables.json`: `raw.py` loads it (bronze refuses
 * any other table) and `hdp validate` reads it here, so a config table of a raw-format source
 * that no parser produces fails validation at its line instead of its bronze task at run time.
 * pytest (`pipelines/tests/test_raw.py`) checks that every entry really comes out of its parser.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** One raw format's parser: what it reads, and each table it produces with its origin. */
export interface RawParser {
  readonly parser: string;
  readonly tables: Readonly<Record<string, string>>;
  /**
   * For files that arrive beside another format's in its file drop (a run folder's XML beside
   * the FASTQ): that format, which a table's source connection must be a file drop of.
   */
  readonly deliveredBy?: string;
  /** The file names (globs) the parser reads, for messages. */
  readonly files?: readonly string[];
}

/** Where `raw_tables.json` may be (from `src/` or `dist/` of this package in the repository). */
export function rawTablesCandidates(packageDir: string = join(__dirname, "..")): string[] {
  return [
    join(packageDir, "pipelines", "raw_tables.json"),
    join(packageDir, "..", "..", "pipelines", "src", "hdp_pipelines", "raw_tables.json"),
  ];
}

/** Parses the manifest's text; throws naming `file` and the entry that is malformed. */
export function parseRawTables(text: string, file: string): ReadonlyMap<string, RawParser> {
  const data: unknown = JSON.parse(text);
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new Error(`${file}: not a JSON object of formats`);
  const out = new Map<string, RawParser>();
  for (const [format, entry] of Object.entries(data as Record<string, unknown>)) {
    if (format.startsWith("$")) continue;
    const e = entry as {
      parser?: unknown;
      tables?: unknown;
      deliveredBy?: unknown;
      files?: unknown;
    } | null;
    const tables = e?.tables;
    if (
      typeof e?.parser !== "string" ||
      typeof tables !== "object" ||
      tables === null ||
      Array.isArray(tables) ||
      Object.values(tables).some((v) => typeof v !== "string")
    )
      throw new Error(`${file}: "${format}" needs a parser name and a tables object of strings`);
    const { deliveredBy, files } = e;
    if (
      (deliveredBy !== undefined && typeof deliveredBy !== "string") ||
      (files !== undefined &&
        (!Array.isArray(files) || files.some((x: unknown) => typeof x !== "string")))
    )
      throw new Error(`${file}: "${format}": deliveredBy must be a format, files a list of names`);
    out.set(format, {
      parser: e.parser,
      tables: tables as Record<string, string>,
      ...(deliveredBy === undefined ? {} : { deliveredBy }),
      ...(files === undefined ? {} : { files: files as string[] }),
    });
  }
  return out;
}

let cached: ReadonlyMap<string, RawParser> | undefined;

/**
 * The manifest's place and SHA-256 (`-` when it is nowhere): what a cache of validation answers
 * must be keyed by besides the configs and the code, since a new parser changes those answers.
 * The place is relative to the package (`packageDir`, this one but in tests), never absolute:
 * another checkout of the same commit must find the answers already there.
 */
export function rawTablesDigest(packageDir: string = join(__dirname, "..")): string {
  const file = rawTablesCandidates(packageDir).find((c) => existsSync(c));
  if (file === undefined) return "-";
  const where = relative(packageDir, file).split(sep).join("/");
  return `${where} ${createHash("sha256").update(readFileSync(file)).digest("hex")}`;
}

/** The raw parsers of the ingest code, read once per process; throws naming every place looked. */
export function rawParsers(): ReadonlyMap<string, RawParser> {
  if (cached !== undefined) return cached;
  const candidates = rawTablesCandidates();
  const file = candidates.find((c) => existsSync(c));
  if (file === undefined)
    throw new Error(`the ingest code's raw_tables.json is in none of: ${candidates.join(", ")}`);
  cached = parseRawTables(readFileSync(file, "utf8"), file);
  return cached;
}

/**
 * Why a table of a source with `connection` cannot read `format` files, or undefined when it can:
 * a format delivered beside another one's files (`deliveredBy`) needs a file drop of that one.
 */
export function rawReaderProblem(
  format: string,
  connection: { readonly kind: string; readonly format?: string },
  parsers: ReadonlyMap<string, RawParser> = rawParsers(),
): string | undefined {
  const p = parsers.get(format);
  if (p?.deliveredBy === undefined) return undefined;
  if (connection.kind === "file-drop" && connection.format === p.deliveredBy) return undefined;
  const has =
    connection.kind === "file-drop"
      ? `a file drop of ${connection.format ?? "?"} files`
      : `a ${connection.kind} connection`;
  return `the ingest code's ${format} reader (${p.parser}) reads files that arrive beside ${p.deliveredBy} files, in a file drop of format ${p.deliveredBy}; this source's connection is ${has}`;
}

/**
 * Why the ingest code cannot turn `format` files into rows of `table`, or undefined when it can
 * (or `format` is one bronze reads directly).
 */
export function rawTableProblem(
  format: string,
  table: string,
  parsers: ReadonlyMap<string, RawParser> = rawParsers(),
): string | undefined {
  if (format === "csv" || format === "ndjson" || format === "parquet") return undefined;
  const p = parsers.get(format);
  if (p === undefined) return `the ingest code has no parser for ${format} files`;
  if (Object.hasOwn(p.tables, table)) return undefined;
  const listed = Object.entries(p.tables)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([t, from]) => `${t} (${from})`)
    .join(", ");
  return `the ingest code's ${format} parser (${p.parser}) has no mapping for table "${table}"; it produces ${listed}`;
}

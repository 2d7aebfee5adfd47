/** Config errors: every one names the file, line, column and field, in words a data engineer uses. */

/** A position in a config file (1-based line and column). */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Where a config entry came from. */
export interface Origin extends Position {
  /** Path relative to the configs directory, with "/" separators. */
  readonly file: string;
}

/** One problem in the config tree. */
export interface ConfigError extends Origin {
  /** The field path, such as `columns[2].type`; empty for the whole file. */
  readonly field: string;
  readonly message: string;
}

/** `file:line:col  field  message`, the format every tool prints. */
export function formatError(e: ConfigError): string {
  return `${e.file}:${e.line}:${e.column}  ${e.field || "(file)"}  ${e.message}`;
}

/** Errors in a stable order: by file, then line, column and message. */
export function sortErrors(errors: readonly ConfigError[]): ConfigError[] {
  return [...errors].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.field.localeCompare(b.field) ||
      a.message.localeCompare(b.message),
  );
}

/** Renders a field path: `["columns", 2, "type"]` becomes `columns[2].type`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out.length === 0 ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** Thrown by {@link loadEstateOrThrow} when the tree has errors; carries all of them. */
export class ConfigValidationError extends Error {
  constructor(readonly errors: readonly ConfigError[]) {
    super(
      `${errors.length} config error${errors.length === 1 ? "" : "s"}:\n${errors.map(formatError).join("\n")}`,
    );
    this.name = "ConfigValidationError";
  }
}

/** Where checks send errors: a file, a field path in it, and the message. */
export interface ErrorSink {
  error(file: string, path: readonly PropertyKey[], message: string, key?: boolean): void;
}

/** Errors of a query: what went wrong, where in the SQL, and a hint when there is one. */
import { lineColumn, type Span } from "./sql-text";

/**
 * - `sql`: the engine refused the statement (syntax, unknown table or column, …);
 * - `read-only`: a write without `--write`;
 * - `unsupported`: a statement or a change write-back cannot express (INSERT, DDL, DELETE from
 *   a table other than `tables`/`columns`, a change to a non-writable column);
 * - `usage`: anything else about how the query was asked (empty SQL, several statements,
 *   unknown environment).
 */
export type QueryErrorKind = "sql" | "read-only" | "unsupported" | "usage";

export interface QueryErrorDetails {
  readonly kind: QueryErrorKind;
  /** The SQL the error is about, when it points into it. */
  readonly sql?: string;
  readonly span?: Span;
  /** A suggestion, e.g. `did you mean "classification"?`. */
  readonly hint?: string;
}

export class QueryError extends Error {
  readonly kind: QueryErrorKind;
  readonly sql: string | undefined;
  readonly span: Span | undefined;
  readonly hint: string | undefined;

  constructor(message: string, details: QueryErrorDetails) {
    super(message);
    this.name = "QueryError";
    this.kind = details.kind;
    this.sql = details.sql;
    this.span = details.span;
    this.hint = details.hint;
  }

  /** 1-based line and column of the error in the SQL, when known. */
  get position(): { line: number; column: number } | undefined {
    return this.sql === undefined || this.span === undefined
      ? undefined
      : lineColumn(this.sql, this.span.start);
  }
}

/**
 * The message, then the SQL line with a caret under the culprit, then the hint:
 *
 * ```
 * no such column: clasification (line 1, column 30)
 *   SELECT key FROM tables WHERE clasification = 'phi'
 *                                ^^^^^^^^^^^^^
 *   did you mean "classification"?
 * ```
 */
export function formatQueryError(e: QueryError): string {
  const pos = e.position;
  const lines = [
    pos === undefined ? e.message : `${e.message} (line ${pos.line}, column ${pos.column})`,
  ];
  if (pos !== undefined && e.sql !== undefined && e.span !== undefined) {
    const text = e.sql.split("\n")[pos.line - 1];
    const width = Math.max(1, Math.min(e.span.end - e.span.start, text.length - pos.column + 1));
    lines.push(`  ${text}`, `  ${" ".repeat(pos.column - 1)}${"^".repeat(width)}`);
  }
  if (e.hint !== undefined) lines.push(`  ${e.hint}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Just enough SQL lexing for the guard rails around the engine: which tables a statement names,
 * what kind of statement it is, and where in the text an error message points.
 */

export type TokenKind = "word" | "quoted" | "string" | "number" | "punct";

export interface Token {
  readonly kind: TokenKind;
  /** The text as written. */
  readonly text: string;
  /** Identifiers and strings unquoted; words as written. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Tokens of `sql`, skipping whitespace and comments. Never throws: bad input ends as punct. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string) =>
    out.push({
      kind,
      text: sql.slice(start, end),
      value: value ?? sql.slice(start, end),
      start,
      end,
    });
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) i++;
    else if (c === "-" && sql[i + 1] === "-") {
      const eol = sql.indexOf("\n", i);
      i = eol === -1 ? sql.length : eol + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === "`") {
      const start = i;
      let value = "";
      i++;
      while (i < sql.length) {
        if (sql[i] === c && sql[i + 1] === c) {
          value += c;
          i += 2;
        } else if (sql[i] === c) break;
        else value += sql[i++];
      }
      i = Math.min(i + 1, sql.length);
      push(c === "'" ? "string" : "quoted", start, i, value);
    } else if (c === "[") {
      const end = sql.indexOf("]", i);
      const stop = end === -1 ? sql.length : end + 1;
      push("quoted", i, stop, sql.slice(i + 1, end === -1 ? sql.length : end));
      i = stop;
    } else if (WORD_START.test(c)) {
      const start = i;
      while (i < sql.length && WORD.test(sql[i])) i++;
      push("word", start, i);
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(sql[i + 1] ?? ""))) {
      const start = i;
      while (i < sql.length && /[0-9A-Za-z_.]/.test(sql[i])) i++;
      push("number", start, i);
    } else {
      const two =
        sql.slice(i, i + 3) === "->>"
          ? 3
          : /^(<=|>=|<>|!=|==|\|\||->|<<|>>)/.test(sql.slice(i, i + 2))
            ? 2
            : 1;
      push("punct", i, i + two);
      i += two;
    }
  }
  return out;
}

/**
 * Every name a statement could use to reach a table: words, quoted identifiers and strings
 * (a string may name a table in `pragma_table_info('tables')`), lowercased.
 */
export function referencedNames(sql: string): Set<string> {
  const names = new Set<string>();
  for (const t of tokenize(sql))
    if (t.kind !== "number" && t.kind !== "punct") names.add(t.value.toLowerCase());
  return names;
}

/** The first keyword of a statement, uppercased (`SELECT`, `WITH`, `UPDATE`, …); "" when none. */
export function statementKind(sql: string): string {
  const first = tokenize(sql).find((t) => t.kind === "word");
  return first === undefined ? "" : first.value.toUpperCase();
}

/** 1-based line and column of an offset. */
export function lineColumn(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

/** A span of the SQL text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * Where an engine message points. `probe(prefix)` returns the engine's message for a prefix of
 * the SQL (or undefined when the prefix is fine so far): a syntax error `near "X"` is at the
 * first occurrence of X whose prefix already fails with the same message.
 */
export function locateError(
  sql: string,
  message: string,
  probe: (prefix: string) => string | undefined,
): Span | undefined {
  const tokens = tokenize(sql);
  if (message === "incomplete input")
    return { start: sql.trimEnd().length, end: sql.trimEnd().length };
  const near = /^near "(.*)": syntax error$/s.exec(message);
  if (near !== null) {
    const candidates = tokens.filter((t) => t.text === near[1] || t.text.startsWith(near[1]));
    for (const t of candidates) if (probe(sql.slice(0, t.end)) === message) return t;
    return candidates[0];
  }
  const unrecognized = /^unrecognized token: "(.*)"$/s.exec(message);
  if (unrecognized !== null) {
    const at = sql.indexOf(unrecognized[1]);
    return at === -1 ? undefined : { start: at, end: at + unrecognized[1].length };
  }
  // "no such column: t.x", "no such table: x", "no such function: f", "ambiguous column name: x",
  // "wrong number of arguments to function f()", "misuse of aggregate: count()", …
  const named = /(?::| function) ([^\s:]+?)(?:\(\))?$/.exec(message);
  if (named === null) return undefined;
  const parts = named[1].split(".");
  const last = parts[parts.length - 1].toLowerCase();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if ((t.kind === "word" || t.kind === "quoted") && t.value.toLowerCase() === last) {
      // A qualified name (t.x) is reported from its qualifier.
      if (parts.length > 1 && tokens[i - 1]?.text === "." && i >= 2) {
        if (tokens[i - 2].value.toLowerCase() !== parts[parts.length - 2].toLowerCase()) continue;
        return { start: tokens[i - 2].start, end: t.end };
      }
      return t;
    }
  }
  return undefined;
}

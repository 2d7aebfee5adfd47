/**
 * Python source fragments built from config strings. Every string from config reaches a DAG file
 * only through {@link pyStr} (a literal) or {@link pyComment} (a comment line), both of which emit
 * printable ASCII only: a quote, a backslash, a newline, a NUL, a bidi control or a lone surrogate
 * in a description can neither end the literal nor start a statement.
 */

/** Printable ASCII that needs no escape inside a double-quoted Python literal. */
const PLAIN = /[\x20-\x7e]/;
/** A whole string of printable ASCII without `"` or `\`. */
const NO_ESCAPE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** A whole string of printable ASCII without `\`. */
const NO_COMMENT_ESCAPE = /^[\x20-\x5b\x5d-\x7e]*$/;

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};

/** `\xNN`, `\uNNNN` or `\UNNNNNNNN` for one code point (Python's escapes, valid in str literals). */
function escapeCodePoint(cp: number): string {
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\U${cp.toString(16).padStart(8, "0")}`;
}

/**
 * A double-quoted Python `str` literal equal to `value`, in printable ASCII. Iterates code
 * points, so astral characters become one `\U` escape; a lone surrogate becomes `\udXXX` (Python
 * keeps it as it is, as JavaScript did).
 */
export function pyStr(value: string): string {
  // Most config strings need no escape at all: skip the per-character walk.
  if (NO_ESCAPE.test(value)) return `"${value}"`;
  let out = '"';
  for (const ch of value) {
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (PLAIN.test(ch)) out += ch;
    else out += escapeCodePoint(ch.codePointAt(0) as number);
  }
  return `${out}"`;
}

/** A list literal of strings, on one line. */
export function pyStrList(values: readonly string[]): string {
  return `[${values.map(pyStr).join(", ")}]`;
}

/**
 * Text safe on one `# ` comment line: printable ASCII, anything else (a newline above all, which
 * would end the comment) written as an escape, so the reader still sees what config said.
 */
export function pyComment(text: string): string {
  if (NO_COMMENT_ESCAPE.test(text)) return text;
  let out = "";
  for (const ch of text) {
    if (PLAIN.test(ch) && ch !== "\\") out += ch;
    else if (ch === "\\") out += "\\\\";
    else out += escapeCodePoint(ch.codePointAt(0) as number);
  }
  return out;
}

/** Python's keywords (3.11): never emitted as names. */
const KEYWORDS = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except " +
    "finally for from global if import in is lambda nonlocal not or pass raise return try while " +
    "with yield"
  ).split(" "),
);

/** Whether `name` is a plain ASCII Python identifier and not a keyword. */
export function isPyIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name);
}

/** `name` when it is an identifier; throws otherwise (a bug in the caller, never config input). */
export function pyName(name: string): string {
  if (!isPyIdentifier(name)) throw new Error(`"${name}" is not a safe Python identifier`);
  return name;
}

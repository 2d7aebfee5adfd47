/**
 * `JSON.stringify(value, null, 2) + "\n"` in pieces: the top-level object's fields one by one
 * and each element of a top-level array as its own piece, so a report with many findings is
 * never one string. The bytes are those of `JSON.stringify` (a property test holds them equal).
 */

/** One value as `JSON.stringify(v, null, 2)` writes it at `depth` levels of nesting. */
const nested = (v: unknown, depth: number): string =>
  // JSON text has no raw line breaks inside strings: every "\n" starts an indented line.
  (JSON.stringify(v, null, 2) ?? "null").replace(/\n/g, `\n${"  ".repeat(depth)}`);

/** Whether `JSON.stringify` writes a field with this value (it leaves out the others). */
const written = (v: unknown): boolean =>
  v !== undefined && typeof v !== "function" && typeof v !== "symbol";

/** The pieces of `value` (a plain object of plain data, as `JSON.stringify` would read it). */
export function* jsonPieces(value: object): Generator<string> {
  const field = (k: string): unknown => (value as Record<string, unknown>)[k];
  const fields = Object.keys(value).filter((k) => written(field(k)));
  if (fields.length === 0) {
    yield "{}\n";
    return;
  }
  yield "{";
  for (const [i, k] of fields.entries()) {
    const v = field(k);
    const head = `${i === 0 ? "" : ","}\n  ${JSON.stringify(k)}: `;
    if (Array.isArray(v) && v.length > 0) {
      yield `${head}[`;
      for (const [j, el] of v.entries()) {
        yield `${j === 0 ? "" : ","}\n    ${written(el) ? nested(el, 2) : "null"}`;
      }
      yield "\n  ]";
    } else {
      yield `${head}${nested(v, 1)}`;
    }
  }
  yield "\n}\n";
}

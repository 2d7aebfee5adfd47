/**
 * Deterministic JSON: object keys sorted (by UTF-16 code units, not locale), two-space
 * indentation, `undefined` fields dropped. The same value always gives the same bytes, so
 * inventories can be compared and hashed as text, and chunks rendered at a given depth can be
 * pasted into a larger document unchanged.
 */

/** Renders `value` as indented JSON with sorted keys, as if nested `depth` levels deep. */
export function canonicalJson(value: unknown, depth = 0): string {
  const out: string[] = [];
  write(value, depth, out);
  return out.join("");
}

/** Key order for objects whose fields have a reading order: listed keys first, the rest sorted. */
export function orderedKeys(obj: object, first: readonly string[] = []): string[] {
  const rest = Object.keys(obj)
    .filter((k) => !first.includes(k))
    .sort();
  return [...first.filter((k) => k in obj), ...rest];
}

const pad = (depth: number): string => "  ".repeat(depth);

function write(value: unknown, depth: number, out: string[], first?: readonly string[]): void {
  if (value === null || value === undefined) {
    out.push("null");
    return;
  }
  switch (typeof value) {
    case "string":
    case "boolean":
      out.push(JSON.stringify(value));
      return;
    case "number":
      out.push(Number.isFinite(value) ? JSON.stringify(value) : "null");
      return;
    case "object":
      break;
    default:
      throw new Error(`canonicalJson: cannot render a ${typeof value}`);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push("[]");
      return;
    }
    out.push("[\n");
    value.forEach((v, i) => {
      out.push(pad(depth + 1));
      write(v, depth + 1, out);
      out.push(i < value.length - 1 ? ",\n" : "\n");
    });
    out.push(`${pad(depth)}]`);
    return;
  }
  const obj = value as Record<string, unknown>;
  const keys = orderedKeys(obj, first ?? KEY_ORDER).filter((k) => obj[k] !== undefined);
  if (keys.length === 0) {
    out.push("{}");
    return;
  }
  out.push("{\n");
  keys.forEach((k, i) => {
    out.push(`${pad(depth + 1)}${JSON.stringify(k)}: `);
    write(obj[k], depth + 1, out);
    out.push(i < keys.length - 1 ? ",\n" : "\n");
  });
  out.push(`${pad(depth)}}`);
}

/**
 * Fields read first wherever they appear (stack and resource entries of an inventory), so a
 * reader sees what a thing is before its details. Everything else is sorted.
 */
const KEY_ORDER: readonly string[] = ["stack", "urn", "type", "name"];

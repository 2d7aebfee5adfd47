/**
 * `hdp query`'s table of rows, drawn as cli-table3 draws it with no colours and no rule
 * between rows (`style: { head: [], border: [], compact: true }`), in a fraction of the time
 * when every cell is printable ASCII: one character per column of the terminal, nothing to
 * measure. Anything else (wide or combining characters, escapes, line breaks, tabs) returns
 * undefined, and cli-table3 draws it. `plain-table.test.ts` compares the two byte for byte.
 */

/** Printable ASCII only (space to tilde). */
const PLAIN = /^[\x20-\x7e]*$/;

/** The table cli-table3 would draw, or undefined when a cell is not printable ASCII. */
export function plainTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
): string | undefined {
  if (head.length === 0) return undefined;
  const widths = head.map((h) => h.length);
  for (const cells of [head, ...rows]) {
    if (cells.length !== head.length) return undefined;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (!PLAIN.test(c)) return undefined;
      if (c.length > widths[i]) widths[i] = c.length;
    }
  }
  const rule = (left: string, mid: string, right: string): string =>
    left + widths.map((w) => "─".repeat(w + 2)).join(mid) + right;
  const line = (cells: readonly string[]): string =>
    `│${cells.map((c, i) => ` ${c.padEnd(widths[i])} `).join("│")}│`;
  const out = [rule("┌", "┬", "┐"), line(head)];
  if (rows.length > 0) {
    out.push(rule("├", "┼", "┤"));
    for (const r of rows) out.push(line(r));
  }
  out.push(rule("└", "┴", "┘"));
  return out.join("\n");
}

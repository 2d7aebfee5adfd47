import Table from "cli-table3";
import { plainTable } from "./plain-table";

const cliTable3 = (head: string[], rows: string[][]): string => {
  const t = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const r of rows) t.push(r);
  return t.toString();
};

/** A small deterministic generator (no dependency on Math.random). */
function* lcg(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield x;
  }
}

describe("plainTable", () => {
  it("draws what cli-table3 draws, byte for byte, for printable ASCII", () => {
    const cases: [string[], string[][]][] = [
      [["a", "bb"], []],
      [["a", "bb"], [["", "x"]]],
      [["key", "file", "line"], [["lab/orders", "sources/lab/tables/orders.yaml", "2"]]],
      [["x"], [["  spaces  "], [" "], ["~!@#$%^&*()_+`-={}|[]\\:\";'<>?,./"]]],
      [["NULL"], [["NULL"], ["0"]]],
    ];
    const rand = lcg(42);
    const next = (n: number) => (rand.next().value as number) % n;
    for (let k = 0; k < 50; k++) {
      const cols = 1 + next(5);
      const head = Array.from({ length: cols }, (_, i) => `c${i}${"h".repeat(next(6))}`);
      const rows = Array.from({ length: next(8) }, () =>
        Array.from({ length: cols }, () =>
          String.fromCharCode(...Array.from({ length: next(12) }, () => 0x20 + next(95))),
        ),
      );
      cases.push([head, rows]);
    }
    expect(cases.length).toBeGreaterThan(50);
    for (const [head, rows] of cases) {
      expect({ head, rows, drawn: plainTable(head, rows) }).toEqual({
        head,
        rows,
        drawn: cliTable3(head, rows),
      });
    }
  });

  it.each([
    ["a wide character", "病院"],
    ["an accent", "café"],
    ["a line break", "a\nb"],
    ["a tab", "a\tb"],
    ["an escape sequence", "\u001b[31mred\u001b[0m"],
  ])("leaves %s to cli-table3", (_, cell) => {
    expect(plainTable(["x"], [[cell]])).toBeUndefined();
    expect(plainTable([cell], [])).toBeUndefined();
  });
});

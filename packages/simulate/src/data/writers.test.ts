import type { Column } from "@hdp/config";
import type { Value } from "./values";
import { blockEncoder, partWriter, type DataFormat, type Sink } from "./writers";

/** Rows through a format's block encoder (blocks of `block` rows) into one part file. */
async function writeRows(
  format: DataFormat,
  sink: Sink,
  columns: Column[],
  rows: Value[][],
  block = 1000,
): Promise<void> {
  const w = partWriter(format, sink, columns, undefined);
  for (let i = 0; i < rows.length; i += block) {
    const e = blockEncoder(format, columns, undefined);
    for (const r of rows.slice(i, i + block)) e.row(r);
    await w.write(e.finish());
  }
  await w.close();
}

const memorySink = (): Sink & { text: () => string; chunks: number } => {
  const parts: Buffer[] = [];
  const sink = {
    chunks: 0,
    write(chunk: string | Uint8Array) {
      sink.chunks++;
      parts.push(Buffer.from(chunk));
    },
    close: () => Promise.resolve(),
    text: () => Buffer.concat(parts).toString("utf8"),
  };
  return sink;
};
const cols = (...names: string[]): Column[] =>
  names.map((name) => ({ name, type: "string", nullable: true }) as Column);

describe("block encoders and part writers", () => {
  test("ndjson lines are exactly JSON.stringify of the row, whatever the values", async () => {
    const columns = cols("a", 'q"uote', "c", "d", "e", "f");
    const rows: Value[][] = [
      ["plain", 'say "hi"', "back\\slash", "tab\there\nnewline\u0001", "Zoë ☃ 😀", "\ud800 lone"],
      [0, -0, 1.5e-7, 123456789012, Number.NaN, Number.POSITIVE_INFINITY],
      [true, false, null, ["x", 1, null], "", "</script>"],
    ];
    const sink = memorySink();
    await writeRows("ndjson", sink, columns, rows, 2);
    const want = rows
      .map((r) => `${JSON.stringify(Object.fromEntries(columns.map((c, i) => [c.name, r[i]])))}\n`)
      .join("");
    expect(sink.text()).toBe(want);
  });

  test("lines larger than a block's first buffer and many small lines arrive whole and in order", async () => {
    const sink = memorySink();
    const big = "ü".repeat(300_000);
    const lines = ["a", big, ...Array.from({ length: 50_000 }, (_, i) => `row-${i}`), "z"];
    await writeRows(
      "csv",
      sink,
      cols("v"),
      lines.map((l) => [l]),
      10_000,
    );
    expect(sink.text()).toBe(`v\n${lines.join("\n")}\n`);
    expect(sink.chunks).toBeGreaterThan(2);
  });
});

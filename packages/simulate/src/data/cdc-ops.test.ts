import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import { cdcCodes } from "./cdc-ops";
import { localTarget } from "./sinks";
import { simulateData } from "./simulate-data";

test.each([
  [["1"], { insert: "2", update: "4", delete: "1" }], // SQL Server CDC __$operation
  [["D"], { insert: "I", update: "U", delete: "D" }], // AWS DMS Op, GoldenGate op_type
  [["d"], { insert: "c", update: "u", delete: "d" }], // Debezium op
  [["DELETE"], { insert: "INSERT", update: "UPDATE", delete: "DELETE" }], // LogMiner OPERATION
  [["X", "1"], { insert: "2", update: "4", delete: "1" }], // the known code among others
  [["X"], { insert: "I", update: "U", delete: "X" }], // an unknown marker: I/U beside it
  [["U", "X"], { insert: "I", update: null, delete: "U" }], // never a code the marker lists
])("the delete marker %j gives the codes %j", (values, codes) => {
  expect(cdcCodes(values)).toEqual(codes);
});

test("a SQL Server CDC table lands __$operation codes: 2 insert, 4 update, 1 delete", async () => {
  // The sample estate's pyxis-medstation/discrepancies: deletes: { column: cdc_operation, values: ["1"] }.
  const root = mkdtempSync(join(tmpdir(), "hdp-sim-cdc-"));
  try {
    const estate = loadEstateOrThrow(join(__dirname, "..", "..", "..", "..", "configs"));
    const table = estate.tables.find((t) => t.key === "pyxis-medstation/discrepancies")!;
    expect(table.load.mode === "cdc" && table.load.deletes).toEqual({
      column: "cdc_operation",
      values: ["1"],
    });
    const r = await simulateData(
      {
        estate,
        env: "dev",
        source: "pyxis-medstation",
        table: "discrepancies",
        rows: 200,
        days: 3,
        seed: 4,
        format: "ndjson",
        badShare: 0,
      },
      localTarget(root),
    );
    const [stats] = r.tables;
    const ops = stats.files.flatMap((f) =>
      readFileSync(join(root, f), "utf8")
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { cdc_operation: unknown }).cdc_operation),
    );
    const count = (code: string): number => ops.filter((o) => o === code).length;
    expect(stats.ops.D).toBeGreaterThan(0);
    expect(stats.ops.U).toBeGreaterThan(0);
    expect([count("2"), count("4"), count("1")]).toEqual([stats.ops.I, stats.ops.U, stats.ops.D]);
    expect(ops).toHaveLength(stats.rows);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

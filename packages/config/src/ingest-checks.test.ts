import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { materialize } from "../../../test/support/fixture-tree";
import { loadEstate } from "./load";
import { landingFormatOf } from "./landing";

/** Loads the base tree with `sources/lab/tables/orders.yaml` replaced; returns its errors. */
function errorsWithOrders(yaml: string): string[] {
  const dir = materialize();
  try {
    writeFileSync(join(dir, "sources", "lab", "tables", "orders.yaml"), yaml);
    const result = loadEstate(dir);
    return result.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.field} ${e.message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HEAD = `id: orders
description: Lab orders
classification: phi
columns:
  - name: order_id
    type: bigint
    nullable: false
  - name: mrn
    type: string
    classification: phi
  - name: op
    type: string
  - name: ordered_at
    type: timestamp
`;

describe("the ingest fields of a table", () => {
  it("accept incremental keys, cdc deletes and gold aggregates that name columns", () => {
    const ok = errorsWithOrders(`${HEAD}load:
  mode: cdc
  keys: [order_id]
  sequenceBy: ordered_at
  deletes: { column: op, values: [D] }
layers: [landing, bronze, silver, gold]
gold:
  groupBy: [op]
  measures:
    - { name: orders, function: count }
    - { name: patients, function: count_distinct, column: mrn }
`);
    expect(ok).toEqual([]);
  });

  it("reports every wrong column, function and layer at once, with file, line and field", () => {
    const errors = errorsWithOrders(`${HEAD}load:
  mode: incremental
  watermark: ordered_at
  keys: [mrn]
layers: [landing, bronze, silver]
gold:
  groupBy: [opp]
  measures:
    - { name: total, function: sum }
    - { name: op, function: max, column: ordered }
`);
    expect(errors).toEqual([
      expect.stringMatching(
        /^sources\/lab\/tables\/orders\.yaml:\d+:\d+ load\.keys\[0\] key column "mrn" must be declared nullable: false$/,
      ),
      expect.stringMatching(/ gold a gold step needs "gold" in layers$/),
      expect.stringMatching(
        / gold\.groupBy\[0\] group-by column "opp" is not a column of this table/,
      ),
      expect.stringMatching(/ gold\.measures\[0\]\.column sum needs a column$/),
      expect.stringMatching(
        / gold\.measures\[1\]\.column measure column "ordered" is not a column/,
      ),
    ]);
  });

  it("cdc delete markers must name a column", () => {
    const errors = errorsWithOrders(`${HEAD}load:
  mode: cdc
  keys: [order_id]
  deletes: { column: operation, values: [D] }
`);
    expect(errors).toEqual([
      expect.stringMatching(
        / load\.deletes\.column delete marker column "operation" is not a column/,
      ),
    ]);
  });
});

describe("landingFormatOf", () => {
  const sftp = (filePattern: string) =>
    ({ kind: "sftp", host: "h", path: "/p", filePattern, secretName: "hdp/x" }) as const;
  it.each([
    [sftp("SHS_*.csv"), {}, { format: "csv" }],
    [sftp("export_*.json.gz"), {}, { format: "ndjson" }],
    [sftp("SHS_*.x12"), { landingFormat: "ndjson" as const }, { format: "ndjson" }],
    [{ kind: "file-drop", format: "vcf", filePattern: "*.vcf.gz" } as const, {}, { format: "vcf" }],
    [
      { kind: "file-drop", format: "json", filePattern: "*.json" } as const,
      {},
      { format: "ndjson" },
    ],
  ])("%j %j -> %j", (connection, table, expected) => {
    expect(landingFormatOf(connection, table)).toEqual(expected);
  });

  it("says why when nothing gives a format", () => {
    expect(landingFormatOf(sftp("SHS_*.x12"), {})).toEqual({
      problem: 'the source\'s filePattern "SHS_*.x12" does not say csv, json or parquet',
    });
    expect(landingFormatOf({ kind: "file-drop", format: "bam", filePattern: "*.bam" }, {})).toEqual(
      { problem: 'the source\'s format "bam" has no reader in the ingest code' },
    );
  });
});

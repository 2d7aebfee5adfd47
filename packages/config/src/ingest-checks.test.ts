import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { materialize } from "../../../test/support/fixture-tree";
import { loadEstate } from "./load";
import { INGEST_FORMATS, landingFormatOf } from "./landing";
import { parseRawTables, rawParsers, rawReaderProblem, rawTableProblem } from "./raw-tables";
import { DROP_FILE_FORMATS } from "./schema";

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

describe("raw-format tables need a parser in the ingest code (raw_tables.json)", () => {
  /** The base tree plus an HL7 file-drop source `hl7lab` with the given table files. */
  function errorsWithHl7Source(tables: Record<string, string>): string[] {
    const dir = materialize();
    try {
      const src = join(dir, "sources", "hl7lab");
      mkdirSync(join(src, "tables"), { recursive: true });
      writeFileSync(
        join(src, "source.yaml"),
        `id: hl7lab
name: HL7 results feed
domain: clinical
hospitals: all
owner: { team: clinical-data, email: clinical-data@example.org }
classification: phi
connection:
  kind: file-drop
  format: hl7
  filePattern: "lab/*.hl7"
schedule:
  cron: "0 2 * * *"
`,
      );
      for (const [name, yaml] of Object.entries(tables))
        writeFileSync(join(src, "tables", `${name}.yaml`), yaml);
      return loadEstate(dir).errors.map(
        (e) => `${e.file}:${e.line}:${e.column} ${e.field} ${e.message}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const table = (id: string, extra = ""): string =>
    `id: ${id}\ndescription: x\nclassification: phi\ncolumns:\n  - name: accession_number\n    type: string\nload: { mode: full }\n${extra}`;

  it("refuses a table no parser produces, at its id, naming what the parser produces", () => {
    const errors = errorsWithHl7Source({
      lab_orders: table("lab_orders"),
      micro_cultures: table("micro_cultures"),
      blood_bank_units: table("blood_bank_units"),
      pathology_reports: table("pathology_reports"),
      kept: table("kept_raw", "layers: [landing]\n"),
    });
    expect(errors).toEqual([
      'sources/hl7lab/tables/blood_bank_units.yaml:1:5 id the ingest code\'s hl7 parser (HL7 v2 ORU^R01) has no mapping for table "blood_bank_units"; it produces lab_orders (OBR segments), lab_results (OBX segments), micro_cultures (coded OBX per isolate sub-ID), micro_susceptibilities (OBX of child susceptibility OBRs), specimens (SPM segments): add a parser (pipelines/src/hdp_pipelines/raw.py and raw_tables.json), set landingFormat (csv, ndjson or parquet), or keep the table in landing (layers: [landing])',
      'sources/hl7lab/tables/pathology_reports.yaml:1:5 id the ingest code\'s hl7 parser (HL7 v2 ORU^R01) has no mapping for table "pathology_reports"; it produces lab_orders (OBR segments), lab_results (OBX segments), micro_cultures (coded OBX per isolate sub-ID), micro_susceptibilities (OBX of child susceptibility OBRs), specimens (SPM segments): add a parser (pipelines/src/hdp_pipelines/raw.py and raw_tables.json), set landingFormat (csv, ndjson or parquet), or keep the table in landing (layers: [landing])',
    ]);
  });

  it("reads the ingest code's own manifest: every raw format has a parser with tables", () => {
    const parsers = rawParsers();
    expect([...parsers.keys()].sort()).toEqual([
      "bclconvert-quality-csv",
      "dragen-metrics-csv",
      "fastq",
      "hl7",
      "illumina-run-xml",
      "pharmcat-json",
      "vcf",
    ]);
    // The formats a table may name for other files of its drop are the manifest's readers
    // delivered by another format, each by one the drop connections have.
    const delivered = [...parsers].filter(([, p]) => p.deliveredBy !== undefined);
    expect(delivered.map(([f]) => f).sort()).toEqual([...DROP_FILE_FORMATS].sort());
    expect(new Set(delivered.map(([, p]) => p.deliveredBy))).toEqual(new Set(["fastq", "vcf"]));
    expect(Object.keys(parsers.get("hl7")?.tables ?? {}).sort()).toEqual([
      "lab_orders",
      "lab_results",
      "micro_cultures",
      "micro_susceptibilities",
      "specimens",
    ]);
    const raw = INGEST_FORMATS.filter((f) => !["csv", "ndjson", "parquet"].includes(f));
    expect(raw.sort()).toEqual([...parsers.keys()].sort());
  });

  it("refuses a reader the source's connection cannot provide, and a drop reader without its files", () => {
    const errors = errorsWithHl7Source({
      // DRAGEN's QC metrics arrive beside VCFs, not in an HL7 drop; and no filePattern.
      sample_qc: table(
        "sample_qc",
        "landingFormat: dragen-metrics-csv\nlayers: [landing, bronze, silver]\n",
      ),
      lab_orders: table("lab_orders"),
    });
    expect(errors).toEqual([
      "sources/hl7lab/tables/sample_qc.yaml:8:16 landingFormat the dragen-metrics-csv reader needs filePattern: where its files (*.mapping_metrics.csv, *.vc_metrics.csv, *.wgs_coverage_metrics.csv, *.qc-coverage-region-*_coverage_metrics.csv, *.ploidy_estimation_metrics.csv) are in the source's drop",
      "sources/hl7lab/tables/sample_qc.yaml:8:16 landingFormat the ingest code's dragen-metrics-csv reader (DRAGEN QC metrics CSVs) reads files that arrive beside vcf files, in a file drop of format vcf; this source's connection is a file drop of hl7 files",
    ]);
    expect(rawReaderProblem("pharmcat-json", { kind: "file-drop", format: "vcf" })).toBeUndefined();
    expect(rawReaderProblem("pharmcat-json", { kind: "database" })).toBe(
      "the ingest code's pharmcat-json reader (PharmCAT phenotype.json) reads files that arrive beside vcf files, in a file drop of format vcf; this source's connection is a database connection",
    );
    // Formats that are a connection's own need nothing of it here.
    expect(rawReaderProblem("csv", { kind: "database" })).toBeUndefined();
    expect(rawReaderProblem("vcf", { kind: "file-drop", format: "vcf" })).toBeUndefined();
  });

  it("refuses a filePattern on a table of a source that delivers no files", () => {
    const errors = errorsWithOrders(`${HEAD}load: { mode: full }
filePattern: "lab/*.csv"
`);
    expect(errors).toEqual([
      "sources/lab/tables/orders.yaml:16:14 filePattern a database source delivers no files: filePattern is for file-drop and sftp sources",
    ]);
  });

  it("says when a raw format has no parser at all, and refuses a malformed manifest", () => {
    const parsers = parseRawTables('{"$comment": "x", "vcf": {"parser": "v", "tables": {}}}', "m");
    expect(rawTableProblem("hl7", "x", parsers)).toBe(
      "the ingest code has no parser for hl7 files",
    );
    expect(rawTableProblem("csv", "x", parsers)).toBeUndefined();
    expect(() => parseRawTables('{"hl7": {"tables": ["a"]}}', "m.json")).toThrow(
      'm.json: "hl7" needs a parser name and a tables object of strings',
    );
    expect(() =>
      parseRawTables('{"x": {"parser": "p", "tables": {}, "deliveredBy": ["vcf"]}}', "m.json"),
    ).toThrow('m.json: "x": deliveredBy must be a format, files a list of names');
  });
});

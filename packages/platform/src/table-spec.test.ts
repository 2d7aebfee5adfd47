import { join } from "node:path";
import { loadEstateOrThrow, type Estate } from "@hdp/config";
import { renderTableSpecs, tableSpecPath, TABLE_SPEC_VERSION } from "./table-spec";

const SAMPLE = join(__dirname, "..", "..", "..", "configs");
let sample: Estate;
beforeAll(() => {
  sample = loadEstateOrThrow(SAMPLE);
});

const specOf = (env: string, key: string) => {
  const found = renderTableSpecs(sample, env).find((s) => s.key === key);
  if (found === undefined) throw new Error(`no spec for ${key} in ${env}`);
  return found;
};

describe("renderTableSpecs on the sample estate", () => {
  it("renders one spec per enabled table past landing, for every environment, sorted", () => {
    expect(sample.environments.map((e) => e.name)).toEqual(["dev", "prod", "stage"]);
    for (const env of sample.environments) {
      const specs = renderTableSpecs(sample, env.name);
      expect(specs.length).toBeGreaterThan(50);
      const keys = specs.map((s) => s.key);
      expect(keys).toEqual([...keys].sort());
      for (const s of specs) {
        expect(s.path).toBe(tableSpecPath(s.spec.source, s.spec.table));
        expect(s.spec.environment).toBe(env.name);
        expect(s.spec.specVersion).toBe(TABLE_SPEC_VERSION);
        expect(JSON.parse(s.content)).toEqual(s.spec);
      }
    }
  });

  it("is deterministic: the same estate gives the same bytes", () => {
    const again = loadEstateOrThrow(SAMPLE);
    expect(renderTableSpecs(again, "prod").map((s) => s.content)).toEqual(
      renderTableSpecs(sample, "prod").map((s) => s.content),
    );
  });

  it("a CDC lab table: keys, ordering column, raw HL7 landing, Unity Catalog names, PHI columns", () => {
    const { spec } = specOf("prod", "sunquest-lab/lab_results");
    expect(spec.load).toEqual({
      mode: "cdc",
      keys: ["accession_number", "order_code", "observation_seq"],
      orderBy: "message_time",
      delete: null,
    });
    expect(spec.landing.format).toBe("hl7");
    expect(spec.landing.path).toMatch(
      /^s3:\/\/shs-prod-clinical-landing-\d{12}\/sunquest-lab\/lab_results\/$/,
    );
    expect(spec.tables).toEqual({
      bronze: "shs_prod.sunquest_lab_bronze.lab_results",
      silver: "shs_prod.sunquest_lab_silver.lab_results",
      gold: "shs_prod.sunquest_lab_gold.lab_results",
      quarantine: "shs_prod.sunquest_lab_silver.lab_results__quarantine",
    });
    expect(spec.gold).toBeNull(); // pass-through
    const numeric = spec.columns.find((c) => c.name === "numeric_value");
    expect(numeric).toEqual({
      name: "numeric_value",
      type: "decimal(18,6)",
      nullable: true,
      classification: "internal",
      description: null,
    });
    expect(spec.columns.find((c) => c.name === "accession_number")?.classification).toBe("phi");
    expect(spec.generatedFrom).toEqual([
      "sources/sunquest-lab/source.yaml",
      "sources/sunquest-lab/tables/lab_results.yaml",
    ]);
  });

  it("an incremental table with keys and a gold aggregate", () => {
    const { spec } = specOf("dev", "pyxis-medstation/dispense_transactions");
    expect(spec.load).toEqual({
      mode: "incremental",
      keys: ["transaction_id"],
      orderBy: "transaction_time",
      delete: null,
    });
    expect(spec.gold).toEqual({
      groupBy: ["station_id", "medication_id", "transaction_type"],
      measures: [
        { name: "transactions", function: "count", column: null },
        { name: "total_quantity", function: "sum", column: "quantity" },
        { name: "patients", function: "count_distinct", column: "mrn" },
      ],
    });
    expect(spec.tables.gold).toBe("shs_dev.pyxis_medstation_gold.dispense_transactions");
  });

  it("landing formats follow the source: database parquet, VCF and FASTQ raw, SFTP csv", () => {
    const formats = new Map(
      renderTableSpecs(sample, "prod").map((s) => [s.spec.source, s.spec.landing.format]),
    );
    expect(formats.get("epic-clarity")).toBe("parquet");
    expect(formats.get("press-ganey")).toBe("csv");
    expect(formats.get("waystar-claims")).toBe("ndjson"); // declared by its tables
  });

  it("a raw drop's tables read its main files, or the other files they name", () => {
    const formats = new Map(
      renderTableSpecs(sample, "prod").map((s) => [s.key, s.spec.landing.format]),
    );
    expect(
      [
        "variant-calls/variants",
        "variant-calls/sample_qc",
        "variant-calls/pgx_diplotypes",
        "sequencer-runs/fastq_files",
        "sequencer-runs/sequencing_runs",
        "sequencer-runs/run_qc_metrics",
      ].map((k) => formats.get(k)),
    ).toEqual([
      "vcf",
      "dragen-metrics-csv",
      "pharmcat-json",
      "fastq",
      "illumina-run-xml",
      "bclconvert-quality-csv",
    ]);
  });

  it("full tables carry no keys unless configured; disabled tables have no spec", () => {
    const full = renderTableSpecs(sample, "prod").filter((s) => s.spec.load.mode === "full");
    expect(full.length).toBeGreaterThan(0);
    for (const s of full) expect(s.spec.load.orderBy).toBeNull();
    const devKeys = new Set(renderTableSpecs(sample, "dev").map((s) => s.key));
    const prodKeys = renderTableSpecs(sample, "prod").map((s) => s.key);
    const missingInDev = prodKeys.filter((k) => !devKeys.has(k));
    expect(missingInDev.length).toBeGreaterThan(0); // dev disables some PHI sources
  });
});

/**
 * `hdp local run` end to end on the two genomics drops of the sample estate: real local Spark +
 * Delta (one JVM per run). Besides their FASTQ and VCF, the tables reading the drops' other
 * files: run folders (RunInfo.xml, RunParameters.xml, completion markers) and BCL Convert's
 * Quality_Metrics.csv of `sequencer-runs`; DRAGEN's QC metrics CSVs and PharmCAT's
 * phenotype.json of `variant-calls`. Some rows are bad on purpose (`--bad-rows`): each is
 * quarantined with its reason, never lost.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalRunSummary } from "@hdp/local";
import { readDeltaTable, type DeltaRow } from "./support/delta-table";
import { localRun } from "./support/local-run";

const ROOT = join(__dirname, "..");
const ROWS = 8;

let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "hdp-local-genomics-"));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function run(source: string): Promise<LocalRunSummary> {
  const r = await localRun(ROOT, [
    ...["--source", source, "--days", "1", "--rows", String(ROWS)],
    ...["--seed", "7", "--bad-rows", "0.25", "--out", join(out, source)],
  ]);
  expect([r.code, r.summary.ok]).toEqual([0, true]);
  return r.summary;
}

/**
 * A table's silver rows, after checking that every simulated row reached bronze (one row per
 * run folder, lane, sample or gene report, or one error row for a file that is not its format)
 * and came out of silver or its quarantine.
 */
async function silverOf(s: LocalRunSummary, table: string, format: string): Promise<DeltaRow[]> {
  const t = s.tables.find((x) => x.table === table)!;
  expect([table, t.format]).toEqual([table, format]);
  const simulated = s.simulated.tables.find((x) => x.table === table)!;
  expect([table, t.layers.bronze!.rows]).toEqual([table, simulated.rows]);
  const silver = await readDeltaTable(t.layers.silver!.location!);
  expect(silver.length).toBe(t.layers.silver!.rows);
  expect(silver.length).toBeGreaterThan(0);
  expect(silver.length + t.layers.quarantine!.rows!).toBe(simulated.rows);
  const status = s.tasks.filter((x) => x.table === table).map((x) => `${x.layer} ${x.status}`);
  expect(status).toEqual(["bronze ok", "silver ok"]);
  return silver;
}

const RUN_ID = /^\d{8}_LH\d{5}_\d{4}_A\w+$/;
// A row simulated without the run or sample that names its folder or file is written under a
// placeholder name (a file needs one), which the readers then read as that row's id.
const RUN_FOLDER = /^(\d{8}_LH\d{5}_\d{4}_A\w+|unknown-run)$/;
const SAMPLE = /^(S\d{8}|UNKNOWN)$/;

test("sequencer-runs: run folders and BCL Convert reports reach silver", async () => {
  const s = await run("sequencer-runs");
  // fastq_files is disabled in dev (its config); the two tables of the run folders run.
  expect(new Set(s.tasks.map((t) => t.table))).toEqual(
    new Set(["sequencing_runs", "run_qc_metrics"]),
  );
  const runs = await silverOf(s, "sequencing_runs", "illumina-run-xml");
  for (const row of runs) {
    expect(row.run_id).toMatch(RUN_ID);
    expect(row.instrument_id).toMatch(/^LH\d{5}$/);
    expect(row.read_structure).toMatch(/^\d+(-\d+){3}$/);
    expect(row.run_started_at).toBeInstanceOf(Date);
    // Its markers, empty files Spark's scans skip, are read too: base calling has ended
    // (RTAComplete.txt), and once the run completed, its copy (CopyComplete.txt).
    expect(["copied", "sequenced"]).toContain(row.run_status);
    expect(row.run_completed_at).toBeInstanceOf(Date);
    expect(String(row._source_file)).toMatch(
      new RegExp(`/dt=2025-01-06/${String(row.run_id)}/RunInfo\\.xml$`),
    );
    expect(String(row.run_folder_path)).toMatch(new RegExp(`/${String(row.run_id)}$`));
  }
  expect(runs.filter((r) => r.run_status === "copied").length).toBeGreaterThan(0);
  const lanes = await silverOf(s, "run_qc_metrics", "bclconvert-quality-csv");
  for (const row of lanes) {
    expect(row.run_id).toMatch(RUN_FOLDER);
    expect(Number(row.lane)).toBeGreaterThanOrEqual(1);
    expect(Number(row.percent_q30)).toBeGreaterThanOrEqual(85);
    expect(Number(row.percent_q30)).toBeLessThanOrEqual(96);
    expect(row.computed_at).toBeInstanceOf(Date);
    expect(row.cluster_density_k_mm2).toBeNull(); // InterOp's, not in the reports
  }
  const reasons = s.tables.flatMap((t) => Object.keys(t.quarantineReasons));
  expect(reasons.length).toBeGreaterThan(0);
}, 900_000);

test("variant-calls: DRAGEN QC metrics and PharmCAT calls reach silver beside the VCF's variants", async () => {
  const s = await run("variant-calls");
  expect(new Set(s.tasks.map((t) => t.table))).toEqual(
    new Set(["variants", "sample_qc", "pgx_diplotypes"]),
  );
  const variants = await readDeltaTable(
    s.tables.find((t) => t.table === "variants")!.layers.silver!.location!,
  );
  const qc = await silverOf(s, "sample_qc", "dragen-metrics-csv");
  for (const row of qc) {
    expect(row.sample_id).toMatch(SAMPLE);
    expect(row.run_id).toMatch(RUN_FOLDER);
    expect(Number(row.mapping_rate)).toBeGreaterThanOrEqual(97);
    expect(["XX", "XY", "X0", null]).toContain(row.predicted_sex);
    expect(row.reported_sex).toBeNull(); // the LIMS', not DRAGEN's
  }
  const pgx = await silverOf(s, "pgx_diplotypes", "pharmcat-json");
  for (const row of pgx) {
    expect(row.sample_id).toMatch(SAMPLE);
    expect(["CYP2C19", "CYP2C9", "CYP2D6", "SLCO1B1", "DPYD", "TPMT"]).toContain(row.gene);
    expect(row.caller).toBe("PharmCAT 2.13.0");
  }
  // The QC and PGx rows name samples of the VCFs' id space.
  expect(variants.every((v) => /^S\d{8}$/.test(String(v.sample_id)))).toBe(true);
  const reasons = s.tables.flatMap((t) => Object.keys(t.quarantineReasons));
  expect(reasons.length).toBeGreaterThan(0);
}, 900_000);

/**
 * The genomics drops' other files (run folders, BCL Convert reports, DRAGEN metrics, PharmCAT
 * calls) written from rows of the sample estate's tables, in the shapes and places the
 * pipelines' readers take (pipelines/src/hdp_pipelines/raw_illumina.py, raw_dragen.py).
 */
import { join } from "node:path";
import { loadEstateOrThrow, type Table } from "@hdp/config";
import { scanText } from "../safe-harbor";
import { genomicsWriter, type GenomicsFormat } from "./raw-genomics";
import type { Target } from "./sinks";
import type { Value } from "./values";

const estate = loadEstateOrThrow(join(__dirname, "..", "..", "..", "..", "configs"));
const table = (key: string): Table => estate.tables.find((t) => t.key === key)!;
const DIR = "src/t/dt=2025-01-06";

/** Writes `rows` (column name -> value) through the format's writer; the files by path. */
async function write(
  format: GenomicsFormat,
  key: string,
  rows: Record<string, Value>[],
): Promise<Map<string, string>> {
  const t = table(key);
  const files = new Map<string, string>();
  const target: Target = {
    open: (path) => {
      let body = "";
      return Promise.resolve({
        write: (chunk) => {
          body += String(chunk);
        },
        close: () => {
          files.set(path, body);
          return Promise.resolve();
        },
      });
    },
    describe: (p) => p,
    isEmpty: () => Promise.resolve(true),
    finish: () => Promise.resolve(),
    abort: () => Promise.resolve(),
  };
  const w = genomicsWriter(format, DIR, target, t);
  for (const row of rows) await w.write(t.columns.map((c) => row[c.name] ?? null));
  await w.close();
  expect([...files.keys()].sort()).toEqual([...(w.written?.() ?? [])].sort());
  expect([...files.values()].flatMap((text) => scanText(text))).toEqual([]);
  return files;
}

const RUN = "20250101_LH00412_0087_ASIM00087LT3";

test("a run: its folder's RunInfo.xml, RunParameters.xml and completion markers", async () => {
  const files = await write("illumina-run-xml", "sequencer-runs/sequencing_runs", [
    {
      run_id: RUN,
      instrument_id: "LH00412",
      flowcell_id: "22SIM0087LT3",
      flowcell_type: "10B",
      run_started_at: "2025-01-06T14:02:37Z",
      run_completed_at: "2025-01-07T02:10:00Z",
      read_structure: "151-10-10-151",
      run_status: "complete",
      software_version: "1.2.0.28691",
    },
    { run_id: "R&D run", read_structure: "n/a", run_status: "running" },
  ]);
  expect([...files.keys()].sort()).toEqual([
    `${DIR}/${RUN}/CopyComplete.txt`,
    `${DIR}/${RUN}/RTAComplete.txt`,
    `${DIR}/${RUN}/RunInfo.xml`,
    `${DIR}/${RUN}/RunParameters.xml`,
    // Still running, not copied: no marker. Its id made a folder name, escaped in the XML.
    `${DIR}/R-D-run/RunInfo.xml`,
    `${DIR}/R-D-run/RunParameters.xml`,
  ]);
  const info = files.get(`${DIR}/${RUN}/RunInfo.xml`)!;
  expect(info).toContain(`<Run Id="${RUN}" Number="1">`);
  expect(info).toContain("<Date>2025-01-06T14:02:37Z</Date>");
  expect(
    [...info.matchAll(/NumCycles="(\d+)" IsIndexedRead="([YN])"/g)].map((m) => m.slice(1)),
  ).toEqual([
    ["151", "N"],
    ["10", "Y"],
    ["10", "Y"],
    ["151", "N"],
  ]);
  expect(files.get(`${DIR}/${RUN}/RunParameters.xml`)).toMatch(
    /<Type>FlowCell<\/Type>\s*<Mode>10B<\/Mode>/,
  );
  expect(files.get(`${DIR}/R-D-run/RunInfo.xml`)).toContain('<Run Id="R&amp;D run"');
});

test("lane metrics: a run's Quality_Metrics.csv, each lane's reads summing to its yield and Q30", async () => {
  const files = await write("bclconvert-quality-csv", "sequencer-runs/run_qc_metrics", [
    { run_id: RUN, lane: 1, yield_gb: "995.34", percent_q30: "90.80" },
    { run_id: RUN, lane: 2, yield_gb: "n/a", percent_q30: "91.00" },
    // The same lane again the same day: BCL Convert's second analysis of the run.
    { run_id: RUN, lane: 1, yield_gb: "10.00", percent_q30: "85.00" },
  ]);
  const first = `${DIR}/${RUN}/Analysis/1/Data/BCLConvert/Reports/Quality_Metrics.csv`;
  const second = `${DIR}/${RUN}/Analysis/2/Data/BCLConvert/Reports/Quality_Metrics.csv`;
  expect([...files.keys()].sort()).toEqual([first, second]);
  const lines = files.get(first)!.trim().split("\n");
  expect(lines[0]).toBe(
    "Lane,SampleID,index,index2,ReadNumber,Yield,YieldQ30,QualityScoreSum,Mean Quality Score (PF),% Q30",
  );
  const lane1 = lines
    .slice(1)
    .map((l) => l.split(","))
    .filter((f) => f[0] === "1");
  expect(lane1.map((f) => f[4])).toEqual(["1", "2"]);
  const sum = (i: number): bigint => lane1.reduce((s, f) => s + BigInt(f[i]), 0n);
  expect(sum(5)).toBe(995_340_000_000n);
  expect(sum(6)).toBe((995_340_000_000n * 9080n) / 10_000n);
  // An unreadable yield is written as it is, for the reader to keep and silver to quarantine.
  expect(lines.filter((l) => l.startsWith("2,"))[0].split(",")[5]).toBe("n/a");
});

test("sample QC: DRAGEN's metrics CSVs per sample, a null metric left out", async () => {
  const files = await write("dragen-metrics-csv", "variant-calls/sample_qc", [
    {
      sample_id: "S00000008",
      run_id: RUN,
      mean_coverage: "38.21",
      pct_target_bases_20x: "93.47",
      contamination_estimate: null,
      predicted_sex: "XX",
      mapping_rate: "99.12",
    },
  ]);
  const base = `${DIR}/${RUN}/S00000008`;
  expect([...files.keys()].sort()).toEqual([
    `${base}.mapping_metrics.csv`,
    `${base}.ploidy_estimation_metrics.csv`,
    `${base}.wgs_coverage_metrics.csv`,
  ]);
  expect(files.get(`${base}.mapping_metrics.csv`)).toBe(
    "MAPPING/ALIGNING SUMMARY,,Total input reads,812345678\n" +
      "MAPPING/ALIGNING SUMMARY,,Mapped reads,805197036,99.12\n",
  );
  expect(files.get(`${base}.wgs_coverage_metrics.csv`)).toBe(
    "COVERAGE SUMMARY,,Average alignment coverage over genome,38.21\n" +
      "COVERAGE SUMMARY,,PCT of genome with coverage [  20x: inf),93.47\n",
  );
  expect(files.get(`${base}.ploidy_estimation_metrics.csv`)).toBe(
    "PLOIDY ESTIMATION,,Ploidy estimation,XX\n",
  );
});

test("PGx calls: one PharmCAT phenotype.json per sample, one gene report per row", async () => {
  const files = await write("pharmcat-json", "variant-calls/pgx_diplotypes", [
    {
      sample_id: "S00000023",
      gene: "CYP2C19",
      diplotype: "*1/*17",
      phenotype: "Rapid Metabolizer",
      activity_score: null,
      called_at: "2025-01-06T18:40:11Z",
    },
    { sample_id: "S00000023", gene: "CYP2C9", diplotype: "*1/*3", activity_score: "1.00" },
    { sample_id: "S00000023", gene: "CYP2C9", diplotype: "*1/*1", activity_score: "n/a" },
  ]);
  expect([...files.keys()].sort()).toEqual([
    `${DIR}/S00000023.phenotype.json`,
    `${DIR}/rerun-1/S00000023.phenotype.json`,
  ]);
  const doc = JSON.parse(files.get(`${DIR}/S00000023.phenotype.json`)!) as {
    timestamp: string;
    geneReports: { CPIC: Record<string, { sourceDiplotypes: unknown[] }> };
  };
  expect(doc.timestamp).toBe("2025-01-06T18:40:11Z");
  expect(Object.keys(doc.geneReports.CPIC)).toEqual(["CYP2C19", "CYP2C9"]);
  expect(doc.geneReports.CPIC.CYP2C9.sourceDiplotypes).toEqual([
    { label: "*1/*3", phenotypes: [], activityScore: 1 },
  ]);
  const rerun = JSON.parse(files.get(`${DIR}/rerun-1/S00000023.phenotype.json`)!) as typeof doc;
  expect(rerun.geneReports.CPIC.CYP2C9.sourceDiplotypes).toEqual([
    { label: "*1/*1", phenotypes: [], activityScore: "n/a" },
  ]);
});

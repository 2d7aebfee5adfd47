/**
 * Cross-language: the raw files `hdp simulate data` writes are read by the pipelines' own
 * parsers (pipelines/src/hdp_pipelines/raw.py, pure Python, no Spark), and give back the rows
 * that were generated.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import { generateEstate, localTarget, simulateData, writeEstate } from "@hdp/simulate";

const ROOT = join(__dirname, "..");

test("the pipelines' HL7, VCF and FASTQ parsers read simulated raw files, row for row", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hdp-sim-raw-"));
  try {
    writeEstate(
      // Raw feeds are a small share of sources: 40 sources of seed 5 include all three kinds.
      generateEstate({ hospitals: 4, sources: 40, tablesPerSource: 4, seed: 5 }),
      join(dir, "configs"),
    );
    const r = await simulateData(
      {
        estate: loadEstateOrThrow(join(dir, "configs")),
        env: "dev",
        rows: 15,
        days: 2,
        seed: 3,
        badShare: 0,
      },
      localTarget(join(dir, "out")),
    );
    const raw = r.tables.filter((t) => ["hl7", "vcf", "fastq"].includes(t.format));
    expect(new Set(raw.map((t) => t.table))).toEqual(
      new Set(["lab_orders", "lab_results", "variants", "fastq_files"]),
    );
    const jobs = raw.map((t) => ({
      format: t.format,
      table: t.table,
      files: t.files.map((f) => join(dir, "out", f)),
    }));
    const script = `
import json, sys
from hdp_pipelines.raw import parse_raw
out = []
for job in json.load(sys.stdin):
    rows = []
    for f in job["files"]:
        rows += parse_raw(job["format"], job["table"], open(f, "rb").read(), f, None)
    out.append({"table": job["table"], "rows": rows})
print(json.dumps(out))
`;
    const py = spawnSync("python3", ["-c", script], {
      input: JSON.stringify(jobs),
      encoding: "utf8",
      maxBuffer: 1 << 26,
      env: { ...process.env, PYTHONPATH: join(ROOT, "pipelines", "src") },
    });
    expect(py.stderr).toBe("");
    expect(py.status).toBe(0);
    const parsed = JSON.parse(py.stdout) as {
      table: string;
      rows: Record<string, string | null>[];
    }[];
    parsed.forEach((p, i) => {
      expect(p.rows).toHaveLength(raw[i].rows);
      for (const row of p.rows) {
        if (p.table === "lab_orders") {
          expect(row.mrn).toMatch(/^SIM\d{8}$/);
          expect(row.ordering_provider_npi).toMatch(/^[12]\d{9}$/);
          expect(row.performing_lab).toMatch(/^SIMLAB-/);
        }
        if (p.table === "lab_results") {
          expect(row.loinc_code).toMatch(/^\d+-\d$/);
          expect(row.numeric_value).toMatch(/^\d+\.\d$/);
        }
        if (p.table === "variants") expect(row.chrom).toMatch(/^chr/);
        if (p.table === "fastq_files") expect(Number(row.read_count)).toBeGreaterThan(0);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test("the readers of run folders, BCL Convert, DRAGEN and PharmCAT files read the simulated ones, row for row", async () => {
  const estate = loadEstateOrThrow(join(ROOT, "configs"));
  const dir = mkdtempSync(join(tmpdir(), "hdp-sim-genomics-"));
  try {
    const tables = [];
    for (const source of ["sequencer-runs", "variant-calls"]) {
      const r = await simulateData(
        { estate, env: "dev", source, rows: 12, days: 2, seed: 4, badShare: 0 },
        localTarget(join(dir, source)),
      );
      for (const t of r.tables)
        tables.push({ ...t, files: t.files.map((f) => join(dir, source, f)) });
    }
    const READERS: Record<string, string> = {
      sequencing_runs: "illumina-run-xml",
      run_qc_metrics: "bclconvert-quality-csv",
      sample_qc: "dragen-metrics-csv",
      pgx_diplotypes: "pharmcat-json",
      variants: "vcf",
    };
    expect(tables.map((t) => [t.table, t.format]).sort()).toEqual(
      Object.entries(READERS).sort(), // fastq_files is disabled in dev
    );
    // A folder reader reads each directory's files together, as bronze groups them.
    const script = `
import collections, json, os, sys
from hdp_pipelines.raw import FOLDER_PARSERS, parse_raw, parse_raw_folder
from hdp_pipelines.raw_common import RawFile
out = {}
for job in json.load(sys.stdin):
    fmt, table, rows = job["format"], job["table"], []
    if fmt in FOLDER_PARSERS:
        folders = collections.defaultdict(list)
        for f in job["files"]:
            folders[os.path.dirname(f)].append(RawFile(f, open(f, "rb").read(), "2025-01-07T00:00:00"))
        for files in folders.values():
            rows += parse_raw_folder(fmt, table, files)
    else:
        for f in job["files"]:
            rows += parse_raw(fmt, table, open(f, "rb").read(), f, "2025-01-07T00:00:00")
    out[table] = rows
print(json.dumps(out))
`;
    const py = spawnSync("python3", ["-c", script], {
      input: JSON.stringify(
        tables.map((t) => ({ format: t.format, table: t.table, files: t.files })),
      ),
      encoding: "utf8",
      maxBuffer: 1 << 26,
      env: { ...process.env, PYTHONPATH: join(ROOT, "pipelines", "src") },
    });
    expect(py.stderr).toBe("");
    expect(py.status).toBe(0);
    const parsed = JSON.parse(py.stdout) as Record<string, Record<string, string | null>[]>;
    for (const t of tables) expect([t.table, parsed[t.table].length]).toEqual([t.table, t.rows]);
    const runId = /^\d{8}_LH\d{5}_\d{4}_A\w+$/;
    const sampleId = /^S\d{8}$/;
    const between = (v: string | null, min: number, max: number): void => {
      expect(Number(v)).toBeGreaterThanOrEqual(min);
      expect(Number(v)).toBeLessThanOrEqual(max);
    };
    for (const row of parsed.sequencing_runs) {
      expect(row.run_id).toMatch(runId);
      expect(row.instrument_id).toMatch(/^LH\d{5}$/);
      expect(row.read_structure).toMatch(/^\d+(-\d+){3}$/);
      expect(["1.5B", "10B", "25B"]).toContain(row.flowcell_type);
      expect(row.run_started_at).toMatch(/^2025-01-0[67]T\d{2}:\d{2}:\d{2}Z$/);
    }
    for (const row of parsed.run_qc_metrics) {
      expect(row.run_id).toMatch(runId);
      expect(row.yield_gb).toMatch(/^\d+\.\d{2}$/);
      between(row.percent_q30, 85, 96);
    }
    for (const row of parsed.sample_qc) {
      expect([row.sample_id, row.run_id]).toEqual([
        expect.stringMatching(sampleId),
        expect.stringMatching(runId),
      ]);
      between(row.mapping_rate, 97, 99.9);
      between(row.contamination_estimate, 0, 0.004);
    }
    for (const row of parsed.pgx_diplotypes) {
      expect(row.sample_id).toMatch(sampleId);
      expect(row.diplotype).toMatch(/^\*\d+\/\*\d+$/);
      expect(row.caller).toBe("PharmCAT 2.13.0");
    }
    // One id space: the QC and PGx rows name samples of the VCFs' kind, runs of the run folders'.
    for (const row of parsed.variants) expect(row.sample_id).toMatch(sampleId);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test("the sample estate's CDC table with a delete marker: simulated deletes carry it, of keys seen before", async () => {
  const estate = loadEstateOrThrow(join(ROOT, "configs"));
  const withDeletes = estate.tables.filter((t) => t.load.mode === "cdc" && t.load.deletes);
  expect(withDeletes.map((t) => t.key)).toContain("pyxis-medstation/discrepancies");
  const dir = mkdtempSync(join(tmpdir(), "hdp-sim-deletes-"));
  try {
    const r = await simulateData(
      {
        estate,
        env: "dev",
        source: "pyxis-medstation",
        table: "discrepancies",
        rows: 60,
        days: 3,
        seed: 1,
        badShare: 0,
        format: "ndjson",
      },
      localTarget(dir),
    );
    const stats = r.tables[0];
    expect(stats.ops.D).toBeGreaterThan(0);
    const days = [...stats.files].sort().map((f) =>
      readFileSync(join(dir, f), "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
    const rows = days.flat();
    const deletes = rows.filter((row) => row.cdc_operation === "1");
    expect(deletes).toHaveLength(stats.ops.D);
    // Every other row holds its change type in the feed's own codes (SQL Server CDC, whose delete
    // marker "1" the table declares: 2 insert, 4 update after), never the delete value.
    expect(
      new Set(rows.filter((row) => row.cdc_operation !== "1").map((x) => x.cdc_operation)),
    ).toEqual(new Set(["2", "4"]));
    expect(rows.filter((row) => row.cdc_operation === "2")).toHaveLength(stats.ops.I);
    expect(rows.filter((row) => row.cdc_operation === "4")).toHaveLength(stats.ops.U);
    // A delete removes a key an earlier change (in landing order) created.
    const seen = new Set<unknown>();
    for (const row of rows) {
      if (row.cdc_operation === "1") expect(seen).toContain(row.discrepancy_id);
      seen.add(row.discrepancy_id);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Raw files of the genomics drops' other tables, in the shapes the pipelines' readers take
 * (pipelines/src/hdp_pipelines/raw_illumina.py, raw_dragen.py), each under the day's partition
 * from its run (or output) folder on, as the tables' `filePattern`s land them:
 * - `illumina-run-xml`: one run folder per row, `<run>/RunInfo.xml` (run id, instrument, flow
 *   cell, start date, the reads of `read_structure`), `RunParameters.xml` (control software,
 *   flow cell mode among the consumables) and the markers `RTAComplete.txt` (unless the run is
 *   still running) and `CopyComplete.txt` (once it has completed).
 * - `bclconvert-quality-csv`: per run, `<run>/Analysis/<n>/Data/BCLConvert/Reports/
 *   Quality_Metrics.csv`, each row's lane as two lines (reads 1 and 2) whose yield and Q30
 *   bases sum to its `yield_gb` and `percent_q30`.
 * - `dragen-metrics-csv`: per row (a sample of a run), `<run>/<sample>.mapping_metrics.csv`,
 *   `.wgs_coverage_metrics.csv` and `.ploidy_estimation_metrics.csv` (a metric left out when
 *   its value is null, as DRAGEN leaves out what it did not compute).
 * - `pharmcat-json`: per sample, `<sample>.phenotype.json` with one gene report per row.
 * A key that comes again in the same part (a CDC update of the day) goes to a re-analysis
 * folder (`rerun-<n>/`, for the run folders `Analysis/<n>`): one folder holds a key once.
 * Times the readers take from the files' modification times (completion, computation) are not
 * written: they are when the files land.
 */
import type { Table } from "@hdp/config";
import type { Target } from "./sinks";
import type { Value } from "./values";
import type { RowWriter } from "./writers";

export const GENOMICS_FORMATS = [
  "illumina-run-xml",
  "bclconvert-quality-csv",
  "dragen-metrics-csv",
  "pharmcat-json",
] as const;
export type GenomicsFormat = (typeof GENOMICS_FORMATS)[number];

type Get = (values: readonly Value[], name: string) => Value | undefined;

const text = (v: Value | undefined): string => (v === null || v === undefined ? "" : String(v));
const xml = (v: Value | undefined): string =>
  text(v).replace(
    /[<>&"]/g,
    (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[ch] ?? ch,
  );
/** A path segment from a value: what a file system and Spark take (no dot or underscore first). */
const segment = (v: Value | undefined, missing: string): string =>
  text(v)
    .replace(/[^A-Za-z0-9_.-]/g, "-")
    .replace(/^[._]+/, "") || missing;

function getter(t: Table): Get {
  const at = new Map(t.columns.map((c, i) => [c.name, i]));
  return (values, name) => {
    const i = at.get(name);
    return i === undefined ? undefined : values[i];
  };
}

/** The reads of a read structure (`151-10-10-151`), else a 2x151 dual-index run's. */
function reads(structure: string): number[] {
  const cycles = structure.split("-").map(Number);
  return cycles.length >= 1 && cycles.every((c) => Number.isInteger(c) && c > 0)
    ? cycles
    : [151, 10, 10, 151];
}

function runInfo(get: Get, v: readonly Value[]): string {
  const read = reads(text(get(v, "read_structure")))
    .map(
      (cycles, i, all) =>
        `\t\t\t<Read Number="${i + 1}" NumCycles="${cycles}" IsIndexedRead="${i > 0 && i < all.length - 1 ? "Y" : "N"}" IsReverseComplement="N"/>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<RunInfo Version="6">
\t<Run Id="${xml(get(v, "run_id"))}" Number="1">
\t\t<Flowcell>${xml(get(v, "flowcell_id"))}</Flowcell>
\t\t<Instrument>${xml(get(v, "instrument_id"))}</Instrument>
\t\t<Date>${xml(get(v, "run_started_at"))}</Date>
\t\t<Reads>
${read}
\t\t</Reads>
\t\t<FlowcellLayout LaneCount="8" SurfaceCount="2" SwathCount="2" TileCount="98"/>
\t</Run>
</RunInfo>
`;
}

function runParameters(get: Get, v: readonly Value[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<RunParameters>
\t<Side>A</Side>
\t<Application>NovaSeqXSeries Control Software</Application>
\t<SystemSuiteVersion>${xml(get(v, "software_version"))}</SystemSuiteVersion>
\t<InstrumentType>NovaSeqXPlus</InstrumentType>
\t<InstrumentSerialNumber>${xml(get(v, "instrument_id"))}</InstrumentSerialNumber>
\t<ConsumableInfo>
\t\t<ConsumableInfo>
\t\t\t<SerialNumber>${xml(get(v, "flowcell_id"))}</SerialNumber>
\t\t\t<Type>FlowCell</Type>
\t\t\t<Mode>${xml(get(v, "flowcell_type"))}</Mode>
\t\t</ConsumableInfo>
\t</ConsumableInfo>
</RunParameters>
`;
}

/** Hundredths of a decimal text (`90.8` -> 9080n), or undefined when it is none. */
function hundredths(v: Value | undefined): bigint | undefined {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text(v));
  return m === null ? undefined : BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
}

/** Two Quality_Metrics.csv lines (reads 1 and 2) of one lane; an unreadable yield as it is. */
function qualityLines(get: Get, v: readonly Value[]): string {
  const lane = text(get(v, "lane"));
  const gb = hundredths(get(v, "yield_gb"));
  const pct = hundredths(get(v, "percent_q30"));
  // QualityScoreSum as a mean Q36 would give it; `% Q30` a fraction, as BCL Convert writes it.
  const fraction = pct === undefined ? "" : (Number(pct) / 10_000).toFixed(2);
  const line = (read: number, bases: string, q30: string): string =>
    `${lane},Pool-L${lane},ACGTACGTAC,TTGACCATGA,${read},${bases},${q30},${/^\d+$/.test(bases) ? String(BigInt(bases) * 36n) : "0"},36.00,${fraction}\n`;
  if (gb === undefined) {
    const raw = text(get(v, "yield_gb")).replace(/[,\n]/g, " ");
    return line(1, raw, "0") + line(2, "0", "0");
  }
  const total = gb * 10_000_000n; // hundredths of a Gb in bases
  const first = (total / 20_000_000n) * 10_000_000n;
  const q30 = (bases: bigint): bigint => (pct === undefined ? 0n : (bases * pct) / 10_000n);
  return (
    line(1, String(first), String(q30(first))) +
    line(2, String(total - first), String(q30(total - first)))
  );
}

function dragenFiles(get: Get, v: readonly Value[], prefix: string): Record<string, string> {
  const rows = (section: string, metrics: [string, Value | undefined, string?][]): string =>
    metrics
      .filter(([, value]) => text(value) !== "")
      .map(([name, value, pct]) => `${section},,${name},${text(value)}${pct ? `,${pct}` : ""}\n`)
      .join("");
  const rate = text(get(v, "mapping_rate"));
  const total = 812_345_678;
  const mapped = /^\d+(\.\d+)?$/.test(rate) ? Math.round((total * Number(rate)) / 100) : 0;
  return {
    [`${prefix}.mapping_metrics.csv`]: rows("MAPPING/ALIGNING SUMMARY", [
      ["Total input reads", total],
      ["Mapped reads", rate === "" ? "" : mapped, rate],
      ["Estimated sample contamination", get(v, "contamination_estimate")],
    ]),
    [`${prefix}.wgs_coverage_metrics.csv`]: rows("COVERAGE SUMMARY", [
      ["Average alignment coverage over genome", get(v, "mean_coverage")],
      ["PCT of genome with coverage [  20x: inf)", get(v, "pct_target_bases_20x")],
    ]),
    [`${prefix}.ploidy_estimation_metrics.csv`]: rows("PLOIDY ESTIMATION", [
      ["Ploidy estimation", get(v, "predicted_sex")],
    ]),
  };
}

function geneReport(get: Get, v: readonly Value[]): Record<string, unknown> {
  const score = text(get(v, "activity_score"));
  const phenotype = text(get(v, "phenotype"));
  return {
    geneSymbol: get(v, "gene") ?? null,
    callSource: "MATCHER",
    sourceDiplotypes: [
      {
        label: get(v, "diplotype") ?? null,
        phenotypes: phenotype === "" ? [] : [phenotype],
        // A number as PharmCAT writes it; a value that is none stays text (bad on purpose).
        activityScore: score === "" ? null : /^-?\d+(\.\d+)?$/.test(score) ? Number(score) : score,
      },
    ],
  };
}

/**
 * A writer of one part's genomics files under `dir` (the day's partition): everything is held
 * until `close`, which writes each folder's files (a part holds at most `partRows` rows).
 */
export function genomicsWriter(
  format: GenomicsFormat,
  dir: string,
  target: Target,
  t: Table,
): RowWriter {
  const get = getter(t);
  const files = new Map<string, string>();
  const seen = new Map<string, number>();
  /** The folder of a key's `n`th row in this part: a re-analysis folder from the second on. */
  const occurrence = (key: string): number => {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n;
  };
  const folder = (n: number): string => (n === 0 ? dir : `${dir}/rerun-${n}`);
  const append = (path: string, content: string): void => {
    files.set(path, (files.get(path) ?? "") + content);
  };
  const genes = new Map<
    string,
    { head: Record<string, unknown>; reports: Record<string, unknown> }
  >();
  const written: string[] = [];
  return {
    write(v) {
      const run = segment(get(v, "run_id"), "unknown-run");
      if (format === "illumina-run-xml") {
        const base = `${folder(occurrence(run))}/${run}`;
        files.set(`${base}/RunInfo.xml`, runInfo(get, v));
        files.set(`${base}/RunParameters.xml`, runParameters(get, v));
        if (text(get(v, "run_status")) !== "running") files.set(`${base}/RTAComplete.txt`, "");
        if (text(get(v, "run_completed_at")) !== "") files.set(`${base}/CopyComplete.txt`, "");
      } else if (format === "bclconvert-quality-csv") {
        const n = occurrence(`${run}\u0000${text(get(v, "lane"))}`);
        const path = `${dir}/${run}/Analysis/${n + 1}/Data/BCLConvert/Reports/Quality_Metrics.csv`;
        if (!files.has(path))
          files.set(
            path,
            "Lane,SampleID,index,index2,ReadNumber,Yield,YieldQ30,QualityScoreSum,Mean Quality Score (PF),% Q30\n",
          );
        append(path, qualityLines(get, v));
      } else if (format === "dragen-metrics-csv") {
        const sample = segment(get(v, "sample_id"), "UNKNOWN");
        const base = `${folder(occurrence(`${run}\u0000${sample}`))}/${run}`;
        for (const [name, content] of Object.entries(dragenFiles(get, v, sample)))
          files.set(`${base}/${name}`, content);
      } else {
        const sample = segment(get(v, "sample_id"), "UNKNOWN");
        const gene = text(get(v, "gene"));
        const path = `${folder(occurrence(`${sample}\u0000${gene}`))}/${sample}.phenotype.json`;
        let doc = genes.get(path);
        if (doc === undefined) {
          doc = {
            head: {
              title: sample,
              pharmcatVersion: "2.13.0",
              dataVersion: "2024-07-12",
              timestamp: get(v, "called_at") ?? null,
            },
            reports: {},
          };
          genes.set(path, doc);
        }
        doc.reports[gene] = geneReport(get, v);
      }
      return undefined;
    },
    async close() {
      for (const [path, doc] of genes)
        files.set(
          path,
          `${JSON.stringify({ ...doc.head, geneReports: { CPIC: doc.reports } }, null, 2)}\n`,
        );
      for (const [path, content] of files) {
        const sink = await target.open(path);
        if (content !== "") await sink.write(content);
        await sink.close();
        written.push(path);
      }
    },
    written: () => written,
  };
}

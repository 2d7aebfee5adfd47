/**
 * Raw vendor files for tables whose landing format is `hl7`, `vcf` or `fastq`, in the shapes
 * the pipelines' parsers read (pipelines/src/hdp_pipelines/raw.py):
 * - HL7 v2.5.1 ORU^R01, one message per row: PID-3 MRN, PV1-19 encounter, OBR-2 placer, OBR-3
 *   accession, OBR-4 order code, OBR-5 priority, OBR-6/7 ordered/collected, OBR-16 NPI, OBR-21
 *   lab; OBX-1 sequence, OBX-3 LOINC (`^^LN`), OBX-5 value, OBX-6 units, OBX-7 range, OBX-8
 *   flag, OBX-11 status, OBX-14 observed, OBX-19 resulted; for a table with `specimen_id`, an
 *   SPM instead of the OBX (SPM-2 filler id, -4 type, -8 site, -17 collected, -18 received,
 *   -21 reject reason). Segments end in CR.
 *   Microbiology the HL7 v2.5.1 ELR way: for a table with `organism_code` (a culture's isolate)
 *   a coded OBX (CWE) with the isolate as sub-ID (OBX-4) and the organism `code^name^SCT` in
 *   OBX-5 (OBX-11 F when final, else P; OBX-19 resulted), an uncoded OBX of the same sub-ID
 *   for its growth, the source in SPM-4; for a table with `antibiotic_code`, a child
 *   susceptibility OBR linked to the culture (OBR-26 isolate, OBR-29 accession) whose OBX has
 *   the drug in OBX-3, the MIC in OBX-5 (SN, `<=^0.25`), S/I/R in OBX-8, the method in OBX-17.
 *   Fields no column of the table holds are filled as a real feed would (OBX-1 `1` and OBX-11
 *   `F` for a table without a sequence or status column, the micro tables' order code `CUL`);
 *   a column's value, a bad row's null or `n/a` included, is
 *   written as it is (empty when null), so the parser reads the bad row as bad (a null
 *   `isolate_number` is an empty OBX-4 and OBR-26 sub-ID, a null culture accession an empty
 *   OBR-29 filler) and silver quarantines it.
 * - VCF 4.2, single-sample: the sample column is named by the part's first `sample_id`.
 * - FASTQ: one file per manifest row, named the BCL Convert way
 *   (`<sample>_S<n>_L00<lane>_R<read>_001.fastq`) in the day's partition.
 * - The other files of those drops (run folders, BCL Convert reports, DRAGEN metrics, PharmCAT
 *   calls): see `raw-genomics.ts`.
 */
import type { Table } from "@hdp/config";
import { GENOMICS_FORMATS, genomicsWriter, type GenomicsFormat } from "./raw-genomics";
import type { Target } from "./sinks";
import type { Value } from "./values";
import type { RowWriter, Sink } from "./writers";

export type RawFormat = "hl7" | "vcf" | "fastq" | GenomicsFormat;
/** Every raw format the simulator writes. */
export const RAW_FORMATS: readonly RawFormat[] = ["hl7", "vcf", "fastq", ...GENOMICS_FORMATS];
const RAW_EXTENSIONS: Readonly<Record<"hl7" | "vcf" | "fastq", string>> = {
  hl7: "hl7",
  vcf: "vcf",
  fastq: "fastq",
};

const text = (v: Value | undefined): string => (v === null || v === undefined ? "" : String(v));
/** ISO 8601 -> HL7 DTM (YYYYMMDDHHMMSS); empty stays empty. */
const hl7Time = (v: Value | undefined): string =>
  text(v).replace(/[-:T]/g, "").replace(/Z$/, "").slice(0, 14);
/** HL7 v2 escape sequences for the delimiters. */
const esc = (v: Value | undefined): string =>
  text(v).replace(
    /[\\|^~&\r\n]/g,
    (ch) => ({ "\\": "\\E\\", "|": "\\F\\", "^": "\\S\\", "~": "\\R\\", "&": "\\T\\" })[ch] ?? " ",
  );

type Get = (values: readonly Value[], ...names: string[]) => Value | undefined;

function getter(t: Table): Get {
  const at = new Map(t.columns.map((c, i) => [c.name, i]));
  return (values, ...names) => {
    for (const n of names) {
      const i = at.get(n);
      if (i !== undefined) return values[i];
    }
    return undefined;
  };
}

/**
 * What one row's ORU^R01 message carries besides its order (OBR): a result, a specimen, a
 * culture's isolate or an isolate's susceptibility.
 */
type Hl7Row = "order" | "result" | "specimen" | "isolate" | "susceptibility";

/**
 * The message kind of `t`'s rows, by the columns that identify it: specimens (SPM) by their
 * `specimen_id`, isolates by `organism_code`, susceptibilities by `antibiotic_code`; else
 * results (OBX).
 */
function hl7RowKind(t: Table): Hl7Row {
  if (t.id === "lab_orders") return "order";
  const has = (name: string): boolean => t.columns.some((c) => c.name === name);
  if (has("specimen_id")) return "specimen";
  if (has("organism_code")) return "isolate";
  if (has("antibiotic_code")) return "susceptibility";
  return "result";
}

/** HL7 field lists, 1-based like the standard (`f[3]` is SEG-3), joined without trailing bars. */
function segment(name: string, fields: Readonly<Record<number, string>>): string {
  const out = [name];
  for (const [n, value] of Object.entries(fields)) {
    while (out.length < Number(n)) out.push("");
    out[Number(n)] = value;
  }
  return out.join("|");
}

/** A culture's isolate: its organism OBX, its growth OBX and the specimen it grew from. */
function isolateSegments(get: Get, v: readonly Value[]): string[] {
  const isolate = esc(get(v, "isolate_number"));
  const final = get(v, "is_final");
  const growth = esc(get(v, "growth_quantity"));
  const source = esc(get(v, "culture_source"));
  return [
    segment("OBX", {
      1: "1",
      2: "CWE",
      3: "11475-1^Microorganism identified^LN",
      4: isolate,
      5: `${esc(get(v, "organism_code"))}^${esc(get(v, "organism_name"))}^SCT`,
      11: final === true ? "F" : final === false ? "P" : "",
      19: hl7Time(get(v, "resulted_at")),
    }),
    ...(growth === ""
      ? []
      : [
          segment("OBX", {
            1: "2",
            2: "ST",
            3: "GROWTH^Growth quantity^L",
            4: isolate,
            5: growth,
            11: "F",
          }),
        ]),
    ...(source === "" ? [] : [segment("SPM", { 1: "1", 4: source })]),
  ];
}

/** An isolate's susceptibility: a child OBR linked to its culture, one antimicrobial's OBX. */
function susceptibilitySegments(get: Get, v: readonly Value[]): string[] {
  const accession = esc(get(v, "accession_number"));
  const isolate = esc(get(v, "isolate_number"));
  const mic = esc(get(v, "mic_value"));
  const comparator = /^(<=|>=|<|>)/.exec(mic)?.[0] ?? "";
  return [
    segment("OBR", {
      1: "2",
      3: `${accession}-S${isolate}`,
      4: "29576-6^Bacterial susceptibility panel^LN",
      26: `11475-1&Microorganism identified&LN^${isolate}`,
      29: `^${accession}`,
    }),
    segment("OBX", {
      1: "1",
      2: "SN",
      3: `${esc(get(v, "antibiotic_code"))}^^L`,
      4: isolate,
      5: `${comparator}^${mic.slice(comparator.length)}`,
      8: esc(get(v, "interpretation")),
      11: "F",
      17: esc(get(v, "method")),
    }),
  ];
}

/** OBR-4: the row's order code, else a culture's (micro tables name no order code). */
function orderCode(get: Get, v: readonly Value[], kind: Hl7Row): string {
  const code = esc(get(v, "order_code"));
  if (code === "" && (kind === "isolate" || kind === "susceptibility")) return "CUL^Culture^L";
  return `${code}^^L`;
}

function hl7Message(get: Get, v: readonly Value[], n: number, kind: Hl7Row): string {
  const withResult = kind === "result";
  const msgTime = hl7Time(get(v, "message_time", "resulted_at", "observed_at", "updated_at"));
  const control = esc(get(v, "message_control_id")) || `SIM${n}`;
  // OBX-1 is "1" only for a table without a sequence column: a null sequence (a bad row's key)
  // stays empty, so the reader gets the row as bad and silver quarantines it.
  const seqValue = get(v, "observation_seq", "set_id");
  const seq = seqValue === undefined ? "1" : esc(seqValue);
  const statusValue = get(v, "result_status");
  const status = statusValue === undefined ? "F" : esc(statusValue);
  const segments = [
    `MSH|^~\\&|SIMLAB|SIMHOSP|HDP|HDP|${msgTime}||ORU^R01^ORU_R01|${control}|P|2.5.1`,
    `PID|1||${esc(get(v, "mrn"))}^^^SIM^MR`,
    `PV1|1|I|||||||||||||||||${esc(get(v, "encounter_csn"))}`,
    `OBR|1|${esc(get(v, "placer_order_number"))}|${esc(get(v, "accession_number", "order_id"))}|${orderCode(get, v, kind)}|${esc(get(v, "order_priority"))}|${hl7Time(get(v, "ordered_at"))}|${hl7Time(get(v, "collected_at"))}|||||||||${esc(get(v, "ordering_provider_npi"))}||||${esc(get(v, "accession_number"))}|${esc(get(v, "performing_lab"))}`,
  ];
  if (withResult) {
    const loinc = esc(get(v, "loinc_code"));
    const local = esc(get(v, "local_test_code"));
    const value = esc(get(v, "result_value", "numeric_value", "observation_value"));
    segments.push(
      `OBX|${seq}|${/^-?\d+(\.\d+)?$/.test(value) ? "NM" : "ST"}|${loinc !== "" ? `${loinc}^^LN` : `${local}^^L`}||${value}|${esc(get(v, "units"))}|${esc(get(v, "reference_range"))}|${esc(get(v, "abnormal_flag"))}|||${status}|||${hl7Time(get(v, "observed_at"))}|||||${hl7Time(get(v, "resulted_at"))}`,
    );
  }
  if (kind === "isolate") segments.push(...isolateSegments(get, v));
  if (kind === "susceptibility") segments.push(...susceptibilitySegments(get, v));
  if (kind === "specimen") {
    // SPM-2 filler id, SPM-4 type, SPM-8 source site, SPM-17 collection (range start),
    // SPM-18 received, SPM-21 reject reason (code^text).
    const spm = new Array<string>(22).fill("");
    spm[0] = "SPM";
    spm[1] = "1";
    spm[2] = `^${esc(get(v, "specimen_id"))}`;
    spm[4] = esc(get(v, "specimen_type"));
    spm[8] = esc(get(v, "specimen_source_site"));
    spm[17] = hl7Time(get(v, "collected_at"));
    spm[18] = hl7Time(get(v, "received_at"));
    const reject = esc(get(v, "rejection_reason"));
    spm[21] = reject === "" ? "" : `^${reject}`;
    segments.push(spm.join("|"));
  }
  return `${segments.join("\r")}\r`;
}

/**
 * A writer of raw files under `dir` (the day's partition). HL7 and VCF write one part file;
 * FASTQ one file per row; the genomics drops' other files their folders (`raw-genomics.ts`).
 */
export function rawWriter(
  format: RawFormat,
  dir: string,
  part: number,
  target: Target,
  t: Table,
): RowWriter {
  if (format !== "hl7" && format !== "vcf" && format !== "fastq")
    // A day's second part (past `partRows` rows) in a folder of its own: no path written twice.
    return genomicsWriter(
      format,
      part === 0 ? dir : `${dir}/part-${String(part).padStart(5, "0")}`,
      target,
      t,
    );
  const get = getter(t);
  const partPath = `${dir}/part-${String(part).padStart(5, "0")}.${RAW_EXTENSIONS[format]}`;
  const written: string[] = [];
  let sink: Sink | undefined;
  let n = 0;
  const partSink = async (): Promise<Sink> => {
    if (sink === undefined) {
      sink = await target.open(partPath);
      written.push(partPath);
    }
    return sink;
  };
  return {
    async write(v): Promise<void> {
      n++;
      if (format === "hl7") {
        await (await partSink()).write(hl7Message(get, v, n, hl7RowKind(t)));
      } else if (format === "vcf") {
        const s = await partSink();
        if (n === 1) {
          const sample = text(get(v, "sample_id")) || "SIM-SAMPLE";
          await s.write(
            "##fileformat=VCFv4.2\n##source=hdp-simulate\n##reference=GRCh38\n" +
              `##fileDate=${text(get(v, "called_at", "updated_at"))
                .slice(0, 10)
                .replace(/-/g, "")}\n` +
              '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n' +
              '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">\n' +
              `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${sample}\n`,
          );
        }
        const depth = text(get(v, "depth")) || "30";
        await s.write(
          `${text(get(v, "chrom"))}\t${text(get(v, "pos"))}\t.\t${text(get(v, "ref"))}\t${text(get(v, "alt"))}\t${text(get(v, "qual")) || "."}\t${text(get(v, "filter")) || "PASS"}\tDP=${depth}\tGT:DP\t${text(get(v, "genotype")) || "0/1"}:${depth}\n`,
        );
      } else {
        const sample = text(get(v, "sample_id")).replace(/[^A-Za-z0-9-]/g, "-") || "SIM";
        const given = Number(get(v, "lane"));
        const lane = Number.isInteger(given) && given >= 1 && given <= 8 ? given : 1;
        const read = Number(get(v, "read_number") ?? 1) === 2 ? 2 : 1;
        // S<n> (the sample sheet number) keeps names unique within the day's partition.
        const path = `${dir}/${sample}_S${part * 100_000 + n}_L${String(lane).padStart(3, "0")}_R${read}_001.fastq`;
        const reads = Math.max(1, Math.min(20, Number(get(v, "read_count") ?? 4) % 20));
        const fq = await target.open(path);
        const seq = "ACGTTGCA".repeat(6);
        let body = "";
        for (let r = 1; r <= reads; r++)
          body += `@SIM:1:SIMFC:${lane}:1101:1000:${r} ${read}:N:0:${sample}\n${seq}\n+\n${"F".repeat(seq.length)}\n`;
        await fq.write(body);
        await fq.close();
        written.push(path);
      }
    },
    async close() {
      if (format === "vcf" && sink === undefined)
        await (
          await partSink()
        ).write(
          "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSIM-SAMPLE\n",
        );
      if (sink !== undefined) await sink.close();
    },
    written: () => written,
  };
}

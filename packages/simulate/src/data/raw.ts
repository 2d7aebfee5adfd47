/**
 * Raw vendor files for sources that deliver them (connection `format: hl7 | vcf | fastq`):
 * HL7 v2 ORU^R01 batches (one message per result row), VCF 4.2 (one record per variant row),
 * FASTQ (one record per manifest row; the header carries run, flowcell, lane, read and sample).
 * The pipelines' parse step turns them back into the table's rows.
 */
import type { Column } from "@hdp/config";
import type { RowWriter, Sink } from "./writers";
import type { Value } from "./values";

export type RawFormat = "hl7" | "vcf" | "fastq";
export const RAW_EXTENSIONS: Readonly<Record<RawFormat, string>> = {
  hl7: "hl7",
  vcf: "vcf",
  fastq: "fastq",
};

const text = (v: Value | undefined): string => (v === null || v === undefined ? "" : String(v));
const hl7Time = (v: Value | undefined): string =>
  text(v)
    .replace(/[-:TZ]/g, "")
    .slice(0, 14);
/** HL7 v2 escape sequences for the delimiters (field |, component ^, repetition ~, escape \\, subcomponent &). */
const escapeHl7 = (s: string): string =>
  s.replace(
    /[\\|^~&\r\n]/g,
    (ch) =>
      ({
        "\\": "\\E\\",
        "|": "\\F\\",
        "^": "\\S\\",
        "~": "\\R\\",
        "&": "\\T\\",
        "\r": " ",
        "\n": " ",
      })[ch] ?? " ",
  );

export function rawWriter(format: RawFormat, sink: Sink, columns: readonly Column[]): RowWriter {
  const at = new Map(columns.map((c, i) => [c.name, i]));
  const get = (values: readonly Value[], name: string): Value | undefined => {
    const i = at.get(name) ?? columns.findIndex((c) => c.name.includes(name));
    return i < 0 ? undefined : values[i];
  };
  let n = 0;
  let header = false;
  return {
    async write(values): Promise<void> {
      n++;
      if (format === "hl7") {
        const id = text(get(values, "message_id")) || `MSG${n}`;
        const ts = hl7Time(get(values, "observed_at") ?? get(values, "updated_at"));
        await sink.write(
          [
            `MSH|^~\\&|SIMLAB|SIMHOSP|HDP|HDP|${ts}||ORU^R01^ORU_R01|${escapeHl7(id)}|P|2.5.1`,
            `PID|1||${escapeHl7(text(get(values, "mrn")))}^^^SIM^MR`,
            `OBR|1|${escapeHl7(text(get(values, "order_id")))}|||||${ts}`,
            `OBX|${escapeHl7(text(get(values, "set_id")))}|NM|${escapeHl7(text(get(values, "loinc")))}^^LN||${escapeHl7(text(get(values, "value")))}|${escapeHl7(text(get(values, "units")))}||${escapeHl7(text(get(values, "flag")))}|||F|||${ts}`,
            // Every column of the table, so the parse step recovers the row exactly (Z-segments
            // are HL7's place for site-specific data).
            `ZHD|1|${columns.map((c, i) => `${c.name}^${escapeHl7(text(values[i]))}`).join("~")}`,
          ].join("\r") + "\r\n",
        );
      } else if (format === "vcf") {
        if (!header) {
          header = true;
          await sink.write(
            "##fileformat=VCFv4.2\n##source=hdp-simulate\n##reference=GRCh38\n" +
              '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n' +
              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE\n",
          );
        }
        const sample = text(get(values, "sample_id"));
        await sink.write(
          `${text(get(values, "chrom"))}\t${text(get(values, "pos"))}\t.\t${text(get(values, "ref"))}\t${text(get(values, "alt"))}\t${text(get(values, "qual"))}\t${text(get(values, "filter"))}\tSAMPLE=${sample}\tGT\t${text(get(values, "genotype"))}\n`,
        );
      } else {
        const run = text(get(values, "run_id"));
        const seq = "ACGT".repeat(12).slice(0, 48);
        await sink.write(
          `@SIM:${run}:${text(get(values, "flowcell_id"))}:${text(get(values, "lane"))}:1101:1000:${n} ${text(get(values, "read_number"))}:N:0:${text(get(values, "sample_id"))} file=${text(get(values, "file_name"))} reads=${text(get(values, "read_count"))}\n${seq}\n+\n${"F".repeat(48)}\n`,
        );
      }
    },
    async close() {
      if (format === "vcf" && !header)
        await sink.write(
          "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE\n",
        );
      await sink.close();
    },
  };
}

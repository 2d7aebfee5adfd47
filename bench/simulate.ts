/**
 * `hdp simulate data` throughput: N rows (default 1,000,000) of one wide table (40 columns of
 * every kind the generator knows: names, MRNs, NPIs, codes, dates, timestamps, decimals, ints,
 * doubles, booleans, free text) per format, each run in a fresh process so its peak RSS is its
 * own: in this thread (`threads: 0`), on worker threads (one per core, at most 4), and again at
 * a tenth of the rows (memory stays flat). Rates are wall and per CPU-second (summed over all
 * threads: steadier on a shared machine). `--against DIR` also runs DIR's copy of this bench
 * (a checkout of an earlier commit with its dependencies installed) in the same session and
 * prints each rate as a ratio to it. The format `baseline`: 100,000 rows prebuilt in memory,
 * written N times over by a bare `JSON.stringify` loop, no generation at all.
 *
 *   pnpm bench:simulate [N=1000000] [formats=ndjson,parquet] [--against DIR]
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadEstateOrThrow, type Column, type Estate, type Table } from "@hdp/config";
import { localTarget, simulateData, type DataFormat } from "@hdp/simulate";

const ROOT = join(__dirname, "..");
const SOURCE = "epic-clarity";
const TABLE = "wide_encounters";

const col = (name: string, type: string, nullable = true): Column =>
  ({ name, type, nullable, classification: "phi" }) as Column;

/** 40 columns: the kinds of a real wide extract (Clarity's PAT_ENC has hundreds). */
export const WIDE_COLUMNS: readonly Column[] = [
  col("pat_enc_csn_id", "bigint", false),
  col("pat_id", "string", false),
  col("mrn", "string"),
  col("first_name", "string"),
  col("last_name", "string"),
  col("birth_date", "date"),
  col("sex", "string"),
  col("zip3", "string"),
  col("phone", "string"),
  col("email", "string"),
  col("add_line_1", "string"),
  col("city", "string"),
  col("state", "string"),
  col("provider_id", "string"),
  col("npi", "string"),
  col("department_id", "bigint"),
  col("hospital_id", "string"),
  col("encounter_type", "string"),
  col("admit_time", "timestamp"),
  col("discharge_time", "timestamp"),
  col("icd10_code", "string"),
  col("cpt_code", "string"),
  col("loinc_code", "string"),
  col("ndc_code", "string"),
  col("total_charges", "decimal(12,2)"),
  col("expected_reimbursement", "decimal(18,4)"),
  col("length_of_stay", "int"),
  col("visit_count", "smallint"),
  col("acuity", "tinyint"),
  col("is_readmission", "boolean"),
  col("weight_kg", "double"),
  col("bmi", "float"),
  col("enc_closed_yn", "string"),
  col("disch_disp_c", "string"),
  col("chief_complaint", "string"),
  col("payer_name", "string"),
  col("member_id", "string"),
  col("contact_date", "date"),
  col("update_date", "timestamp", false),
  col("notes", "string"),
];

function wideEstate(): Estate {
  const estate = loadEstateOrThrow(join(ROOT, "configs"));
  const base = estate.tables.find((t) => t.source === SOURCE && t.id === "encounters");
  if (base === undefined) throw new Error(`configs/ has no ${SOURCE}/encounters`);
  const wide: Table = {
    ...base,
    id: TABLE,
    key: `${SOURCE}/${TABLE}`,
    columns: WIDE_COLUMNS,
    load: { mode: "incremental", watermark: "update_date" } as Table["load"],
  };
  return { ...estate, tables: [...estate.tables, wide] };
}

interface Report {
  readonly label: string;
  readonly rows: number;
  readonly seconds: number;
  /** CPU seconds of the run (user + system): steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  readonly bytes: number;
  readonly peakRss: number;
}

async function child(label: string, rows: number, threads: number | undefined): Promise<Report> {
  const out = mkdtempSync(join(tmpdir(), "hdp-bench-sim-"));
  try {
    const estate = wideEstate();
    if (label === "baseline") return await baseline(estate, rows, out);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const r = await simulateData(
      {
        estate,
        env: "dev",
        source: SOURCE,
        table: TABLE,
        rows,
        days: 1,
        seed: 1,
        format: label as DataFormat,
        threads,
      },
      localTarget(out),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpuSince(cpu);
    const bytes = r.tables[0].files.reduce((a, f) => a + statSync(join(out, f)).size, 0);
    return {
      label,
      rows: r.rows,
      seconds,
      cpuSeconds,
      bytes,
      peakRss: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The same rows (a 100,000-row sample, from a parquet-free ndjson run read back) as objects, serialised with JSON.stringify. */
async function baseline(estate: Estate, rows: number, out: string): Promise<Report> {
  const sample = Math.min(rows, 100_000);
  const r = await simulateData(
    {
      estate,
      env: "dev",
      source: SOURCE,
      table: TABLE,
      rows: sample,
      days: 1,
      seed: 1,
      format: "ndjson",
    },
    localTarget(out),
  );
  const { readFileSync } = await import("node:fs");
  const objects = r.tables[0].files.flatMap((f) =>
    readFileSync(join(out, f), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as unknown),
  );
  const path = join(out, "baseline.json");
  const stream = createWriteStream(path);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let buffer = "";
  for (let i = 0; i < rows; i++) {
    buffer += `${JSON.stringify(objects[i % objects.length])}\n`;
    if (buffer.length > 1 << 18) {
      if (!stream.write(buffer)) await new Promise<void>((res) => stream.once("drain", res));
      buffer = "";
    }
  }
  await new Promise<void>((res) => stream.end(buffer, res));
  const seconds = (performance.now() - started) / 1000;
  return {
    label: "baseline",
    rows,
    seconds,
    cpuSeconds: cpuSince(cpu),
    bytes: statSync(path).size,
    peakRss: process.resourceUsage().maxRSS * 1024,
  };
}

const cpuSince = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
};

function spawnChild(label: string, rows: number, threads?: number): Report {
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--conditions=@hdp/source",
      __filename,
      "child",
      label,
      String(rows),
      String(threads ?? ""),
    ],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 24 },
  );
  const line = r.stdout.split("\n").find((l) => l.startsWith("REPORT "));
  if (r.status !== 0 || line === undefined) throw new Error(`${label} failed:\n${r.stderr}`);
  return JSON.parse(line.slice("REPORT ".length)) as Report;
}

/** A run of an older checkout's bench child (the path before blocks and threads). */
function spawnOld(dir: string, label: string, rows: number): Report {
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--conditions=@hdp/source",
      join(dir, "bench/simulate.ts"),
      "child",
      label,
      String(rows),
    ],
    { cwd: dir, encoding: "utf8", maxBuffer: 1 << 24 },
  );
  const line = r.stdout.split("\n").find((l) => l.startsWith("REPORT "));
  if (r.status !== 0 || line === undefined) throw new Error(`old ${label} failed:\n${r.stderr}`);
  return JSON.parse(line.slice("REPORT ".length)) as Report;
}

const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

async function main(): Promise<void> {
  if (process.argv[2] === "child") {
    const threads = process.argv[5] === "" ? undefined : Number(process.argv[5]);
    const report = await child(process.argv[3], Number(process.argv[4]), threads);
    console.log(`REPORT ${JSON.stringify(report)}`);
    return;
  }
  const positional = process.argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith("--") && !all[i - 1]?.startsWith("--"));
  const rows = Number(positional[0] ?? 1_000_000);
  const formats = (positional[1] ?? "ndjson,parquet").split(",");
  const against = flag("--against");
  const threads = Math.min(4, availableParallelism());
  console.log(
    `${fmt(rows)} rows × ${WIDE_COLUMNS.length} columns, one day; ${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  const line = (label: string, r: Report, ref?: Report): void => {
    const rate = r.rows / r.seconds;
    const cpuRate = r.rows / r.cpuSeconds;
    const vs =
      ref === undefined
        ? ""
        : `  ×${(rate / (ref.rows / ref.seconds)).toFixed(2)} wall, ×${(cpuRate / (ref.rows / ref.cpuSeconds)).toFixed(2)} CPU`;
    console.log(
      `  ${label.padEnd(26)} ${r.seconds.toFixed(1).padStart(6)} s ${fmt(rate).padStart(8)} rows/s ${fmt(cpuRate).padStart(8)} rows per CPU-s  ${mb(r.bytes)}, peak RSS ${mb(r.peakRss)}${vs}`,
    );
  };
  for (const f of formats) {
    console.log(f);
    if (f === "baseline") {
      line("JSON.stringify, prebuilt", spawnChild("baseline", rows));
      continue;
    }
    const old = against !== undefined ? spawnOld(against, f, rows) : undefined;
    if (old !== undefined) line("before (one row at a time)", old);
    const one = spawnChild(f, rows, 0);
    line("blocks, this thread", one, old);
    const many = spawnChild(f, rows, threads);
    line(`blocks, ${threads} worker threads`, many, old ?? one);
    // Memory stays flat: the same run at a tenth of the rows.
    const small = spawnChild(f, Math.max(1, Math.round(rows / 10)), threads);
    console.log(
      `  peak RSS ${mb(small.peakRss)} at ${fmt(small.rows)} rows, ${mb(many.peakRss)} at ${fmt(many.rows)}`,
    );
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEstateOrThrow, type Estate, type Table } from "@hdp/config";
import { generateEstate } from "../estate/generate";
import { writeEstate } from "../estate/write";
import { scanRecord, scanText } from "../safe-harbor";
import { isValidNpi, RESTRICTED_ZIP3 } from "./health";
import { localTarget } from "./sinks";
import { checkDataOptions, simulateData, type DataResult } from "./simulate-data";

type Row = Record<string, string | number | boolean | null>;

let root: string;
let estate: Estate;
let result: DataResult;
let clean: DataResult;
const ROWS = 50;
const DAYS = 3;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "hdp-sim-data-"));
  writeEstate(
    // Raw feeds are a small share of sources: 40 sources of seed 5 include all three kinds.
    generateEstate({ hospitals: 4, sources: 40, tablesPerSource: 10, seed: 5 }),
    join(root, "configs"),
  );
  estate = loadEstateOrThrow(join(root, "configs"));
  result = await simulateData(
    { estate, env: "dev", rows: ROWS, days: DAYS, seed: 9, format: "ndjson", badShare: 0.05 },
    localTarget(join(root, "out")),
  );
  // Without bad rows, for the relations between values (a corrupted key would break them).
  clean = await simulateData(
    { estate, env: "dev", rows: ROWS, days: DAYS, seed: 9, format: "ndjson", badShare: 0 },
    localTarget(join(root, "clean")),
  );
}, 180_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (path: string, dir = "out"): string => readFileSync(join(root, dir, path), "utf8");
const rowsOf = (source: string, table: string, dir = "clean"): Row[] => {
  const t = (dir === "clean" ? clean : result).tables.find(
    (x) => x.source === source && x.table === table,
  );
  if (t === undefined) throw new Error(`no data for ${source}/${table}`);
  return t.files.flatMap((f) =>
    read(f, dir)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Row),
  );
};
/** A source of the archetype `slug` whose listed tables all got data in dev. */
const sourceOf = (slug: string, ...tables: string[]): string => {
  const s = estate.sources.find(
    (x) =>
      x.id.startsWith(`${slug}-`) &&
      tables.every((t) => clean.tables.some((c) => c.source === x.id && c.table === t)),
  );
  if (s === undefined)
    throw new Error(`the test estate has no ${slug} source with ${tables.join(", ")}`);
  return s.id;
};

/** Why a value does not fit its column, or undefined. */
function violation(t: Table, row: Row): string | undefined {
  for (const c of t.columns) {
    const v = row[c.name];
    if (!(c.name in row)) return `${c.name} missing`;
    if (v === null) {
      if (!c.nullable) return `${c.name} null`;
      continue;
    }
    const dec = /^decimal\((\d+),(\d+)\)$/.exec(c.type);
    if (dec !== null) {
      const m = /^(\d+)(?:\.(\d+))?$/.exec(String(v));
      if (
        m === null ||
        m[1].replace(/^0+(?=\d)/, "").length > Number(dec[1]) - Number(dec[2]) ||
        (m[2] ?? "").length > Number(dec[2])
      )
        return `${c.name} ${String(v)} not ${c.type}`;
    } else if (c.type === "int" && !(Number.isInteger(v) && Math.abs(v as number) < 2 ** 31))
      return `${c.name} not int`;
    else if (c.type === "bigint" && !Number.isInteger(v)) return `${c.name} not bigint`;
    else if (c.type === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(String(v)))
      return `${c.name} not date`;
    else if (c.type === "timestamp" && Number.isNaN(Date.parse(String(v))))
      return `${c.name} not timestamp`;
    else if (c.type === "boolean" && typeof v !== "boolean") return `${c.name} not boolean`;
    else if (c.type === "double" && typeof v !== "number") return `${c.name} not double`;
    else if (c.type === "string" && typeof v !== "string") return `${c.name} not string`;
  }
  return undefined;
}

describe("simulateData", () => {
  test("files land where the pipelines read them, one partition per day", () => {
    expect(result.tables.length).toBeGreaterThan(20);
    for (const t of result.tables.filter((x) => x.format !== "fastq")) {
      expect(t.files).toHaveLength(DAYS);
      t.files.forEach((f, d) =>
        expect(f).toBe(
          `${t.source}/${t.table}/dt=2025-01-${String(6 + d).padStart(2, "0")}/part-00000.${t.format === "ndjson" ? "json" : t.format}`,
        ),
      );
    }
  });

  test("rows conform to each table's columns, types and nullability, except the bad rows on purpose", () => {
    let checked = 0;
    let bad = 0;
    for (const stats of result.tables.filter((t) => t.format === "ndjson")) {
      const table = estate.tables.find((t) => t.source === stats.source && t.id === stats.table)!;
      const rows = rowsOf(stats.source, stats.table, "out");
      expect(rows).toHaveLength(stats.rows);
      for (const r of rows) {
        expect(Object.keys(r)).toEqual(table.columns.map((c) => c.name));
        if (violation(table, r) !== undefined) bad++;
        checked++;
      }
      // Every bad row breaks its schema, and nothing else does.
      const reported = stats.bad["null-key"] + stats.bad["wrong-type"] + stats.bad.overflow;
      expect(rows.filter((r) => violation(table, r) !== undefined)).toHaveLength(reported);
    }
    expect(checked).toBeGreaterThan(5000);
    expect(bad / checked).toBeGreaterThan(0.02);
    expect(bad / checked).toBeLessThan(0.08);
  });

  test("keys referenced across tables of one source exist; birth dates precede encounters", () => {
    const ehr = sourceOf("ehr", "patients", "encounters");
    const patients = rowsOf(ehr, "patients");
    const born = new Map(
      patients.filter((p) => p.patient_id !== null).map((p) => [p.patient_id, p.birth_date]),
    );
    expect(born.size).toBeGreaterThan(ROWS / 2);
    const encounters = rowsOf(ehr, "encounters").filter((e) => e.patient_id !== null);
    expect(encounters.length).toBeGreaterThan(0);
    for (const e of encounters) {
      expect(born.has(e.patient_id)).toBe(true);
      const birth = born.get(e.patient_id);
      if (typeof birth === "string" && typeof e.admit_time === "string")
        expect(birth < e.admit_time).toBe(true);
      if (typeof e.admit_time === "string" && typeof e.discharge_time === "string")
        expect(e.admit_time <= e.discharge_time).toBe(true);
    }
    for (const p of patients) expect(p.mrn === null || /^SIM\d{8}$/.test(String(p.mrn))).toBe(true);
  });

  test("NPIs carry a valid check digit; ICD-10 and CPT codes have their shapes", () => {
    const ehr = sourceOf("ehr", "providers", "diagnoses", "procedures");
    const npis = rowsOf(ehr, "providers")
      .map((p) => p.npi)
      .filter((n) => n !== null);
    expect(npis.length).toBeGreaterThan(0);
    for (const n of npis) expect(isValidNpi(String(n))).toBe(true);
    expect(isValidNpi("1234567893")).toBe(true); // CMS's published example
    expect(isValidNpi("1234567890")).toBe(false);
    const dx = rowsOf(ehr, "diagnoses")
      .map((d) => d.icd10_code)
      .filter((c) => typeof c === "string");
    expect(dx.length).toBeGreaterThan(0);
    for (const c of dx) expect(c).toMatch(/^[A-TV-Z]\d[0-9AB](\.[0-9A-TV-Z]{1,4})?$/);
    const cpt = rowsOf(ehr, "procedures")
      .map((d) => d.cpt_code)
      .filter((c) => typeof c === "string");
    for (const c of cpt) expect(c).toMatch(/^\d{5}$/);
  });

  test("payroll is for employees that exist; every GL journal balances", () => {
    const hcm = sourceOf("hcm", "employees", "payroll");
    const employees = new Set(rowsOf(hcm, "employees").map((e) => e.employee_id));
    const pay = rowsOf(hcm, "payroll").filter((p) => p.employee_id !== null);
    expect(pay.length).toBeGreaterThan(0);
    for (const p of pay) {
      expect(employees).toContain(p.employee_id);
      if (typeof p.gross_pay === "string" && typeof p.net_pay === "string")
        expect(Number(p.net_pay)).toBeLessThan(Number(p.gross_pay));
    }
    const gl = sourceOf("gl", "gl_entries");
    const glTable = estate.tables.find((t) => t.source === gl && t.id === "gl_entries")!;
    const journals = new Map<string, number>();
    for (const r of rowsOf(gl, "gl_entries", "out")) {
      if (violation(glTable, r) !== undefined) continue;
      const cents = Math.round(Number(r.debit) * 100) - Math.round(Number(r.credit) * 100);
      journals.set(String(r.journal_id), (journals.get(String(r.journal_id)) ?? 0) + cents);
    }
    expect(journals.size).toBeGreaterThan(ROWS / 4);
    for (const [, balance] of journals) expect(balance).toBe(0);
  });

  test("CDC feeds insert on the first day, then update and delete (by the table's marker) keys that exist", () => {
    const marked = estate.tables.filter(
      (t) =>
        t.load.mode === "cdc" &&
        t.load.deletes !== undefined &&
        clean.tables.some((c) => c.source === t.source && c.table === t.id),
    );
    expect(marked.length).toBeGreaterThan(0);
    for (const t of marked) {
      if (t.load.mode !== "cdc" || t.load.deletes === undefined) continue;
      const stats = clean.tables.find((c) => c.source === t.source && c.table === t.id)!;
      expect(stats.ops.U).toBeGreaterThan(0);
      expect(stats.ops.D).toBeGreaterThan(0);
      const rows = rowsOf(t.source, t.id);
      const marker = t.load.deletes.column;
      const key = (r: Row): string =>
        t.load.mode === "cdc" ? t.load.keys.map((k) => String(r[k])).join("|") : "";
      expect(rows.slice(0, ROWS).every((r) => r[marker] === "I")).toBe(true);
      expect(rows.filter((r) => r[marker] === "D")).toHaveLength(stats.ops.D);
      const seen = new Set<string>();
      for (const r of rows) {
        if (r[marker] === "I") seen.add(key(r));
        else expect(seen).toContain(key(r));
      }
    }
    // Without a marker the feed has no deletes (the pipelines could not tell them).
    const unmarked = clean.tables.filter((c) => {
      const t = estate.tables.find((x) => x.source === c.source && x.id === c.table)!;
      return t.load.mode === "cdc" && t.load.deletes === undefined;
    });
    expect(unmarked.length).toBeGreaterThan(0);
    for (const c of unmarked) expect(c.ops.D).toBe(0);
  });

  test("raw sources get the files the pipelines' parsers read: HL7 ORU^R01, VCF, FASTQ", () => {
    const hl7 = result.tables.find((t) => t.format === "hl7" && t.table === "lab_results");
    const vcf = result.tables.find((t) => t.format === "vcf");
    const fastq = result.tables.find((t) => t.format === "fastq");
    expect([hl7?.source, vcf?.source, fastq?.source].every((s) => s !== undefined)).toBe(true);
    const msg = read(hl7!.files[0])
      .split("\r")
      .filter((x) => x !== "");
    expect(msg.slice(0, 5).map((x) => x.slice(0, 3))).toEqual(["MSH", "PID", "PV1", "OBR", "OBX"]);
    expect(msg[0].split("|")[8]).toBe("ORU^R01^ORU_R01");
    // OBX-3 carries the LOINC code with its coding system, OBX-1 the sequence.
    expect(msg[4].split("|")[3]).toMatch(/^\d+-\d\^\^LN$/);
    expect(msg.filter((x) => x.startsWith("MSH"))).toHaveLength(hl7!.rows / DAYS);
    const v = read(vcf!.files[0]).split("\n");
    expect(v[0]).toBe("##fileformat=VCFv4.2");
    const header = v.find((l) => l.startsWith("#CHROM"))!.split("\t");
    expect(header).toHaveLength(10);
    const records = v.filter((l) => l !== "" && !l.startsWith("#"));
    expect(records).toHaveLength(vcf!.rows / DAYS);
    for (const r of records) expect(r.split("\t")).toHaveLength(10);
    expect(fastq!.files.length).toBe(fastq!.rows);
    for (const f of fastq!.files)
      expect(f).toMatch(/\/dt=\d{4}-\d{2}-\d{2}\/[A-Za-z0-9-]+_S\d+_L\d{3}_R[12]_001\.fastq$/);
    const fq = read(fastq!.files[0]).trim().split("\n");
    expect(fq.length % 4).toBe(0);
    expect(fq[0].startsWith("@")).toBe(true);
    expect(fq[2]).toBe("+");
    expect(fq[1].length).toBe(fq[3].length);
  });

  test("no value has the shape of a real identifier (Safe Harbor scan)", () => {
    const findings = [];
    let scanned = 0;
    for (const t of result.tables) {
      for (const f of t.files) {
        const text = read(f);
        if (t.format === "ndjson") {
          for (const line of text.trim().split("\n")) {
            findings.push(...scanRecord(JSON.parse(line) as Row));
            scanned++;
          }
        } else findings.push(...scanText(text));
      }
    }
    expect(scanned).toBeGreaterThan(5000);
    expect(findings).toEqual([]);
  });

  test("the sample estate's data (real source schemas: Epic, Workday, …) passes the scan too", async () => {
    const sample = loadEstateOrThrow(join(__dirname, "..", "..", "..", "..", "configs"));
    const r = await simulateData(
      { estate: sample, env: "dev", rows: 30, days: 2, seed: 4, format: "ndjson" },
      localTarget(join(root, "sample")),
    );
    expect(r.tables.length).toBeGreaterThan(50);
    const findings = [];
    for (const t of r.tables)
      for (const f of t.files) {
        const text = read(f, "sample");
        if (t.format === "ndjson")
          for (const line of text.trim().split("\n"))
            findings.push(...scanRecord(JSON.parse(line) as Row));
        else findings.push(...scanText(text));
      }
    expect(findings).toEqual([]);
  });

  test("the Safe Harbor scan reads every format's output: csv and parquet as records, raw files as text", async () => {
    const { parquetReadObjects } = await import("hyparquet");
    /** RFC 4180 rows of a csv file (quoted fields may hold commas, quotes and newlines). */
    const csvRecords = (text: string): Row[] => {
      const rows: string[][] = [[]];
      let field = "";
      let quoted = false;
      for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
          if (ch === '"' && text[i + 1] === '"') {
            field += '"';
            i++;
          } else if (ch === '"') quoted = false;
          else field += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === "," || ch === "\n") {
          rows[rows.length - 1].push(field);
          field = "";
          if (ch === "\n") rows.push([]);
        } else field += ch;
      }
      const [header, ...body] = rows.filter((r) => r.length > 0);
      for (const r of body) expect(r).toHaveLength(header.length);
      return body.map((r) =>
        Object.fromEntries(header.map((h, i) => [h, r[i] === "" ? null : r[i]])),
      );
    };
    const parquetRecords = async (path: string): Promise<Row[]> => {
      const buf = readFileSync(path);
      const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
      return (await parquetReadObjects({ file })).map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            typeof v === "bigint" ? Number(v) : (v as Row[string]),
          ]),
        ),
      );
    };
    for (const format of ["csv", "parquet"] as const) {
      const dir = join(root, `scan-${format}`);
      const r = await simulateData(
        { estate, env: "dev", rows: 20, days: 2, seed: 11, format, badShare: 0.05 },
        localTarget(dir),
      );
      const findings = [];
      const columns = new Set<string>();
      let records = 0;
      let rawFiles = 0;
      for (const t of r.tables)
        for (const f of t.files) {
          if (t.format === format) {
            const rows =
              format === "csv"
                ? csvRecords(readFileSync(join(dir, f), "utf8"))
                : await parquetRecords(join(dir, f));
            for (const row of rows) {
              findings.push(...scanRecord(row));
              for (const [k, v] of Object.entries(row)) if (v !== null) columns.add(k);
            }
            records += rows.length;
          } else {
            findings.push(...scanText(readFileSync(join(dir, f), "utf8")));
            rawFiles++;
          }
        }
      expect(records).toBeGreaterThan(3000);
      expect(rawFiles).toBeGreaterThan(0);
      // The identifier-shaped columns were there to scan, with values.
      for (const c of ["birth_date", "phone", "email", "mrn", "zip3", "npi"])
        expect(columns).toContain(c);
      expect(findings).toEqual([]);
    }
  });

  test("the Safe Harbor scan catches real-shaped identifiers", () => {
    const kinds = (r: Row) =>
      scanRecord(r)
        .map((f) => f.kind)
        .sort();
    expect(kinds({ ssn: "123-45-6789" })).toEqual(["ssn"]);
    expect(kinds({ ssn: "923-45-6789" })).toEqual([]);
    expect(kinds({ phone: "(312) 867-5309" })).toEqual(["phone"]);
    expect(kinds({ phone: "(312) 555-0142" })).toEqual([]);
    expect(kinds({ email: "jane@gmail.com", site: "https://www.mayoclinic.org/x" })).toEqual([
      "email",
      "url",
    ]);
    expect(kinds({ zip3: "036" })).toEqual(["zip3-small-area"]);
    expect([...RESTRICTED_ZIP3]).toContain("036");
    expect(kinds({ birth_date: "1930-05-01", admit_time: "2025-01-06T10:00:00Z" })).toEqual([
      "age-over-89",
    ]);
    expect(kinds({ birth_date: "1940-05-01", admit_time: "2025-01-06T10:00:00Z" })).toEqual([]);
    expect(kinds({ patient_age: 93 })).toEqual(["age-over-89"]);
    expect(kinds({ mrn: "00412345" })).toEqual(["mrn"]);
    expect(kinds({ host: "10.1.2.3", vin: "1HGCM82633A004352" })).toEqual([
      "ip-address",
      "vehicle-id",
    ]);
  });

  test("the same seed gives the same bytes", async () => {
    const again = join(root, "again");
    const src = sourceOf("ehr", "patients");
    const r = await simulateData(
      {
        estate,
        env: "dev",
        source: src,
        rows: ROWS,
        days: DAYS,
        seed: 9,
        format: "ndjson",
        badShare: 0.05,
      },
      localTarget(again),
    );
    expect(r.tables.length).toBeGreaterThan(0);
    for (const t of r.tables) {
      for (const f of t.files) expect(readFileSync(join(again, f), "utf8")).toBe(read(f));
    }
  });

  test("the bytes do not depend on the number of worker threads (blocks of rows across parts and days)", async () => {
    const cdc = estate.tables.find(
      (t) =>
        t.load.mode === "cdc" &&
        t.load.deletes !== undefined &&
        clean.tables.some((c) => c.source === t.source && c.table === t.id),
    )!;
    const gl = sourceOf("gl", "gl_entries");
    const picks = [
      { source: cdc.source, table: cdc.id },
      { source: gl, table: "gl_entries" },
    ];
    // 12,001 rows a day in parts of 11,000: blocks of 10,000 and 1,000 rows, then 1,001 (1,002 for
    // the journal lines, always pairs); two days, so CDC updates and deletes cross blocks.
    const run = async (format: "ndjson" | "parquet" | "csv", threads: number, dir: string) => {
      const results: DataResult[] = [];
      for (const p of picks)
        results.push(
          await simulateData(
            {
              estate,
              env: "dev",
              ...p,
              rows: 12_001,
              days: 2,
              seed: 3,
              format,
              threads,
              partRows: 11_000,
            },
            localTarget(join(root, dir)),
          ),
        );
      return results.flatMap((r) => r.tables);
    };
    for (const format of ["ndjson", "parquet", "csv"] as const) {
      const one = await run(format, 0, `threads-0-${format}`);
      const two = await run(format, format === "csv" ? 3 : 2, `threads-n-${format}`);
      expect(two).toEqual(one);
      expect(one).toHaveLength(2);
      for (const t of one) {
        expect(t.files).toHaveLength(4);
        expect(t.rows).toBeGreaterThanOrEqual(24_002);
        for (const f of t.files)
          expect(
            readFileSync(join(root, `threads-n-${format}`, f)).equals(
              readFileSync(join(root, `threads-0-${format}`, f)),
            ),
          ).toBe(true);
      }
      expect(one[0].ops.D).toBeGreaterThan(0);
      expect(one[1].bad["wrong-type"]).toBeGreaterThan(0);
    }
    // Parquet parts of several row groups (blocks placed one after another) read back whole:
    // the same rows, in the same order, as the ndjson of the same run.
    const { parquetMetadata, parquetReadObjects } = await import("hyparquet");
    const nd = await run("ndjson", 0, "threads-0-ndjson-again");
    const pq = await run("parquet", 2, "threads-n-parquet-again");
    for (const [i, t] of pq.entries()) {
      const first = estate.tables.find((x) => x.source === t.source && x.id === t.table)!.columns[0]
        .name;
      for (const [j, f] of t.files.entries()) {
        const buf = readFileSync(join(root, "threads-n-parquet-again", f));
        const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
        const groups = parquetMetadata(file).row_groups.length;
        expect(groups).toBe(j % 2 === 0 ? 2 : 1);
        const rows = await parquetReadObjects({ file });
        const lines = readFileSync(join(root, "threads-0-ndjson-again", nd[i].files[j]), "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as Row);
        expect(rows).toHaveLength(lines.length);
        const key = (v: unknown): unknown => (typeof v === "bigint" ? Number(v) : v);
        expect(rows.map((r) => key(r[first]))).toEqual(lines.map((r) => r[first]));
      }
    }
  }, 180_000);

  test("parquet keeps every wrong-typed bad value, as text, for silver to quarantine", async () => {
    const { parquetMetadata, parquetReadObjects } = await import("hyparquet");
    const dir = join(root, "pq-bad");
    const r = await simulateData(
      { estate, env: "dev", rows: 40, days: 1, seed: 4, format: "parquet", badShare: 0.5 },
      localTarget(dir),
    );
    const tables = r.tables.filter((t) => t.format === "parquet");
    expect(tables.length).toBeGreaterThan(10);
    let wrong = 0;
    let typedTables = 0;
    for (const t of tables) {
      let mistyped = 0;
      for (const f of t.files) {
        const buf = readFileSync(join(dir, f));
        const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
        const typed = parquetMetadata(file)
          .schema.filter((c) => c.type !== undefined && c.type !== "BYTE_ARRAY")
          .map((c) => c.name);
        if (typed.length > 0) typedTables++;
        for (const row of await parquetReadObjects({ file })) {
          // "n/a" stands in a text column, never lost as a null of a typed one.
          const bad = Object.entries(row).filter(([, v]) => v === "n/a");
          for (const [name] of bad)
            expect([t.table, name, typed.includes(name)]).toEqual([t.table, name, false]);
          if (bad.length > 0) mistyped++;
        }
      }
      // Every row the simulator made wrong-typed still says so in the file.
      expect([t.table, mistyped]).toEqual([t.table, t.bad["wrong-type"]]);
      wrong += mistyped;
    }
    expect(wrong).toBeGreaterThan(0);
    expect(typedTables).toBeGreaterThan(0);
  }, 180_000);

  test("parquet and csv hold the same rows as ndjson (parquet read back with hyparquet)", async () => {
    const src = sourceOf("ehr", "encounters");
    const opts = {
      estate,
      env: "dev",
      source: src,
      table: "encounters",
      rows: ROWS,
      days: 1,
      seed: 9,
      badShare: 0,
    };
    const pq = await simulateData({ ...opts, format: "parquet" }, localTarget(join(root, "pq")));
    const nd = await simulateData({ ...opts, format: "ndjson" }, localTarget(join(root, "nd")));
    const csv = await simulateData({ ...opts, format: "csv" }, localTarget(join(root, "csv")));
    expect(pq.tables[0].files).toEqual([`${src}/encounters/dt=2025-01-06/part-00000.parquet`]);
    const expected = read(nd.tables[0].files[0], "nd")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Row);
    const { parquetReadObjects } = await import("hyparquet");
    const buf = readFileSync(join(root, "pq", pq.tables[0].files[0]));
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const rows = await parquetReadObjects({ file });
    expect(rows).toHaveLength(ROWS);
    const normal = (r: Row): Row =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]),
      );
    expect(rows.map(normal)).toEqual(expected);
    const lines = read(csv.tables[0].files[0], "csv").trim().split("\n");
    expect(lines[0]).toBe(Object.keys(expected[0]).join(","));
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(
      expected.map((r) => String(r.encounter_id)),
    );
  });

  test("bad options are all reported at once, before anything is written", () => {
    expect(
      checkDataOptions({
        estate,
        env: "qa",
        source: "nope",
        rows: 0,
        days: 0,
        seed: 1,
        format: "csv",
        badShare: 2,
      }),
    ).toEqual([
      '--env: unknown environment "qa" (environments: dev, prod, stage)',
      '--source: unknown source "nope"',
      "--rows must be a whole number of at least 1 (got 0)",
      "--days must be a whole number from 1 to 3660 (got 0)",
      "--bad-rows must be a share from 0 to 1 (got 2)",
    ]);
  });
});

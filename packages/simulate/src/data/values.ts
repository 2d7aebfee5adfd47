/**
 * Column values by name and type. A row's first column is its own identity (row index `k`);
 * a column with the name of another table's first column refers to that table's rows, so keys
 * referenced across the tables of one source exist. Canonical entities tie aliases together
 * (`mrn` and `patient_id` of one row are the same patient).
 */
import type { Column } from "@hdp/config";
import type { Random } from "../random";
import type { Faker } from "./faker";
import {
  ANTIMICROBIALS,
  birthDateFor,
  CPT,
  fakePhone,
  fakeSsn,
  fakeZip3,
  ICD10,
  LOINC,
  mrnFor,
  NDC,
  npiFor,
  ORGANISMS,
} from "./health";

export type Value = string | number | boolean | null | readonly Value[];

/** Columns that name the same real-world thing. */
const ENTITY: Readonly<Record<string, string>> = {
  patient_id: "patient",
  pat_id: "patient",
  mrn: "patient",
  encounter_id: "encounter",
  pat_enc_csn_id: "encounter",
  provider_id: "provider",
  prov_id: "provider",
  npi: "provider",
  employee_id: "employee",
  department_id: "department",
  account_id: "account",
  sample_id: "sample",
  encounter_csn: "encounter",
  ordering_provider_npi: "provider",
};
export const entityOf = (column: string): string =>
  ENTITY[column] ??
  (/(^|_)mrn(_|$)/.test(column) ? "patient" : /(^|_)npi(_|$)/.test(column) ? "provider" : column);

/**
 * Values drawn from Faker once per run and then picked by the row's random stream: Faker per
 * value costs ~10x more, and a few thousand names give the same realism.
 */
export interface Pools {
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
  readonly cities: readonly string[];
  readonly streets: readonly string[];
  readonly words: readonly string[];
  readonly companies: readonly string[];
}

export function makePools(faker: Faker): Pools {
  const draw = (n: number, f: () => string): string[] => Array.from({ length: n }, f);
  return {
    firstNames: draw(2000, () => faker.person.firstName()),
    lastNames: draw(2000, () => faker.person.lastName()),
    cities: draw(500, () => faker.location.city()),
    streets: draw(2000, () => faker.location.streetAddress()),
    words: draw(2000, () => faker.word.noun()),
    companies: draw(500, () => faker.company.name()),
  };
}

/** What a row generator knows while building one row. */
export interface RowContext {
  readonly rng: Random;
  readonly pools: Pools;
  /** The partition date, `YYYY-MM-DD`. */
  readonly day: string;
  /** Index of this row's own entity. */
  readonly k: number;
  /** Index of the row within its partition. */
  readonly i: number;
  /** Rows of each entity that exist (the pool references draw from). */
  readonly poolSize: number;
  readonly hospitals: readonly string[];
  /** Entity -> chosen index for this row (memoised so aliases agree). */
  readonly chosen: Map<string, number>;
  /** The entity whose identity this row carries. */
  readonly own: string;
}

/** Index of `entity` for this row: its own identity, derived, or a reference into the pool. */
export function entityIndex(ctx: RowContext, entity: string): number {
  if (entity === ctx.own) return ctx.k;
  const hit = ctx.chosen.get(entity);
  if (hit !== undefined) return hit;
  let k: number;
  // A patient referenced by a row that also names an encounter is that encounter's patient.
  if (entity === "patient" && ctx.chosen.has("encounter"))
    k = patientOfEncounter(ctx.chosen.get("encounter")!, ctx.poolSize);
  else if (entity === "patient" && ctx.own === "encounter")
    k = patientOfEncounter(ctx.k, ctx.poolSize);
  else k = ctx.rng.int(0, Math.max(0, ctx.poolSize - 1));
  ctx.chosen.set(entity, k);
  return k;
}

const patientOfEncounter = (e: number, pool: number): number =>
  (Math.imul(e + 1, 40503) >>> 0) % Math.max(1, pool);

const pad = (n: number, w: number): string => String(n).padStart(w, "0");
/** "00".."99": two-digit fields without padStart per value. */
const PAD2: readonly string[] = Array.from({ length: 100 }, (_, n) => pad(n, 2));
const time = (ctx: RowContext, minHour = 0): string =>
  `${ctx.day}T${PAD2[ctx.rng.int(minHour, 23)]}:${PAD2[ctx.rng.int(0, 59)]}:${PAD2[ctx.rng.int(0, 59)]}Z`;

/** Decimal(p,s) as exact text within its precision. */
export function decimalText(rng: Random, precision: number, scale: number, max = Infinity): string {
  const intDigits = precision - scale;
  const limit = Math.min(max, 10 ** Math.min(intDigits, 9) - 1);
  const whole = rng.int(0, Math.max(0, limit));
  const frac =
    scale > 0 ? `.${pad(rng.int(0, 10 ** Math.min(scale, 6) - 1), Math.min(scale, 6))}` : "";
  return `${whole}${frac}`;
}

/** The identity of entity-column `name` as a function of the entity index (built once per column). */
export function identityOf(name: string, type: string): (k: number) => Value {
  if (/(^|_)mrn(_|$)/.test(name)) return mrnFor;
  if (/(^|_)npi(_|$)/.test(name)) return npiFor;
  // Illumina's: an instrument serial, a flow cell id, a run folder's name (date, instrument,
  // run counter, flow cell side and id).
  if (name === "instrument_id" && type === "string") return (k) => `LH${pad(400 + k, 5)}`;
  if (name === "flowcell_id" && type === "string") return (k) => `22SIM${pad(k, 4)}LT3`;
  if (name === "run_id" && type === "string")
    return (k) => `2025${pad((k % 12) + 1, 2)}01_LH00412_${pad(k % 10_000, 4)}_ASIM${pad(k, 5)}LT3`;
  if (type === "bigint" || type === "int") return (k) => 100_000 + k;
  if (type === "smallint" || type === "tinyint") return (k) => k % 100;
  const prefix =
    name
      .replace(/_id$/, "")
      .split("_")
      .map((w) => w[0]?.toUpperCase() ?? "")
      .join("") || "K";
  return (k) => `${prefix}${pad(k, 8)}`;
}

/** The organism of this row (memoised so its code and name agree). */
const organism = (ctx: RowContext): readonly [string, string] => {
  let k = ctx.chosen.get("organism");
  if (k === undefined) {
    k = ctx.rng.int(0, ORGANISMS.length - 1);
    ctx.chosen.set("organism", k);
  }
  return ORGANISMS[k];
};

/** The generator of one column. */
export type ColumnGen = (ctx: RowContext) => Value;

export function columnGenerator(column: Column, isIdentity: boolean): ColumnGen {
  const { name, type } = column;
  const entity = entityOf(name);
  const id = identityOf(name, type);
  if (isIdentity) return (ctx) => id(ctx.k);
  if (entity !== name || /_id$/.test(name)) return (ctx) => id(entityIndex(ctx, entity));
  const known = SEMANTIC[name];
  const semantic =
    known !== undefined && known[0].test(type)
      ? known[1]
      : PATTERNS.find(([re, types]) => re.test(name) && types.test(type))?.[2];
  if (semantic !== undefined) return semantic;
  return byType(type);
}

const STRING = /^string$/;
const DECIMAL = /^decimal\(/;
/** A decimal text with two places between `min` and `max` (a percentage, a coverage, Gb). */
const percentIn = (c: RowContext, min: number, max: number): string =>
  (c.rng.int(min * 100, max * 100) / 100).toFixed(2);
const DATE = /^date$/;
const INTEGER = /^(int|bigint|smallint|tinyint)$/;
const FLOATING = /^(float|double)$/;

/** Columns known by name, with the types they apply to (an `int` column named units stays an int). */
const SEMANTIC: Readonly<Record<string, readonly [RegExp, ColumnGen]>> = {
  first_name: [STRING, (c) => c.rng.pick(c.pools.firstNames)],
  order_code: [
    STRING,
    (c) => c.rng.pick(["CBC", "BMP", "CMP", "LIPID", "HBA1C", "TSH", "UA", "PT-INR"]),
  ],
  result_value: [STRING, (c) => (c.rng.int(10, 2000) / 10).toFixed(1)],
  observation_seq: [INTEGER, (c) => c.rng.int(1, 12)],
  reference_range: [
    STRING,
    (c) => c.rng.pick(["3.5-5.0", "70-99", "4.0-11.0", "12.0-16.0", "<200"]),
  ],
  result_status: [STRING, (c) => c.rng.pick(["F", "F", "F", "P", "C"])],
  order_priority: [STRING, (c) => c.rng.pick(["R", "R", "S", "A"])],
  performing_lab: [STRING, (c) => c.rng.pick(["SIMLAB-CORE", "SIMLAB-MICRO", "SIMLAB-REF"])],
  placer_order_number: [STRING, (c) => `PL${pad(c.rng.int(0, 99_999_999), 8)}`],
  depth: [INTEGER, (c) => c.rng.int(10, 400)],
  gene_symbol: [STRING, (c) => c.rng.pick(["BRCA1", "BRCA2", "TP53", "CYP2C19", "MLH1", "APC"])],
  // Sequencing runs, DRAGEN QC and PharmCAT calls (the genomics drops' other files).
  read_structure: [STRING, (c) => c.rng.pick(["151-10-10-151", "151-8-8-151", "101-10-10-101"])],
  flowcell_type: [STRING, (c) => c.rng.pick(["1.5B", "10B", "25B"])],
  software_version: [STRING, (c) => c.rng.pick(["1.2.0.28691", "1.3.0.39308"])],
  mapping_rate: [DECIMAL, (c) => percentIn(c, 97, 99.9)],
  pct_target_bases_20x: [DECIMAL, (c) => percentIn(c, 88, 99.5)],
  percent_q30: [DECIMAL, (c) => percentIn(c, 85, 96)],
  percent_pass_filter: [DECIMAL, (c) => percentIn(c, 70, 90)],
  percent_occupied: [DECIMAL, (c) => percentIn(c, 85, 99)],
  mean_coverage: [DECIMAL, (c) => percentIn(c, 28, 140)],
  yield_gb: [DECIMAL, (c) => percentIn(c, 300, 1600)],
  contamination_estimate: [DECIMAL, (c) => (c.rng.int(0, 40) / 10_000).toFixed(4)],
  activity_score: [DECIMAL, (c) => c.rng.pick(["0.00", "0.50", "1.00", "1.50", "2.00"])],
  predicted_sex: [STRING, (c) => c.rng.pick(["XX", "XY", "XX", "XY", "X0"])],
  gene: [STRING, (c) => c.rng.pick(["CYP2C19", "CYP2C9", "CYP2D6", "SLCO1B1", "DPYD", "TPMT"])],
  diplotype: [STRING, (c) => c.rng.pick(["*1/*1", "*1/*2", "*1/*17", "*2/*2", "*1/*3"])],
  phenotype: [
    STRING,
    (c) => c.rng.pick(["Normal Metabolizer", "Intermediate Metabolizer", "Rapid Metabolizer"]),
  ],
  consequence: [
    STRING,
    (c) => c.rng.pick(["missense_variant", "synonymous_variant", "stop_gained", "intron_variant"]),
  ],
  clinvar_significance: [
    STRING,
    (c) => c.rng.pick(["Benign", "Likely_benign", "Uncertain_significance", "Pathogenic"]),
  ],
  pipeline_version: [STRING, () => "dragen-sim-4.2"],
  last_name: [STRING, (c) => c.rng.pick(c.pools.lastNames)],
  provider_name: [
    STRING,
    (c) => `${c.rng.pick(c.pools.firstNames)} ${c.rng.pick(c.pools.lastNames)}, MD`,
  ],
  birth_date: [DATE, (c) => birthDateFor(entityIndex(c, "patient"))],
  sex: [STRING, (c) => c.rng.pick(["F", "M", "U"])],
  zip3: [STRING, (c) => fakeZip3(c.rng)],
  phone: [STRING, (c) => fakePhone(c.rng)],
  email: [
    STRING,
    (c) => `${c.rng.pick(c.pools.firstNames).toLowerCase()}.${c.rng.int(1, 9999)}@example.org`,
  ],
  ssn: [STRING, (c) => fakeSsn(c.rng)],
  hospital_id: [STRING, (c) => c.rng.pick(c.hospitals)],
  icd10_code: [STRING, (c) => c.rng.pick(ICD10)],
  cpt_code: [STRING, (c) => c.rng.pick(CPT)],
  loinc_code: [STRING, (c) => c.rng.pick(LOINC)],
  ndc_code: [STRING, (c) => c.rng.pick(NDC)],
  // Microbiology: isolates of a culture and their susceptibilities (HL7 table 0487 sources).
  isolate_number: [INTEGER, (c) => c.rng.int(1, 3)],
  culture_source: [STRING, (c) => c.rng.pick(["BLD", "UR", "WND", "SPT", "CSF"])],
  organism_code: [STRING, (c) => organism(c)[0]],
  organism_name: [STRING, (c) => organism(c)[1]],
  growth_quantity: [
    STRING,
    (c) =>
      c.rng.pick([
        "Heavy growth",
        "Moderate growth",
        "Light growth",
        ">100,000 CFU/mL",
        "10,000-50,000 CFU/mL",
      ]),
  ],
  antibiotic_code: [STRING, (c) => c.rng.pick(ANTIMICROBIALS)],
  mic_value: [STRING, (c) => c.rng.pick(["<=0.25", "0.5", "1", "2", "4", "8", ">=16", ">32"])],
  interpretation: [STRING, (c) => c.rng.pick(["S", "S", "S", "I", "R"])],
  method: [STRING, (c) => c.rng.pick(["MIC", "MIC", "DISK", "GRADIENT"])],
  specialty: [
    STRING,
    (c) =>
      c.rng.pick([
        "Internal Medicine",
        "Cardiology",
        "Pediatrics",
        "Emergency Medicine",
        "Oncology",
        "Family Medicine",
      ]),
  ],
  encounter_type: [
    STRING,
    (c) => c.rng.pick(["inpatient", "outpatient", "emergency", "observation", "telehealth"]),
  ],
  route: [STRING, (c) => c.rng.pick(["PO", "IV", "IM", "SC", "INH"])],
  abnormal_flag: [STRING, (c) => c.rng.pick(["N", "N", "N", "H", "L", "A"])],
  units: [STRING, (c) => c.rng.pick(["mg/dL", "g/dL", "mmol/L", "%", "10*3/uL"])],
  observation_value: [STRING, (c) => (c.rng.int(10, 2000) / 10).toFixed(1)],
  status: [STRING, (c) => c.rng.pick(["available", "occupied", "dirty", "blocked"])],
  job_title: [
    STRING,
    (c) =>
      c.rng.pick([
        "Registered Nurse",
        "Patient Care Technician",
        "Pharmacist",
        "Respiratory Therapist",
        "Unit Clerk",
        "Physical Therapist",
        "Lab Technologist",
      ]),
  ],
  department_name: [
    STRING,
    (c) =>
      `${c.rng.pick(["Medical", "Surgical", "Cardiac", "Pediatric", "Oncology"])} ${c.rng.pick(["ICU", "Unit", "Clinic", "Step-Down"])} ${c.rng.int(1, 9)}`,
  ],
  account_name: [
    STRING,
    (c) =>
      c.rng.pick([
        "Patient Revenue",
        "Salaries",
        "Supplies",
        "Pharmacy Expense",
        "Cash",
        "Accounts Receivable",
      ]),
  ],
  account_type: [STRING, (c) => c.rng.pick(["asset", "liability", "revenue", "expense"])],
  payer_name: [
    STRING,
    (c) => c.rng.pick(["Medicare", "Medicaid", "Commercial PPO", "Commercial HMO", "Self-pay"]),
  ],
  member_id: [STRING, (c) => `MBR${pad(c.rng.int(0, 99_999_999), 8)}`],
  specimen_type: [STRING, (c) => c.rng.pick(["blood", "saliva", "tumor tissue", "buccal swab"])],
  flowcell_id: [STRING, (c) => `SIMFC${pad(c.rng.int(0, 9999), 4)}`],
  lane: [INTEGER, (c) => c.rng.int(1, 8)],
  read_number: [INTEGER, (c) => c.rng.int(1, 2)],
  read_count: [INTEGER, (c) => c.rng.int(1_000_000, 400_000_000)],
  chrom: [
    STRING,
    (c) => `chr${c.rng.pick(["1", "2", "3", "7", "11", "13", "17", "19", "22", "X"])}`,
  ],
  pos: [INTEGER, (c) => c.rng.int(10_000, 150_000_000)],
  ref: [STRING, (c) => c.rng.pick(["A", "C", "G", "T"])],
  alt: [STRING, (c) => c.rng.pick(["A", "C", "G", "T", "AT", "CG"])],
  qual: [FLOATING, (c) => c.rng.int(200, 9999) / 10],
  filter: [STRING, (c) => c.rng.pick(["PASS", "PASS", "PASS", "LowQual"])],
  genotype: [STRING, (c) => c.rng.pick(["0/1", "1/1", "0/1"])],
  vendor_name: [STRING, (c) => c.rng.pick(c.pools.companies)],
  question_code: [STRING, (c) => `Q${c.rng.int(1, 40)}`],
  score: [INTEGER, (c) => c.rng.int(1, 5)],
  priority: [INTEGER, (c) => c.rng.int(1, 5)],
  cost_center: [STRING, (c) => `CC-${c.rng.int(7100, 7199)}`],
  diagnosis_rank: [INTEGER, (c) => c.rng.int(1, 10)],
  units_count: [INTEGER, (c) => c.rng.int(1, 4)],
};

/** Name patterns of columns in real source schemas (Epic, Workday, …): first match wins. */
const PATTERNS: readonly (readonly [RegExp, RegExp, ColumnGen])[] = [
  [/first_name$/, STRING, (c) => c.rng.pick(c.pools.firstNames)],
  [/last_name$/, STRING, (c) => c.rng.pick(c.pools.lastNames)],
  [/(birth_date|_dob|^dob)$/, DATE, (c) => birthDateFor(entityIndex(c, "patient"))],
  [/death_date$/, DATE, () => null],
  [/phone/, STRING, (c) => fakePhone(c.rng)],
  [
    /email/,
    STRING,
    (c) => `${c.rng.pick(c.pools.firstNames).toLowerCase()}.${c.rng.int(1, 9999)}@example.org`,
  ],
  [/ssn/, STRING, (c) => fakeSsn(c.rng)],
  [/(^|_)zip3$/, STRING, (c) => fakeZip3(c.rng)],
  [/(^|_)(zip|zip_code|postal_code)$/, STRING, (c) => `${fakeZip3(c.rng)}00`],
  [/(^|_)city$/, STRING, (c) => c.rng.pick(c.pools.cities)],
  [/(add_line|address|street)/, STRING, (c) => c.rng.pick(c.pools.streets)],
  [/(icd10|icd_10|dx_code)/, STRING, (c) => c.rng.pick(ICD10)],
  [/(cpt|proc_code|hcpcs)/, STRING, (c) => c.rng.pick(CPT)],
  [/loinc/, STRING, (c) => c.rng.pick(LOINC)],
  [/ndc/, STRING, (c) => c.rng.pick(NDC)],
  [/_yn$/, STRING, (c) => c.rng.pick(["Y", "N"])],
  [/_c$/, STRING, (c) => String(c.rng.int(1, 9))],
  [/(^|_)(state|state_code)$/, STRING, (c) => c.rng.pick(["IA", "NE", "KS", "MN", "WI"])],
  [
    /(^|_)name$/,
    STRING,
    (c) => `${c.rng.pick(c.pools.firstNames)} ${c.rng.pick(c.pools.lastNames)}`,
  ],
];

function byType(type: string): ColumnGen {
  const dec = /^decimal\((\d+),(\d+)\)$/.exec(type);
  if (dec !== null) {
    const p = Number(dec[1]);
    const s = Number(dec[2]);
    return (c) => decimalText(c.rng, p, s, 99_999);
  }
  switch (type) {
    case "string":
      return (c) => c.rng.pick(c.pools.words);
    case "int":
    case "bigint":
      return (c) => c.rng.int(0, 100_000);
    case "smallint":
      return (c) => c.rng.int(0, 1000);
    case "tinyint":
      return (c) => c.rng.int(0, 100);
    case "boolean":
      return (c) => c.rng.chance(0.5);
    case "float":
    case "double":
      return (c) => Math.round(c.rng.next() * 1e6) / 100;
    case "date":
      return (c) => c.day;
    case "timestamp":
    case "timestamp_ntz":
      return (c) => time(c);
    case "binary":
      return (c) => Buffer.from(c.rng.pick(c.pools.words)).toString("base64");
    default:
      return () => [];
  }
}
export { time as timestampIn };

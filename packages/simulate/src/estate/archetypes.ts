/**
 * The kinds of source a health system runs, per domain, with the tables each delivers. Column
 * names are the ones `simulate data` recognises (mrn, birth_date, npi, icd10_code, …), so a
 * generated estate also gets realistic rows. Columns are written compactly as
 * `name:type[!][:classification]` (`!` = not nullable).
 */
import type { Classification } from "@hdp/config";

export type Domain = "clinical" | "financial" | "workforce" | "genomics" | "operations";

export type ConnectionKind =
  | {
      readonly kind: "database";
      readonly engine: "sqlserver" | "oracle" | "postgres" | "mysql" | "db2";
    }
  | { readonly kind: "sftp" }
  | { readonly kind: "api"; readonly auth: "oauth2" | "api-key" | "mtls" }
  | { readonly kind: "stream"; readonly platform: "kinesis" | "kafka" }
  | {
      readonly kind: "file-drop";
      readonly format: "csv" | "parquet" | "json" | "hl7" | "fastq" | "vcf";
    };

export type LoadTemplate =
  | { readonly mode: "full" }
  | { readonly mode: "incremental"; readonly watermark: string }
  | { readonly mode: "cdc"; readonly keys: readonly string[]; readonly sequenceBy: string };

export interface TableTemplate {
  readonly id: string;
  readonly description: string;
  readonly columns: readonly string[];
  readonly load: LoadTemplate;
  /** Flows to gold (aggregated for reporting). */
  readonly gold?: boolean;
  readonly partitionBy?: readonly string[];
}

export interface Archetype {
  /** Prefix of the source id. */
  readonly slug: string;
  readonly name: string;
  readonly vendor: string;
  readonly domain: Domain;
  readonly classification: Classification;
  readonly connection: ConnectionKind;
  readonly cron: string;
  readonly tables: readonly TableTemplate[];
}

const cdc = (keys: string[], sequenceBy = "updated_at"): LoadTemplate => ({
  mode: "cdc",
  keys,
  sequenceBy,
});
const incr = (watermark = "updated_at"): LoadTemplate => ({ mode: "incremental", watermark });
const full: LoadTemplate = { mode: "full" };

const PATIENTS: TableTemplate = {
  id: "patients",
  description: "Registered patients, one row per medical record number.",
  columns: [
    "patient_id:string!:phi",
    "mrn:string!:phi",
    "first_name:string:phi",
    "last_name:string:phi",
    "birth_date:date:phi",
    "sex:string",
    "zip3:string:phi",
    "phone:string:phi",
    "email:string:phi",
    "ssn:string:phi",
    "updated_at:timestamp!",
  ],
  load: cdc(["patient_id"]),
};
const PROVIDERS: TableTemplate = {
  id: "providers",
  description: "Clinicians with their National Provider Identifier and specialty.",
  columns: [
    "provider_id:string!",
    "npi:string!:confidential",
    "provider_name:string:confidential",
    "specialty:string",
    "department_id:bigint",
    "updated_at:timestamp!",
  ],
  load: full,
};
const ENCOUNTERS: TableTemplate = {
  id: "encounters",
  description: "Visits and admissions; one row per encounter.",
  columns: [
    "encounter_id:bigint!:phi",
    "patient_id:string!:phi",
    "provider_id:string",
    "hospital_id:string",
    "encounter_type:string",
    "admit_time:timestamp:phi",
    "discharge_time:timestamp:phi",
    "total_charges:decimal(12,2)",
    "updated_at:timestamp!",
  ],
  load: cdc(["encounter_id"]),
  gold: true,
};
const DIAGNOSES: TableTemplate = {
  id: "diagnoses",
  description: "Encounter diagnoses coded in ICD-10-CM.",
  columns: [
    "diagnosis_id:bigint!:phi",
    "encounter_id:bigint!:phi",
    "patient_id:string!:phi",
    "icd10_code:string!",
    "diagnosis_rank:int",
    "present_on_admission:boolean",
    "updated_at:timestamp!",
  ],
  load: cdc(["diagnosis_id"]),
};
const PROCEDURES: TableTemplate = {
  id: "procedures",
  description: "Procedures performed, coded in CPT.",
  columns: [
    "procedure_id:bigint!:phi",
    "encounter_id:bigint!:phi",
    "patient_id:string!:phi",
    "cpt_code:string!",
    "provider_id:string",
    "performed_at:timestamp:phi",
    "units:int",
    "updated_at:timestamp!",
  ],
  load: incr(),
};
/** The lab tables the pipelines' HL7 ORU^R01 parser produces (OBR -> orders, OBX -> results). */
const LAB_ORDERS: TableTemplate = {
  id: "lab_orders",
  description: "Lab orders parsed from HL7 v2 ORU^R01 OBR segments.",
  columns: [
    "accession_number:string!:phi",
    "order_code:string!",
    "placer_order_number:string:phi",
    "mrn:string!:phi",
    "encounter_csn:string:phi",
    "ordering_provider_npi:string",
    "order_priority:string",
    "ordered_at:timestamp:phi",
    "collected_at:timestamp:phi",
    "performing_lab:string",
    "message_control_id:string!",
    "message_time:timestamp!",
  ],
  load: cdc(["accession_number", "order_code"], "message_time"),
};
const LAB_RESULTS: TableTemplate = {
  id: "lab_results",
  description: "Lab observations parsed from HL7 v2 ORU^R01 OBX segments.",
  columns: [
    "accession_number:string!:phi",
    "order_code:string!",
    "observation_seq:int!",
    "loinc_code:string",
    "local_test_code:string",
    "result_value:string:phi",
    "numeric_value:decimal(18,6)",
    "units:string",
    "reference_range:string",
    "abnormal_flag:string",
    "result_status:string!",
    "observed_at:timestamp:phi",
    "resulted_at:timestamp",
    "message_time:timestamp!",
  ],
  load: cdc(["accession_number", "order_code", "observation_seq"], "message_time"),
};
const MED_ORDERS: TableTemplate = {
  id: "medication_orders",
  description: "Medication orders with dose and route.",
  columns: [
    "order_id:bigint!:phi",
    "encounter_id:bigint!:phi",
    "patient_id:string!:phi",
    "provider_id:string",
    "ndc_code:string",
    "dose:decimal(10,3)",
    "route:string",
    "ordered_at:timestamp:phi",
    "updated_at:timestamp!",
  ],
  load: cdc(["order_id"]),
};
const DEPARTMENTS: TableTemplate = {
  id: "departments",
  description: "Departments and units of each hospital.",
  columns: [
    "department_id:bigint!",
    "department_name:string",
    "hospital_id:string",
    "updated_at:timestamp!",
  ],
  load: full,
};

const EMPLOYEES: TableTemplate = {
  id: "employees",
  description: "Workers of every hospital and the system office.",
  columns: [
    "employee_id:string!:pii",
    "first_name:string:pii",
    "last_name:string:pii",
    "job_title:string",
    "department_id:bigint",
    "hospital_id:string",
    "hire_date:date",
    "hourly_rate:decimal(8,2):confidential",
    "updated_at:timestamp!",
  ],
  load: cdc(["employee_id"]),
};
const PAYROLL: TableTemplate = {
  id: "payroll",
  description: "Pay statements per employee and pay period.",
  columns: [
    "payroll_id:bigint!",
    "employee_id:string!:pii",
    "pay_period_end:date!",
    "gross_pay:decimal(10,2):confidential",
    "net_pay:decimal(10,2):confidential",
    "hours_paid:decimal(6,2)",
    "updated_at:timestamp!",
  ],
  load: incr(),
  gold: true,
};
const TIMESHEETS: TableTemplate = {
  id: "timesheets",
  description: "Daily hours worked per employee.",
  columns: [
    "timesheet_id:bigint!",
    "employee_id:string!:pii",
    "work_date:date!",
    "hours_worked:decimal(5,2)",
    "department_id:bigint",
    "updated_at:timestamp!",
  ],
  load: incr(),
  partitionBy: ["work_date"],
};

const GL_ACCOUNTS: TableTemplate = {
  id: "gl_accounts",
  description: "Chart of accounts.",
  columns: [
    "account_id:string!",
    "account_name:string",
    "account_type:string",
    "updated_at:timestamp!",
  ],
  load: full,
};
const GL_ENTRIES: TableTemplate = {
  id: "gl_entries",
  description: "Journal lines; every journal balances (debits equal credits).",
  columns: [
    "entry_id:bigint!",
    "journal_id:string!",
    "account_id:string!",
    "debit:decimal(14,2)",
    "credit:decimal(14,2)",
    "posted_date:date!",
    "cost_center:string",
    "updated_at:timestamp!",
  ],
  load: incr(),
  gold: true,
};
const CLAIMS: TableTemplate = {
  id: "claims",
  description: "837 claims submitted to payers.",
  columns: [
    "claim_id:string!:phi",
    "patient_id:string!:phi",
    "encounter_id:bigint:phi",
    "payer_name:string",
    "member_id:string:phi",
    "icd10_code:string",
    "cpt_code:string",
    "billed_amount:decimal(12,2)",
    "service_date:date:phi",
    "updated_at:timestamp!",
  ],
  load: cdc(["claim_id"]),
};

const SAMPLES: TableTemplate = {
  id: "samples",
  description: "Accessioned specimens for molecular testing.",
  columns: [
    "sample_id:string!:phi",
    "mrn:string!:phi",
    "specimen_type:string",
    "collected_at:timestamp:phi",
    "received_at:timestamp",
    "updated_at:timestamp!",
  ],
  load: cdc(["sample_id"]),
};
/** The manifest the pipelines' FASTQ parser produces: one row per file, never the reads. */
const FASTQ_FILES: TableTemplate = {
  id: "fastq_files",
  description:
    "Manifest of FASTQ files: sample, lane, read and checksum (the files stay in landing).",
  columns: [
    "file_path:string!",
    "run_id:string",
    "sample_id:string!:phi",
    "lane:int",
    "read_number:int",
    "file_size_bytes:bigint",
    "md5:string",
    "read_count:bigint",
    "created_at:timestamp",
  ],
  load: { mode: "full" },
};
/** The variant rows the pipelines' VCF parser produces (one per ALT allele). */
const VARIANTS: TableTemplate = {
  id: "variants",
  description: "Called variants from single-sample VCF, one row per sample and allele.",
  columns: [
    "sample_id:string!:phi",
    "chrom:string!",
    "pos:bigint!",
    "ref:string!",
    "alt:string!",
    "genotype:string",
    "qual:double",
    "filter:string",
    "depth:int",
    "allele_fraction:decimal(6,4)",
    "gene_symbol:string",
    "hgvs_c:string",
    "hgvs_p:string",
    "consequence:string",
    "clinvar_significance:string",
    "gnomad_af:double",
    "pipeline_version:string",
    "called_at:timestamp",
  ],
  load: cdc(["sample_id", "chrom", "pos", "ref", "alt"], "called_at"),
  gold: true,
};

const BED_EVENTS: TableTemplate = {
  id: "bed_events",
  description: "Bed status changes from the bed board.",
  columns: [
    "event_id:bigint!",
    "bed_id:string!",
    "hospital_id:string",
    "status:string",
    "patient_id:string:phi",
    "event_time:timestamp!",
    "updated_at:timestamp!",
  ],
  load: incr("event_time"),
};
const PURCHASE_ORDERS: TableTemplate = {
  id: "purchase_orders",
  description: "Supply purchase orders.",
  columns: [
    "po_id:string!",
    "vendor_name:string",
    "hospital_id:string",
    "amount:decimal(12,2)",
    "ordered_date:date",
    "updated_at:timestamp!",
  ],
  load: cdc(["po_id"]),
};
const SURVEYS: TableTemplate = {
  id: "survey_responses",
  description: "Patient-experience survey responses.",
  columns: [
    "response_id:string!",
    "patient_id:string:phi",
    "hospital_id:string",
    "question_code:string",
    "score:int",
    "received_at:timestamp",
    "updated_at:timestamp!",
  ],
  load: incr(),
};
const WORK_ORDERS: TableTemplate = {
  id: "work_orders",
  description: "Facilities work orders.",
  columns: [
    "work_order_id:string!",
    "asset_id:string",
    "hospital_id:string",
    "priority:int",
    "opened_at:timestamp",
    "closed_at:timestamp",
    "updated_at:timestamp!",
  ],
  load: cdc(["work_order_id"]),
};

/** Every archetype; order matters only for determinism. */
export const ARCHETYPES: readonly Archetype[] = [
  {
    slug: "ehr",
    name: "EHR reporting database",
    vendor: "epic",
    domain: "clinical",
    classification: "phi",
    connection: { kind: "database", engine: "sqlserver" },
    cron: "30 5 * * *",
    tables: [DEPARTMENTS, PROVIDERS, PATIENTS, ENCOUNTERS, DIAGNOSES, PROCEDURES, MED_ORDERS],
  },
  {
    slug: "lab-hl7",
    name: "Lab results feed (HL7 v2)",
    vendor: "sunquest",
    domain: "clinical",
    classification: "phi",
    connection: { kind: "file-drop", format: "hl7" },
    cron: "*/30 * * * *",
    tables: [LAB_ORDERS, LAB_RESULTS],
  },
  {
    slug: "pharmacy",
    name: "Pharmacy system",
    vendor: "omnicell",
    domain: "clinical",
    classification: "phi",
    connection: { kind: "database", engine: "oracle" },
    cron: "0 3 * * *",
    tables: [PROVIDERS, PATIENTS, ENCOUNTERS, MED_ORDERS],
  },
  {
    slug: "billing",
    name: "Patient accounting and claims",
    vendor: "waystar",
    domain: "financial",
    classification: "phi",
    connection: { kind: "sftp" },
    cron: "0 4 * * *",
    tables: [PATIENTS, ENCOUNTERS, CLAIMS],
  },
  {
    slug: "gl",
    name: "General ledger",
    vendor: "oracle",
    domain: "financial",
    classification: "confidential",
    connection: { kind: "database", engine: "oracle" },
    cron: "0 2 * * *",
    tables: [GL_ACCOUNTS, GL_ENTRIES],
  },
  {
    slug: "hcm",
    name: "Human capital management",
    vendor: "workday",
    domain: "workforce",
    classification: "pii",
    connection: { kind: "api", auth: "oauth2" },
    cron: "0 1 * * *",
    tables: [DEPARTMENTS, EMPLOYEES, PAYROLL],
  },
  {
    slug: "timekeeping",
    name: "Timekeeping",
    vendor: "kronos",
    domain: "workforce",
    classification: "pii",
    connection: { kind: "database", engine: "sqlserver" },
    cron: "0 */6 * * *",
    tables: [EMPLOYEES, TIMESHEETS],
  },
  {
    slug: "lims",
    name: "Molecular lab LIMS",
    vendor: "sunquest",
    domain: "genomics",
    classification: "phi",
    connection: { kind: "database", engine: "postgres" },
    cron: "0 */2 * * *",
    tables: [SAMPLES],
  },
  {
    slug: "sequencer",
    name: "Sequencer output (FASTQ manifests)",
    vendor: "illumina",
    domain: "genomics",
    classification: "phi",
    connection: { kind: "file-drop", format: "fastq" },
    cron: "0 */4 * * *",
    tables: [FASTQ_FILES],
  },
  {
    slug: "variant-calls",
    name: "Variant calls (VCF)",
    vendor: "illumina",
    domain: "genomics",
    classification: "phi",
    connection: { kind: "file-drop", format: "vcf" },
    cron: "30 */4 * * *",
    tables: [VARIANTS],
  },
  {
    slug: "bed-board",
    name: "Bed management events",
    vendor: "teletracking",
    domain: "operations",
    classification: "phi",
    connection: { kind: "stream", platform: "kafka" },
    cron: "*/15 * * * *",
    tables: [BED_EVENTS],
  },
  {
    slug: "supply-chain",
    name: "Supply chain",
    vendor: "infor",
    domain: "operations",
    classification: "confidential",
    connection: { kind: "file-drop", format: "parquet" },
    cron: "0 3 * * *",
    tables: [PURCHASE_ORDERS],
  },
  {
    slug: "patient-experience",
    name: "Patient-experience surveys",
    vendor: "press-ganey",
    domain: "operations",
    classification: "phi",
    connection: { kind: "file-drop", format: "csv" },
    cron: "0 7 * * 1",
    tables: [SURVEYS],
  },
  {
    slug: "facilities",
    name: "Facilities maintenance",
    vendor: "maximo",
    domain: "operations",
    classification: "internal",
    connection: { kind: "file-drop", format: "json" },
    cron: "0 2 * * *",
    tables: [WORK_ORDERS],
  },
];

/** A parsed column spec. */
export interface ColumnSpec {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly classification: Classification;
}

/** Parses `name:type[!][:classification]`. */
export function parseColumn(spec: string): ColumnSpec {
  const [name, rawType, cls] = spec.split(":");
  const nullable = !rawType.endsWith("!");
  return {
    name,
    type: nullable ? rawType : rawType.slice(0, -1),
    nullable,
    classification: (cls ?? "internal") as Classification,
  };
}

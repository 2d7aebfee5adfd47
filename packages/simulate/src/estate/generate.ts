/**
 * `hdp simulate estate`: a valid config tree of any size from a seed. Pure: returns the files
 * (relative path -> text, sorted), so the same options always give the same bytes.
 */
import { createHash } from "node:crypto";
import {
  CORE_RESOURCES,
  DEFAULT_RESOURCE_BUDGET,
  SHARD_OVERHEAD_RESOURCES,
  sourceResources,
} from "@hdp/config";
import { Random } from "../random";
import {
  ARCHETYPES,
  parseColumn,
  type Archetype,
  type ConnectionKind,
  type Domain,
  type TableTemplate,
} from "./archetypes";
import { emitYaml, type Doc } from "./emit-yaml";
import { KINDS, PLACES, REGIONS } from "./places";
import {
  environmentClassFor,
  groupByTasks,
  MAX_DAGS,
  GENERATED_JOB_TASKS,
  planShards,
  type SourceSize,
} from "./sizing";

export interface EstateOptions {
  /** Hospitals in platform.yaml (1-64). */
  readonly hospitals: number;
  /** Source systems (1-3,960: every source is at least one Airflow DAG). */
  readonly sources: number;
  /** Average tables per source (1-500). */
  readonly tablesPerSource: number;
  readonly seed: number | string;
}

/**
 * Named sizes. `health-system`: the real system's scale — 16 hospitals, 3,750 source systems,
 * ~124,000 tables and 3,960 Airflow DAGs per environment (as many as one MWAA environment runs,
 * less 1% headroom), ~517,000 resources over dev, stage and prod.
 */
export const ESTATE_PRESETS = {
  small: { hospitals: 4, sources: 12, tablesPerSource: 4, seed: 1 },
  "health-system": { hospitals: 16, sources: 3750, tablesPerSource: 35, seed: 1 },
} as const satisfies Record<string, EstateOptions>;
export type EstatePreset = keyof typeof ESTATE_PRESETS;

const isRaw = (a: Archetype): boolean =>
  a.connection.kind === "file-drop" && ["hl7", "vcf", "fastq"].includes(a.connection.format);

/**
 * Archetypes as drawn after the first five sources: systems with tables of rows four times as
 * often as raw instrument and message feeds (HL7, VCF, FASTQ), which a health system runs few of
 * (a lab interface engine, a few sequencers) next to its hundreds of databases and extracts.
 */
const ARCHETYPE_POOL: readonly Archetype[] = ARCHETYPES.flatMap((a) =>
  isRaw(a) ? [a] : [a, a, a, a],
);

/** Estimated resources of an environment's core stack and of every shard's own part (@hdp/config). */
const CORE_WEIGHT = CORE_RESOURCES;
const STACK_OVERHEAD = SHARD_OVERHEAD_RESOURCES;

export interface GeneratedEstate {
  /** Relative path -> file text, in path order. */
  readonly files: ReadonlyMap<string, string>;
  readonly summary: {
    readonly hospitals: number;
    readonly sources: number;
    readonly tables: number;
    readonly pipelines: number;
    /** Estimated resources per environment (what shards were sized with). */
    readonly estimatedResources: Readonly<Record<string, number>>;
    readonly stacks: Readonly<Record<string, number>>;
  };
}

const DOMAINS: readonly {
  id: Domain;
  name: string;
  team: string;
  cc: string;
  max: string;
  description: string;
}[] = [
  {
    id: "clinical",
    name: "Clinical",
    team: "clinical-data-eng",
    cc: "CC-7101",
    max: "phi",
    description: "Patient care as documented in the EHRs and ancillary clinical systems.",
  },
  {
    id: "financial",
    name: "Finance and Revenue Cycle",
    team: "finance-data",
    cc: "CC-7102",
    max: "phi",
    description: "General ledger, patient accounting and claims.",
  },
  {
    id: "workforce",
    name: "Workforce",
    team: "people-analytics",
    cc: "CC-7103",
    max: "pii",
    description: "Employees, payroll and timekeeping (~36,000 staff at full scale).",
  },
  {
    id: "genomics",
    name: "Genomics",
    team: "genomics-informatics",
    cc: "CC-7104",
    max: "phi",
    description: "Samples, sequencer runs and variant calls.",
  },
  {
    id: "operations",
    name: "Operations",
    team: "ops-analytics",
    cc: "CC-7105",
    max: "phi",
    description: "Patient flow, supply chain, facilities and patient experience.",
  },
];

/** Validates the options; returns every problem at once. */
export function checkEstateOptions(o: EstateOptions): string[] {
  const problems: string[] = [];
  const int = (name: string, v: number, min: number, max: number): void => {
    if (!Number.isInteger(v) || v < min || v > max)
      problems.push(
        `--${name} must be a whole number from ${min} to ${max.toLocaleString("en-US")} (got ${v})`,
      );
  };
  int("hospitals", o.hospitals, 1, 64);
  int("sources", o.sources, 1, MAX_DAGS);
  int("tables-per-source", o.tablesPerSource, 1, 500);
  return problems;
}

interface SourceOut {
  readonly id: string;
  readonly archetype: Archetype;
  readonly tables: readonly TableTemplate[];
  readonly tableIds: readonly string[];
  /** Table documents, in table order, with their Spark task count (layers past landing). */
  readonly tableDocs: readonly {
    readonly doc: Doc;
    readonly tasks: number;
    readonly dev: boolean;
  }[];
  /** Drawn: a reference pipeline for its first, full-load table (if the DAG budget allows). */
  readonly wantsReference: boolean;
  /** Decided: declared pipelines (id, table ids); the implied `ingest` takes the other tables. */
  declared: { id: string; description: string; tables: string[] }[];
}

/** The pipelines a source declares: `reference` first (if any), then parts past the first. */
function declaredPipelines(s: SourceOut, reference: boolean): SourceOut["declared"] {
  const out: SourceOut["declared"] = [];
  const start = reference ? 1 : 0;
  if (reference)
    out.push({
      id: "reference",
      description: "Reference data the other tables join to",
      tables: [s.tableIds[0]],
    });
  // The implied `ingest` pipeline takes the first group; each further group of at most
  // GENERATED_JOB_TASKS tasks is its own pipeline (why 100 and not Databricks' 1,000: sizing.ts).
  // The description's wording is part of the generated bytes (pinned): kept as it was.
  const groups = groupByTasks(s.tableDocs.slice(start).map((t) => t.tasks));
  let at = start + groups[0];
  groups.slice(1).forEach((size, g) => {
    out.push({
      id: `part-${g + 2}`,
      description: `Tables ${at + 1}-${at + size} of the extract (a Databricks job runs at most ${GENERATED_JOB_TASKS} tasks)`,
      tables: s.tableIds.slice(at, at + size),
    });
    at += size;
  });
  return out;
}

const pipelineCount = (s: SourceOut): number => s.declared.length + 1;
/** Spark layers (schemas) a source's tables reach: their layers are landing, bronze[, silver[, gold]]. */
const sparkLayers = (tables: readonly { readonly tasks: number }[]): number =>
  tables.reduce((m, t) => Math.max(m, t.tasks), 0);

export function generateEstate(options: EstateOptions): GeneratedEstate {
  const problems = checkEstateOptions(options);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const rng = new Random(options.seed);
  const files = new Map<string, string>();
  const header = `# Generated by hdp simulate estate (seed ${String(options.seed)}); synthetic, no real system.\n`;
  const put = (path: string, doc: Doc): void => {
    files.set(path, header + emitYaml(doc));
  };

  const hospitals = makeHospitals(options.hospitals, rng.fork("hospitals"));
  put("platform.yaml", platformDoc(hospitals));

  const sources: SourceOut[] = [];
  const perSlug = new Map<string, number>();
  const srng = rng.fork("sources");
  let dags = 0;
  for (let i = 0; i < options.sources; i++) {
    // The first five sources cover the five domains; then any archetype.
    const archetype =
      i < DOMAINS.length
        ? srng.pick(ARCHETYPES.filter((a) => a.domain === DOMAINS[i].id))
        : srng.pick(ARCHETYPE_POOL);
    const n = (perSlug.get(archetype.slug) ?? 0) + 1;
    perSlug.set(archetype.slug, n);
    const id = `${archetype.slug}-${n}`;
    // Raw-format sources deliver exactly the tables their parser produces.
    const raw = isRaw(archetype);
    const wanted = Math.max(1, Math.round(options.tablesPerSource * (0.75 + srng.next() * 0.5)));
    const count = raw ? archetype.tables.length : wanted;
    const tables = Array.from(
      { length: count },
      (_, k) => archetype.tables[k % archetype.tables.length],
    );
    const tableIds = tables.map((t, k) =>
      k < archetype.tables.length ? t.id : `${t.id}_${Math.floor(k / archetype.tables.length) + 1}`,
    );
    const wantsReference = tables.length >= 3 && tables[0].load.mode === "full" && srng.chance(0.5);
    const trng = srng.fork(`${id}/tables`);
    const tableDocs = tables.map((t, k) => tableDoc(t, tableIds[k], k, archetype, trng));
    const source: SourceOut = {
      id,
      archetype,
      tables,
      tableIds,
      tableDocs,
      wantsReference,
      declared: [],
    };
    source.declared = declaredPipelines(source, false);
    sources.push(source);
    dags += pipelineCount(source);
    // Stop as soon as the DAGs cannot fit: a large request fails in a moment, not after minutes.
    if (dags > MAX_DAGS)
      throw new Error(
        `this estate needs more than ${MAX_DAGS.toLocaleString("en-US")} Airflow DAGs per environment, the most one MWAA environment runs here (a generated pipeline runs at most ${GENERATED_JOB_TASKS} tasks, so a large source runs several): lower --sources or --tables-per-source`,
      );
  }
  // Reference pipelines are extras, added while the largest MWAA class has room for their DAGs.
  for (const s of sources) {
    if (!s.wantsReference) continue;
    const declared = declaredPipelines(s, true);
    const extra = declared.length - s.declared.length;
    if (dags + extra > MAX_DAGS) continue;
    dags += extra;
    s.declared = declared;
  }

  const emitted = sources.map((s) => {
    const domain = DOMAINS.find((d) => d.id === s.archetype.domain)!;
    const { doc, stageEnabled } = sourceDoc(s, domain, hospitals, srng.fork(s.id));
    put(`sources/${s.id}/source.yaml`, doc);
    s.tableDocs.forEach((t, k) => put(`sources/${s.id}/tables/${s.tableIds[k]}.yaml`, t.doc));
    return { s, stageEnabled };
  });

  const sizes: SourceSize[] = sources.map((s) => ({
    id: s.id,
    domain: s.archetype.domain,
    weight: sourceResources(s.tables.length, pipelineCount(s), sparkLayers(s.tableDocs)),
  }));
  // Resources an environment gets: the sources enabled there, with the tables enabled there.
  const envWeight = (env: "dev" | "stage" | "prod"): number =>
    emitted.reduce((n, { s, stageEnabled }) => {
      if (env === "stage" && !stageEnabled) return n;
      const tables = env === "dev" ? s.tableDocs.filter((t) => t.dev) : s.tableDocs;
      return n + sourceResources(tables.length, pipelineCount(s), sparkLayers(tables));
    }, 0);
  const estimated: Record<string, number> = {};
  const stacks: Record<string, number> = {};
  const erng = rng.fork("environments");
  for (const env of ["dev", "stage", "prod"] as const) {
    const shards = planShards(sizes, CORE_WEIGHT);
    estimated[env] = envWeight(env) + CORE_WEIGHT + STACK_OVERHEAD * shards.length;
    stacks[env] = shards.length === 0 ? 1 : shards.length + 1;
    put(`environments/${env}.yaml`, environmentDoc(env, dags, sources.length, shards, erng));
  }

  const sorted = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    files: sorted,
    summary: {
      hospitals: hospitals.length,
      sources: sources.length,
      tables: sources.reduce((n, s) => n + s.tables.length, 0),
      pipelines: dags,
      estimatedResources: estimated,
      stacks,
    },
  };
}

interface Hospital {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly beds: number;
  readonly teaching: boolean;
}

function makeHospitals(count: number, rng: Random): Hospital[] {
  const out: Hospital[] = [];
  const used = new Set<string>();
  for (let i = 0; out.length < count; i++) {
    const place = PLACES[i % PLACES.length];
    const kind = rng.pick(KINDS);
    const suffix = i >= PLACES.length ? ` ${Math.floor(i / PLACES.length) + 1}` : "";
    const name = `${place} ${kind}${suffix}`;
    const id = kebab(`${place}${suffix}`);
    if (used.has(id)) continue;
    used.add(id);
    const critical = kind === "Critical Access Hospital";
    out.push({
      id,
      name,
      region: rng.pick(REGIONS),
      beds: critical ? 25 : rng.int(40, 900),
      teaching: !critical && rng.chance(0.3),
    });
  }
  return out;
}

const kebab = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 32)
    .replace(/-$/, "");

function platformDoc(hospitals: readonly Hospital[]): Doc {
  return {
    organization: { id: "sim", name: "Simulated Health System" },
    aws: { region: "us-east-2" },
    tags: {
      required: ["owner", "domain", "data-classification", "environment", "cost-center"],
      defaults: { "managed-by": "pulumi", project: "health-data-platform", synthetic: "true" },
    },
    hospitals: hospitals.map((h) => ({
      id: h.id,
      name: h.name,
      region: h.region,
      beds: h.beds,
      ...(h.teaching ? { teaching: true } : {}),
    })),
    domains: DOMAINS.map((d) => ({
      id: d.id,
      name: d.name,
      description: d.description,
      owner: { team: d.team, email: `${d.team}@example.org` },
      costCenter: d.cc,
      maxClassification: d.max,
    })),
  };
}

function connectionDoc(c: ConnectionKind, id: string, rng: Random): Doc {
  const secretName = `hdp/${id}/reader`;
  switch (c.kind) {
    case "database": {
      const port = { sqlserver: 1433, oracle: 1521, postgres: 5432, mysql: 3306, db2: 50000 }[
        c.engine
      ];
      return {
        kind: "database",
        engine: c.engine,
        host: `${id}.db.sim.internal`,
        port,
        database: id.replace(/-/g, "_"),
        secretName,
      };
    }
    case "sftp":
      return {
        kind: "sftp",
        host: `sftp.${id}.example.org`,
        path: "/outbound",
        filePattern: "*.csv",
        secretName,
      };
    case "api":
      return { kind: "api", baseUrl: `https://api.${id}.example.org/v1`, auth: c.auth, secretName };
    case "stream":
      return {
        kind: "stream",
        platform: c.platform,
        topic: `${id}.events`,
        ...(rng.chance(0.5) ? { secretName } : {}),
      };
    case "file-drop": {
      const ext = {
        csv: "csv",
        parquet: "parquet",
        json: "json",
        hl7: "hl7",
        fastq: "fastq.gz",
        vcf: "vcf.gz",
      }[c.format];
      return { kind: "file-drop", format: c.format, filePattern: `${id}/*/*.${ext}` };
    }
  }
}

function sourceDoc(
  s: SourceOut,
  domain: (typeof DOMAINS)[number],
  hospitals: readonly Hospital[],
  rng: Random,
): { doc: Doc; stageEnabled: boolean } {
  const a = s.archetype;
  const served = rng.chance(0.6)
    ? "all"
    : [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.pick(hospitals).id))].sort();
  const environments: Record<string, Doc> = {};
  if (rng.chance(0.3)) environments.dev = { schedule: { cron: "0 6 * * 1" } };
  const stageEnabled = !rng.chance(0.05);
  if (!stageEnabled) environments.stage = { enabled: false };
  const doc: Doc = {
    id: s.id,
    name: `${a.name} ${s.id.slice(a.slug.length + 1)}`,
    description: `Synthetic ${a.name.toLowerCase()} (${a.vendor}-like).`,
    domain: a.domain,
    hospitals: served,
    owner: { team: domain.team, email: `${domain.team}@example.org` },
    classification: a.classification,
    connection: connectionDoc(a.connection, s.id, rng),
    schedule: { cron: a.cron },
    ...(s.declared.length > 0 ? { pipelines: s.declared.map((p) => ({ ...p })) } : {}),
    tags: { vendor: a.vendor },
    ...(Object.keys(environments).length > 0 ? { environments } : {}),
  };
  return { doc, stageEnabled };
}

function tableDoc(
  t: TableTemplate,
  id: string,
  index: number,
  a: Archetype,
  rng: Random,
): { doc: Doc; tasks: number; dev: boolean } {
  const raw =
    a.connection.kind === "file-drop" && ["hl7", "vcf", "fastq"].includes(a.connection.format);
  // Half the CDC feeds of row sources mark deletes in an operation column (I/U/D).
  const deletes = t.load.mode === "cdc" && !raw && rng.chance(0.5);
  const columns = [...t.columns, ...(deletes ? ["op:string"] : [])].map(parseColumn);
  const rank = ["public", "internal", "confidential", "pii", "phi"];
  const top = columns.reduce((m, c) => Math.max(m, rank.indexOf(c.classification)), 1);
  const layers = t.gold
    ? ["landing", "bronze", "silver", "gold"]
    : rng.chance(0.05)
      ? ["landing", "bronze"]
      : ["landing", "bronze", "silver"];
  const environments: Record<string, Doc> = {};
  if (index > 0 && rng.chance(0.05)) environments.dev = { enabled: false };
  if (rng.chance(0.05)) environments.prod = { retention: { days: 3650 } };
  const load =
    t.load.mode === "cdc"
      ? {
          mode: "cdc",
          keys: [...t.load.keys],
          sequenceBy: t.load.sequenceBy,
          ...(deletes ? { deletes: { column: "op", values: ["D"] } } : {}),
        }
      : t.load.mode === "incremental"
        ? {
            mode: "incremental",
            watermark: t.load.watermark,
            ...(rng.chance(0.3) ? { lookbackMinutes: 60 } : {}),
          }
        : { mode: "full" };
  const doc: Doc = {
    id,
    description:
      id === t.id
        ? t.description
        : `${t.description} (${a.vendor} extract ${id.slice(t.id.length + 1)})`,
    classification: rank[top],
    columns: columns.map((c) => ({
      name: c.name,
      type: c.type,
      ...(c.nullable ? {} : { nullable: false }),
      ...(c.classification === "internal" ? {} : { classification: c.classification }),
    })),
    load,
    layers,
    retention: { landingDays: rng.pick([7, 30, 90]), days: top >= 3 ? 2555 : 0 },
    ...(t.partitionBy !== undefined ? { partitionBy: [...t.partitionBy] } : {}),
    ...(Object.keys(environments).length > 0 ? { environments } : {}),
  };
  // A task per Spark layer (bronze, silver, gold) the table reaches.
  return { doc, tasks: layers.length - 1, dev: environments.dev === undefined };
}

/** A UUID (version 4 layout) named by `seed`: the same seed, the same id. */
function nameUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const hex = (rng: Random, n: number): string =>
  Array.from({ length: n }, () => "0123456789abcdef"[rng.int(0, 15)]).join("");

function environmentDoc(
  env: "dev" | "stage" | "prod",
  dags: number,
  sources: number,
  shards: readonly { id: string; domains: readonly string[]; sources: readonly string[] }[],
  rng: Random,
): Doc {
  const account = { dev: "100000000001", stage: "100000000002", prod: "100000000003" }[env];
  const real = env !== "dev";
  const quotas: Record<string, number> = {};
  const roundUp = (n: number): number => Math.ceil((n * 1.1) / 500) * 500;
  if (sources + 10 > 1000) quotas.iamRolesPerAccount = roundUp(sources + 10);
  if (sources + 10 > 1500) quotas.iamManagedPoliciesPerAccount = roundUp(sources * 2 + 10);
  if (sources * 3 > 10000) quotas.unityCatalogSchemasPerCatalog = roundUp(sources * 3);
  if (dags > 12000) quotas.databricksJobsPerWorkspace = roundUp(dags);
  return {
    name: env,
    aws: {
      accountId: account,
      vpcId: `vpc-${hex(rng, 17)}`,
      privateSubnetIds: [`subnet-${hex(rng, 17)}`, `subnet-${hex(rng, 17)}`],
    },
    databricks: {
      workspaceUrl: `https://sim-${env}.cloud.databricks.com`,
      metastoreId: `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`,
      adminGroup: `hdp-${env}-admins`,
      // Environments with real PHI: a private network path only, short-lived tokens, and jobs
      // that run as a service principal (a synthetic application id). Every environment names
      // the service principal Airflow's Databricks connection signs in as (it runs the jobs its
      // DAGs trigger); derived from the environment, so the generator's draws stay as they were.
      hardening: {
        ...(real
          ? {
              ipAccessList: ["10.250.0.0/16"],
              maxTokenLifetimeDays: 30,
              jobsRunAs: `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`,
            }
          : {}),
        airflowPrincipal: nameUuid(`hdp-${env}-airflow-${account}`),
      },
    },
    phi: real ? "real" : "synthetic",
    enforcement: real ? "mandatory" : "advisory",
    protectStatefulResources: real,
    airflow: {
      environmentClass: environmentClassFor(dags),
      minWorkers: 1,
      maxWorkers: env === "prod" ? 25 : 10,
      version: "3.0.6",
    },
    compute: {
      autoterminationMinutes: env === "prod" ? 60 : 20,
      maxWorkers: env === "prod" ? 64 : 16,
      nodeTypes: ["m5d.2xlarge", "i3.xlarge"],
      sparkVersions: env === "dev" ? ["auto:latest-lts"] : ["15.4.x-scala2.12"],
    },
    retention: {
      noncurrentVersionDays: env === "dev" ? 1 : 7,
      // Environments holding real PHI keep audit logs six years (the loader enforces it).
      logDays: env === "dev" ? 90 : 2192,
    },
    sharding: {
      resourceBudget: DEFAULT_RESOURCE_BUDGET,
      shards: shards.map((s) => ({
        id: s.id,
        ...(s.domains.length > 0 ? { domains: [...s.domains] } : {}),
        ...(s.sources.length > 0 ? { sources: [...s.sources] } : {}),
      })),
    },
    alertEmails: [`hdp-${env}-alerts@example.org`],
    // Prod's PHI buckets are copied to a vault of another (synthetic) account.
    ...(env === "prod"
      ? {
          offAccountCopy: {
            destinationVaultArn:
              "arn:aws:backup:us-east-2:100000000009:backup-vault:hdp-prod-phi-copy",
          },
        }
      : {}),
    ...(Object.keys(quotas).length > 0 ? { policies: { quotas } } : {}),
    // People reach the PRIVATE_ONLY Airflow UI over the VPN (a synthetic private range).
    access: { airflowUi: { cidrs: ["10.250.0.0/16"] } },
  };
}

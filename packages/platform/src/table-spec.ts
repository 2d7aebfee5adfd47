/**
 * The per-table spec the ingest code (`pipelines/`, Python) reads: rendered from the Estate, so
 * the Python never parses the YAML. One JSON document per enabled table that goes past landing,
 * per environment; `pipelines/src/hdp_pipelines/spec.py` is its reader (same `specVersion`).
 * Pure functions: same estate, same bytes.
 */
import {
  catalogName,
  effectiveEstate,
  lakeBucketName,
  landingFormatOf,
  type IngestFormat,
  schemaName,
  type ColumnConfig,
  type EffectiveSource,
  type EffectiveTable,
  type Estate,
  type Layer,
} from "@hdp/config";
import { nameContext } from "./names";

/** Bumped when the JSON shape changes; the Python reader refuses other versions. */
export const TABLE_SPEC_VERSION = 1;

/** Formats bronze reads directly, and raw vendor formats a parse step turns into rows. */
export type LandingFormat = IngestFormat;

/** One table's spec as JSON. Field names are the contract with `hdp_pipelines.spec`. */
export interface TableSpecJson {
  readonly specVersion: number;
  readonly environment: string;
  readonly source: string;
  readonly table: string;
  readonly description: string;
  readonly domain: string;
  readonly classification: string;
  readonly columns: readonly {
    readonly name: string;
    readonly type: string;
    readonly nullable: boolean;
    readonly classification: string;
    readonly description: string | null;
  }[];
  readonly load: {
    readonly mode: "full" | "incremental" | "cdc";
    readonly keys: readonly string[];
    /** The column ordering records of one key (cdc `sequenceBy`, incremental `watermark`). */
    readonly orderBy: string | null;
    readonly delete: { readonly column: string; readonly values: readonly string[] } | null;
  };
  readonly partitionBy: readonly string[];
  readonly layers: readonly Layer[];
  readonly landing: { readonly format: LandingFormat; readonly path: string };
  /** Unity Catalog three-level names of the layers the table reaches, and of its quarantine. */
  readonly tables: Readonly<Partial<Record<"bronze" | "silver" | "gold" | "quarantine", string>>>;
  readonly gold: {
    readonly groupBy: readonly string[];
    readonly measures: readonly {
      readonly name: string;
      readonly function: string;
      readonly column: string | null;
    }[];
  } | null;
  /** The config files the spec came from, relative to the configs directory. */
  readonly generatedFrom: readonly string[];
}

/** One rendered spec file. */
export interface RenderedTableSpec {
  /** `<source>/<table>` */
  readonly key: string;
  /** Path relative to the environment's deployed code root: `specs/<source>/<table>.json`. */
  readonly path: string;
  readonly spec: TableSpecJson;
  /** The file's bytes: 2-space JSON and a final newline. */
  readonly content: string;
}

/** Where a table's spec lives relative to the deployed code root. */
export const tableSpecPath = (source: string, table: string): string =>
  `${sourceSpecFolder(source)}/${table}.json`;

/** The folder of a source's specs relative to the deployed code root: `specs/<source>`. */
export const sourceSpecFolder = (source: string): string => `specs/${source}`;

/** Suffix of a table's quarantine table, in its silver schema. */
export const QUARANTINE_SUFFIX = "__quarantine";

/**
 * The landing format of a table (see `landingFormatOf` of @hdp/config, which `hdp validate`
 * checks): throws naming the file when nothing says it.
 */
export function landingFormat(
  source: Pick<EffectiveSource, "connection" | "origin">,
  table: Pick<EffectiveTable, "landingFormat" | "origin" | "key">,
): LandingFormat {
  const landing = landingFormatOf(source.connection, table);
  if ("problem" in landing) {
    throw new Error(
      `${table.origin.file}: landingFormat: ${table.key}: ${landing.problem} (${source.origin.file})`,
    );
  }
  return landing.format;
}

const column = (c: ColumnConfig): TableSpecJson["columns"][number] => ({
  name: c.name,
  type: c.type,
  nullable: c.nullable,
  classification: c.classification,
  description: c.description ?? null,
});

function load(t: EffectiveTable): TableSpecJson["load"] {
  const l = t.load;
  switch (l.mode) {
    case "full":
      return { mode: "full", keys: [], orderBy: null, delete: null };
    case "incremental":
      return { mode: "incremental", keys: [...(l.keys ?? [])], orderBy: l.watermark, delete: null };
    case "cdc":
      return {
        mode: "cdc",
        keys: [...l.keys],
        orderBy: l.sequenceBy ?? null,
        delete: l.deletes ? { column: l.deletes.column, values: [...l.deletes.values] } : null,
      };
  }
}

/** One table's spec in one environment (enabled or not: callers choose). */
export function renderTableSpec(
  estate: Estate,
  env: string,
  source: EffectiveSource,
  table: EffectiveTable,
): TableSpecJson {
  const environment = estate.environments.find((e) => e.name === env);
  if (environment === undefined) throw new Error(`unknown environment "${env}"`);
  const c = nameContext(estate, environment);
  const catalog = catalogName(c);
  const uc = (layer: Layer, suffix = ""): string =>
    `${catalog}.${schemaName(table.source, layer)}.${table.id}${suffix}`;
  const tables: Partial<Record<"bronze" | "silver" | "gold" | "quarantine", string>> = {};
  for (const layer of ["bronze", "silver", "gold"] as const) {
    if (table.layers.includes(layer)) tables[layer] = uc(layer);
  }
  if (table.layers.includes("silver")) tables.quarantine = uc("silver", QUARANTINE_SUFFIX);
  const landingBucket = lakeBucketName(c, source.domain, "landing");
  return {
    specVersion: TABLE_SPEC_VERSION,
    environment: env,
    source: table.source,
    table: table.id,
    description: table.description,
    domain: source.domain,
    classification: table.classification,
    columns: table.columns.map(column),
    load: load(table),
    partitionBy: [...table.partitionBy],
    layers: [...table.layers],
    landing: {
      format: landingFormat(source, table),
      path: `s3://${landingBucket}/${table.source}/${table.id}/`,
    },
    tables,
    gold: table.gold
      ? {
          groupBy: [...table.gold.groupBy],
          measures: table.gold.measures.map((m) => ({
            name: m.name,
            function: m.function,
            column: m.column ?? null,
          })),
        }
      : null,
    generatedFrom: [source.origin.file, table.origin.file],
  };
}

/**
 * The specs of every enabled table of an environment that goes past landing, sorted by key.
 * Throws once with every table whose spec cannot be rendered.
 */
export function renderTableSpecs(estate: Estate, env: string): RenderedTableSpec[] {
  const view = effectiveEstate(estate, env);
  const sources = new Map(view.sources.map((s) => [s.id, s]));
  const sourceOf = (table: EffectiveTable): EffectiveSource => {
    const source = sources.get(table.source);
    if (source === undefined) throw new Error(`${table.key}: unknown source "${table.source}"`);
    return source;
  };
  return renderSpecs(estate, env, sourceOf, view.tables);
}

/**
 * The specs of one source's tables (those enabled and past landing), sorted by key: what a shard
 * deploys for the source, without rendering the rest of the environment.
 */
export function renderSourceTableSpecs(
  estate: Estate,
  env: string,
  source: EffectiveSource,
  tables: readonly EffectiveTable[],
): RenderedTableSpec[] {
  return renderSpecs(estate, env, () => source, tables);
}

function renderSpecs(
  estate: Estate,
  env: string,
  sourceOf: (t: EffectiveTable) => EffectiveSource,
  tables: readonly EffectiveTable[],
): RenderedTableSpec[] {
  const out: RenderedTableSpec[] = [];
  const problems: string[] = [];
  for (const table of tables) {
    if (!table.enabled || !table.layers.some((l) => l !== "landing")) continue;
    const source = sourceOf(table);
    try {
      const spec = renderTableSpec(estate, env, source, table);
      out.push({
        key: table.key,
        path: tableSpecPath(table.source, table.id),
        spec,
        content: `${JSON.stringify(spec, null, 2)}\n`,
      });
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (problems.length > 0) {
    throw new Error(`table specs of ${env}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

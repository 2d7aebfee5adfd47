/**
 * The plan of one stack as plain data: which domains get a lake, which sources get an ingest
 * role, schemas and jobs, with every name, tag, prefix, task and schedule resolved from the
 * environment's effective estate. Pure: `buildStack` only turns this into resources.
 */
import {
  catalogName,
  dagBucketName,
  effectiveEstate,
  ingestRoleName,
  lakeKeyAlias,
  perEnvironment,
  type ClassificationLevel,
  type EffectiveEstate,
  type EffectivePipeline,
  type EffectiveSource,
  type EffectiveTable,
  type Environment,
  type Estate,
  type Layer,
  type Source,
} from "@hdp/config";
import { DAG_LAYERS, dagModels, type DagModel } from "@hdp/dags";
import { INGEST_LAYERS, type IngestTaskSpec, type SchemaLayer } from "@hdp/spark";
import { ingestTask } from "./ingest-paths";
import { renderSourceTableSpecs } from "./table-spec";
import { assertEnvironmentDags } from "./dag-checks";
import {
  clusterPolicyName,
  domainLogBucketName,
  ingestJobName,
  instancePoolName,
  lakeBucketNames,
  nameContext,
  pipelineLogicalName,
  type NameContext,
} from "./names";
import { stackRole, stackSpec, type StackRole, type StackSpec } from "./stacks";
import { domainTags, sharedTags, sourceTags, type Tags } from "./tags";

/**
 * Job clusters of one domain the pool is sized for at their largest; more concurrent jobs share
 * what is left (clusters start at one worker and scale up).
 */
export const POOL_CONCURRENT_JOBS = 4;

/** One domain's shared objects: its lake, cluster policy and instance pool. */
export interface DomainPlan {
  readonly id: string;
  readonly classification: ClassificationLevel;
  readonly tags: Tags;
  readonly bucketNames: Readonly<Record<Layer, string>>;
  readonly logBucketName: string;
  readonly keyAlias: string;
  readonly policyName: string;
  readonly poolName: string;
  /** Enabled pipelines of the domain in the environment (all shards). */
  readonly pipelineCount: number;
  /** Maximum instances of the domain's pool. */
  readonly poolCapacity: number;
}

/**
 * One enabled pipeline: an ingest job with a task per table and layer, which its Airflow DAG
 * triggers. The job has no schedule of its own: Airflow is the one scheduler of record.
 */
export interface PipelinePlan {
  readonly id: string;
  readonly key: string;
  readonly dagId: string;
  readonly logicalName: string;
  readonly jobName: string;
  /** `<table>__<layer>` tasks, each after the table's previous layer. */
  readonly tasks: readonly IngestTaskSpec[];
  /** Tables of the pipeline that run in Spark (their specs are deployed with the source). */
  readonly tables: readonly string[];
  /** Longest one task may run (Databricks stops it; the DAG's task has the same timeout). */
  readonly timeoutMinutes: number;
  readonly dependsOn: readonly string[];
}

/** One enabled source of the stack and what it gets. */
export interface SourcePlan {
  readonly id: string;
  readonly domain: string;
  readonly classification: ClassificationLevel;
  readonly tags: Tags;
  readonly roleName: string;
  /** Enabled tables landing files: the ingest role may write exactly `<source>/<table>/` of these. */
  readonly ingestTables: readonly string[];
  /** Layers (bronze, silver, gold) any enabled table of the source reaches: one schema each. */
  readonly schemaLayers: readonly SchemaLayer[];
  readonly pipelines: readonly PipelinePlan[];
  /** The specs of the source's tables that run in Spark, paths relative to the ingest root. */
  readonly specs: readonly { readonly path: string; readonly content: string }[];
}

/** Everything one stack creates. */
export interface StackPlan {
  readonly stack: StackSpec;
  readonly role: StackRole;
  readonly environment: Environment;
  readonly names: NameContext;
  readonly region: string;
  readonly catalogName: string;
  /** Domains with enabled sources in the environment (every shard's), sorted by id. */
  readonly domains: readonly DomainPlan[];
  /** Enabled sources of this stack, sorted by id (none in a core stack). */
  readonly sources: readonly SourcePlan[];
  readonly sharedTags: Tags;
  /** Airflow DAGs of the whole environment (pipelines with Spark work; see @hdp/dags). */
  readonly dagCount: number;
  /** Those DAGs, sorted by id (a stack uploads the ones of its own pipelines). */
  readonly dags: readonly DagModel[];
  /** The environment's DAG bucket. */
  readonly dagBucketName: string;
  /** Tags of DAG objects: the shared house tags (S3 allows 10 per object). */
  readonly dagObjectTags: Tags;
}

/** `protect` and `retainOnDelete` of stateful resources: both on where the environment says so. */
export function statefulOptions(plan: Pick<StackPlan, "environment">): {
  protect: boolean;
  retainOnDelete: boolean;
} {
  const p = plan.environment.protectStatefulResources;
  return { protect: p, retainOnDelete: p };
}

const byId = (a: { readonly id: string }, b: { readonly id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * What every stack of an environment shares: the effective estate, the enabled sources, tables
 * and pipelines grouped by source, the domains' shared objects and the environment's DAGs
 * (checked once). Computed once per estate and environment: a shard plans only its own sources,
 * and work over the whole environment per shard would grow with the estate squared (a 500,000
 * resource estate has ~70 shards per environment).
 */
interface EnvironmentPlan {
  readonly eff: EffectiveEstate;
  readonly effectiveSources: ReadonlyMap<string, EffectiveSource>;
  readonly names: NameContext;
  readonly active: readonly Source[];
  readonly tablesBySource: ReadonlyMap<string, readonly EffectiveTable[]>;
  readonly pipelinesBySource: ReadonlyMap<string, readonly EffectivePipeline[]>;
  readonly domainIds: readonly string[];
  readonly domains: readonly DomainPlan[];
  readonly dags: readonly DagModel[];
}

const environmentPlan = perEnvironment((estate: Estate, env: string): EnvironmentPlan => {
  const eff = effectiveEstate(estate, env);
  const environment = eff.environment;
  const names = nameContext(estate, environment);
  const active = activeSources(estate, eff);
  const group = <T extends { readonly source: string }>(items: readonly T[]) => {
    const by = new Map<string, T[]>();
    for (const x of items) {
      const list = by.get(x.source);
      if (list === undefined) by.set(x.source, [x]);
      else list.push(x);
    }
    return by;
  };
  const pipelines = eff.pipelines.filter((p) => p.enabled);
  const domainIds = [...new Set(active.map((s) => s.domain))].sort();
  const domains = domainIds.map((id): DomainPlan => {
    const d = estate.platform.domains.find((x) => x.id === id);
    if (d === undefined) throw new Error(`source domain "${id}" is not in platform.yaml`);
    const ids = new Set(active.filter((s) => s.domain === id).map((s) => s.id));
    const pipelineCount = pipelines.filter((p) => ids.has(p.source)).length;
    return {
      id,
      classification: d.maxClassification,
      tags: domainTags(estate, env, id),
      bucketNames: lakeBucketNames(names, id),
      logBucketName: domainLogBucketName(names, id),
      keyAlias: lakeKeyAlias(names, id),
      policyName: clusterPolicyName(names, id, d.maxClassification),
      poolName: instancePoolName(names, id),
      pipelineCount,
      poolCapacity: poolCapacity(environment.compute.maxWorkers, pipelineCount),
    };
  });
  const dags = dagModels(estate, env);
  assertEnvironmentDags(environment, dags);
  return {
    eff,
    effectiveSources: new Map(eff.sources.map((s) => [s.id, s])),
    names,
    active,
    tablesBySource: group(eff.tables.filter((t) => t.enabled)),
    pipelinesBySource: group(pipelines),
    domainIds,
    domains,
    dags,
  };
});

/** The plan of stack `stackName`; throws on an unknown stack (listing the valid ones). */
export function planStack(estate: Estate, stackName: string): StackPlan {
  const stack = stackSpec(estate, stackName);
  const role = stackRole(stack);
  const shared = environmentPlan(estate, stack.environment);
  const { names, domainIds, domains, dags } = shared;
  const environment = shared.eff.environment;
  const env = environment.name;

  const inStack = new Set(role === "core" ? [] : stack.sources);
  const sources = shared.active
    .filter((s) => inStack.has(s.id))
    .map((s) => {
      const tables = shared.tablesBySource.get(s.id) ?? [];
      const effective = shared.effectiveSources.get(s.id);
      if (effective === undefined) throw new Error(`source "${s.id}" has no effective source`);
      const specs = renderSourceTableSpecs(estate, env, effective, tables).map((r) => ({
        path: r.path,
        content: r.content,
      }));
      return planSource(estate, names, s, tables, shared.pipelinesBySource.get(s.id) ?? [], specs);
    });

  return {
    stack,
    role,
    environment,
    names,
    region: estate.platform.aws.region,
    catalogName: catalogName(names),
    domains,
    sources,
    sharedTags: sharedTags(estate, env, environment.databricks.adminGroup, domainIds),
    dagCount: dags.length,
    dags,
    dagBucketName: dagBucketName(names),
    dagObjectTags: sharedTags(estate, env, environment.databricks.adminGroup, domainIds),
  };
}

/** Enabled sources with at least one enabled table, sorted by id. */
function activeSources(estate: Estate, eff: EffectiveEstate): Source[] {
  const withTables = new Set(eff.tables.filter((t) => t.enabled).map((t) => t.source));
  const enabled = new Set(eff.sources.filter((s) => s.enabled).map((s) => s.id));
  return estate.sources.filter((s) => enabled.has(s.id) && withTables.has(s.id)).sort(byId);
}

function planSource(
  estate: Estate,
  names: NameContext,
  source: Source,
  tables: readonly EffectiveTable[],
  pipelines: readonly EffectivePipeline[],
  specs: readonly { path: string; content: string }[],
): SourcePlan {
  return {
    id: source.id,
    domain: source.domain,
    classification: source.classification,
    tags: sourceTags(estate, names.env, source),
    roleName: ingestRoleName(names, source.id),
    ingestTables: ingestTables(tables),
    schemaLayers: schemaLayers(tables),
    pipelines: pipelines
      .map((p) => planPipeline(names, p, tables))
      .filter((p): p is PipelinePlan => p !== undefined)
      .sort(byId),
    specs,
  };
}

/** Enabled tables that land files (the `landing` layer), sorted: the ingest role's prefixes. */
export function ingestTables(tables: readonly Pick<EffectiveTable, "id" | "layers">[]): string[] {
  return tables
    .filter((t) => t.layers.includes("landing"))
    .map((t) => t.id)
    .sort();
}

/** The Delta layers the tables reach, in data-flow order. */
export function schemaLayers(tables: readonly Pick<EffectiveTable, "layers">[]): SchemaLayer[] {
  return INGEST_LAYERS.filter((l) => tables.some((t) => t.layers.includes(l)));
}

/** Maximum instances of a domain's pool: driver and workers of its concurrent jobs at their largest. */
export function poolCapacity(maxWorkers: number, pipelineCount: number): number {
  const jobs = Math.min(Math.max(pipelineCount, 1), POOL_CONCURRENT_JOBS);
  return Math.min((maxWorkers + 1) * jobs, 10_000);
}

/**
 * The job of one enabled pipeline: per enabled table of the pipeline that reaches bronze, a task
 * per Spark layer it reaches (`<table>__<layer>`, after the table's previous layer), running the
 * deployed entry script on the table's spec. Undefined when no table goes past landing (nothing
 * for Spark to do, and no DAG): the same rule as `dagModels` of @hdp/dags.
 */
export function planPipeline(
  names: NameContext,
  pipeline: Pick<
    EffectivePipeline,
    "id" | "key" | "source" | "dagId" | "tables" | "dependsOn" | "timeoutMinutes"
  >,
  sourceTables: readonly Pick<EffectiveTable, "id" | "layers">[],
): PipelinePlan | undefined {
  const members = new Set(pipeline.tables);
  const tables = sourceTables
    .filter((t) => members.has(t.id) && DAG_LAYERS.some((l) => t.layers.includes(l)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (tables.length === 0) return undefined;
  const tasks: IngestTaskSpec[] = [];
  for (const t of tables) {
    let previous: (typeof DAG_LAYERS)[number] | undefined;
    for (const layer of DAG_LAYERS.filter((l) => t.layers.includes(l))) {
      tasks.push(ingestTask(pipeline.source, t.id, layer, previous));
      previous = layer;
    }
  }
  return {
    id: pipeline.id,
    key: pipeline.key,
    dagId: pipeline.dagId,
    logicalName: pipelineLogicalName(pipeline.source, pipeline.id),
    jobName: ingestJobName(names, pipeline.source, pipeline.id),
    tasks,
    tables: tables.map((t) => t.id),
    timeoutMinutes: pipeline.timeoutMinutes,
    dependsOn: [...pipeline.dependsOn],
  };
}

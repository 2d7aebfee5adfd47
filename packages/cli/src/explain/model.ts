/**
 * `hdp explain`, the data: what a config entry (a source or a table) creates in each planned
 * stack, or which config entry and lines decide a resource. Pure: the estate, the planned stacks'
 * inventories and the platform's resource-to-entry map in, plain data out.
 */
import {
  decideSchedule,
  effectiveEstate,
  LAYERS,
  type Estate,
  type Origin,
  type Pipeline,
  type ScheduleDecision,
} from "@hdp/config";
import type { InventoryResource, StackInventory } from "@hdp/plan";

/** What the model needs of @hdp/platform (the program's own knowledge, not restated here). */
export interface PlatformKnowledge {
  /** Which config entry made each resource of a stack (by URN). */
  resourceOrigins(
    estate: Estate,
    stack: string,
    resources: readonly InventoryResource[],
  ): Map<string, Origin>;
  /** The logical name of a pipeline's ingest job component. */
  pipelineLogicalName(source: string, pipeline: string): string;
}

/** Where a field is: `file:line:col` and the field path as written. */
export interface Place {
  readonly at: string;
  readonly field: string;
}

/** A resource, as the reader needs it. */
export interface ResourceRef {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** The config entry that made it, `file:line:col`. */
  readonly origin: string | undefined;
}

/** Where the table's data is, per layer. */
export interface Landing {
  readonly layer: string;
  /** An S3 prefix (`s3://bucket/source/table/`) or a Unity Catalog table (`catalog.schema.table`). */
  readonly location: string;
  /** For a catalog table: its schema's storage root. */
  readonly storage: string | undefined;
}

/** Someone allowed to write the table's data. */
export interface Writer {
  /** `role <name>`, `job <name>`, `grant <principal>`. */
  readonly who: string;
  /** What it may do, and where. */
  readonly what: string;
  readonly resource: ResourceRef;
}

/** A schedule as the job has it, and the config setting that decided it. */
export interface When {
  readonly cron: string;
  readonly timezone: string;
  readonly quartz: string | undefined;
  readonly paused: boolean;
  /** `pipeline`, `table-overlay`, `table`, `source-overlay` or `source` (see @hdp/config). */
  readonly setting: ScheduleDecision["setting"];
  readonly decidedBy: Place;
}

/** The Airflow DAG of a pipeline. */
export interface Dag {
  readonly id: string;
  /** The resource uploading the DAG file; undefined while no DAG is rendered for it. */
  readonly file: ResourceRef | undefined;
}

/** A pipeline loading the entry: its job, when it runs, its DAG. */
export interface Loader {
  readonly pipeline: string;
  readonly declaredAt: string;
  readonly job: ResourceRef | undefined;
  /** Task keys of the job that touch the entry. */
  readonly tasks: readonly string[];
  readonly when: When;
  readonly dag: Dag;
}

/** The entry in one environment. */
export interface EntryInEnvironment {
  readonly environment: string;
  readonly enabled: boolean;
  /** What decided `enabled`: an overlay's `enabled`, or the default. */
  readonly enabledBy: Place | "default";
  /** Stacks holding the entry's resources. */
  readonly stacks: readonly string[];
  readonly lands: readonly Landing[];
  readonly writers: readonly Writer[];
  readonly loaders: readonly Loader[];
  /** Every resource of the entry (for a table: those that name it), in stack order. */
  readonly resources: readonly ResourceRef[];
}

export interface EntryExplanation {
  readonly kind: "entry";
  /** `<source>` or `<source>/<table>`. */
  readonly entry: string;
  readonly declaredAt: string;
  readonly classification: string;
  readonly environments: readonly EntryInEnvironment[];
}

export interface ResourceExplanation {
  readonly kind: "resource";
  readonly query: string;
  readonly matches: readonly {
    readonly resource: ResourceRef;
    readonly environment: string;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    /** The top-level component it belongs to (itself when top-level). */
    readonly component: string;
    /** The config entry: `source`, `pipeline`, `domain` or the environment's defaults. */
    readonly entry: string;
    /** The settings that decide it (its entry's line, and a job's schedule). */
    readonly decidedBy: readonly Place[];
  }[];
}

export type Explanation = EntryExplanation | ResourceExplanation;

export interface ExplainInput {
  readonly estate: Estate;
  /** Where `file:line` of a field is looked up. */
  readonly locate: (file: string, field: ScheduleDecision["field"]) => Origin;
  /** The planned stacks of the environments asked for. */
  readonly stacks: readonly StackInventory[];
  readonly platform: PlatformKnowledge;
}

/** A resource's physical name when its inputs say it, else its logical name. */
const nameOf = (r: InventoryResource): string =>
  typeof r.inputs.name === "string" ? r.inputs.name : r.name;

const at = (o: Origin): string => `${o.file}:${o.line}:${o.column}`;
const fieldText = (field: ScheduleDecision["field"]): string =>
  field
    .map((s, i) => (typeof s === "object" ? `[id=${s.id}]` : i === 0 ? s : `.${s}`))
    .join("")
    .replace(/\.\[/g, "[");

interface Indexed {
  readonly stack: StackInventory;
  readonly origins: Map<string, Origin>;
  readonly byUrn: Map<string, InventoryResource>;
}

function index(input: ExplainInput): Indexed[] {
  return input.stacks.map((stack) => ({
    stack,
    origins: input.platform.resourceOrigins(input.estate, stack.stack, stack.resources),
    byUrn: new Map(stack.resources.map((r) => [r.urn, r])),
  }));
}

function ref(ix: Indexed, r: InventoryResource): ResourceRef {
  const o = ix.origins.get(r.urn);
  return {
    stack: ix.stack.stack,
    type: r.type,
    name: r.name,
    urn: r.urn,
    origin: o === undefined ? undefined : at(o),
  };
}

const sameOrigin = (a: Origin | undefined, b: Origin): boolean =>
  a !== undefined && a.file === b.file && a.line === b.line && a.column === b.column;

/** Every string in a value, with the key it sits under. */
function* strings(value: unknown, key = ""): Generator<[string, string]> {
  if (typeof value === "string") yield [key, value];
  else if (Array.isArray(value)) for (const v of value) yield* strings(v, key);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) yield* strings(v, k);
  }
}

/**
 * Whether a resource's inputs name the table: its key prefix, its spec file
 * (`…/specs/<source>/<table>.json`, what an ingest task runs on), or a `tables` list holding it.
 */
function namesTable(r: InventoryResource, source: string, table: string): boolean {
  for (const [k, s] of strings(r.inputs)) {
    if (s.includes(`/${source}/${table}/`) || s.endsWith(`/specs/${source}/${table}.json`)) {
      return true;
    }
    if (k === "tables" && s.split(",").includes(table)) return true;
  }
  return false;
}

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: string | string[];
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** Whether an IAM pattern (with `*` and `?`) matches a value. */
function iamMatch(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(value);
}

const WRITE_ACTIONS = ["s3:PutObject", "s3:DeleteObject"];

function statementsOf(r: InventoryResource): Statement[] {
  const doc = r.inputs.policy;
  if (typeof doc !== "string") return [];
  try {
    const parsed = JSON.parse(doc) as { Statement?: Statement | Statement[] };
    const s = parsed.Statement;
    return s === undefined ? [] : Array.isArray(s) ? s : [s];
  } catch {
    return []; // an unknown value under mocks
  }
}

/** The role a policy is attached to: by attachment, else a role beside it in its component. */
function roleOf(ix: Indexed, policy: InventoryResource): string | undefined {
  if (typeof policy.inputs.role === "string") return policy.inputs.role; // an inline RolePolicy
  const name = policy.inputs.name;
  for (const r of ix.stack.resources) {
    if (r.type !== "aws:iam/rolePolicyAttachment:RolePolicyAttachment") continue;
    const arn = r.inputs.policyArn;
    if (typeof arn === "string" && typeof name === "string" && arn.endsWith(`:policy/${name}`)) {
      return typeof r.inputs.role === "string" ? r.inputs.role : undefined;
    }
  }
  const sibling = ix.stack.resources.find(
    (r) => r.type === "aws:iam/role:Role" && r.parent === policy.parent,
  );
  return typeof sibling?.inputs.name === "string" ? sibling.inputs.name : undefined;
}

function landingsAndWriters(
  ixs: readonly Indexed[],
  source: string,
  table: string,
): { lands: Landing[]; writers: Writer[]; layers: Map<string, ResourceRef> } {
  const prefixes = new Map<string, Landing>();
  const writers: Writer[] = [];
  // A lake bucket's name carries its layer (`<org>-<env>-<domain>-<layer>-<account>`).
  const layerOf = new RegExp(`-(${[...LAYERS, "audit"].join("|")})(-|$)`);
  const bucketLayer = (bucket: string): string => layerOf.exec(bucket)?.[1] ?? "files";
  // S3 prefixes named in policies, and the roles that may write them.
  for (const ix of ixs) {
    for (const r of ix.stack.resources) {
      if (r.type !== "aws:iam/policy:Policy" && r.type !== "aws:iam/rolePolicy:RolePolicy")
        continue;
      for (const st of statementsOf(r)) {
        for (const res of list(st.Resource)) {
          const m = /^arn:aws:s3:::([^/]+)\/(.*)$/.exec(res);
          if (m === null || !res.includes(`/${source}/${table}/`)) continue;
          const location = `s3://${m[1]}/${source}/${table}/`;
          if (!prefixes.has(location)) {
            prefixes.set(location, { layer: bucketLayer(m[1]), location, storage: undefined });
          }
        }
      }
    }
  }
  for (const ix of ixs) {
    for (const r of ix.stack.resources) {
      if (r.type !== "aws:iam/policy:Policy" && r.type !== "aws:iam/rolePolicy:RolePolicy")
        continue;
      for (const st of statementsOf(r)) {
        if (st.Effect !== "Allow") continue;
        const actions = list(st.Action).filter((a) => WRITE_ACTIONS.some((w) => iamMatch(a, w)));
        if (actions.length === 0) continue;
        const covered = [...prefixes.values()].filter((l) =>
          list(st.Resource).some((p) =>
            iamMatch(p, `arn:aws:s3:::${l.location.slice(5)}part-0000.parquet`),
          ),
        );
        if (covered.length === 0) continue;
        const role = roleOf(ix, r);
        writers.push({
          who: role !== undefined ? `role ${role}` : `policy ${nameOf(r)}`,
          what: `${actions.join(", ")} on ${covered.map((l) => l.layer).join(", ")}`,
          resource: ref(ix, r),
        });
      }
    }
  }
  // Catalog schemas of the source, by layer (tagged by the platform).
  const layers = new Map<string, ResourceRef>();
  for (const ix of ixs) {
    for (const r of ix.stack.resources) {
      if (r.type !== "databricks:index/schema:Schema") continue;
      const props = (r.inputs.properties ?? {}) as Record<string, unknown>;
      if (props["hdp.source"] !== source || typeof props["hdp.layer"] !== "string") continue;
      layers.set(props["hdp.layer"], ref(ix, r));
    }
  }
  return { lands: [...prefixes.values()], writers, layers };
}

function enabledDecision(
  input: ExplainInput,
  source: string,
  table: string | undefined,
  env: string,
): Place | "default" {
  const s = input.estate.sources.find((x) => x.id === source);
  const t =
    table === undefined
      ? undefined
      : input.estate.tables.find((x) => x.key === `${source}/${table}`);
  if (s !== undefined && s.environments[env]?.enabled === false) {
    const field = ["environments", env, "enabled"];
    return { at: at(input.locate(s.origin.file, field)), field: fieldText(field) };
  }
  if (t !== undefined && t.environments[env]?.enabled !== undefined) {
    const field = ["environments", env, "enabled"];
    return { at: at(input.locate(t.origin.file, field)), field: fieldText(field) };
  }
  if (s !== undefined && s.environments[env]?.enabled !== undefined) {
    const field = ["environments", env, "enabled"];
    return { at: at(input.locate(s.origin.file, field)), field: fieldText(field) };
  }
  return "default";
}

function when(
  input: ExplainInput,
  p: Pipeline,
  env: string,
  job: InventoryResource | undefined,
): When {
  const source = input.estate.sources.find((s) => s.id === p.source);
  const table =
    p.kind === "table"
      ? input.estate.tables.find((t) => t.key === `${p.source}/${p.tables[0]}`)
      : undefined;
  const d = decideSchedule(p, source, table, env);
  const sched = (job?.inputs.schedule ?? {}) as Record<string, unknown>;
  return {
    cron: d.schedule.cron,
    timezone: d.schedule.timezone,
    quartz: typeof sched.quartzCronExpression === "string" ? sched.quartzCronExpression : undefined,
    paused: sched.pauseStatus === "PAUSED",
    setting: d.setting,
    decidedBy: { at: at(input.locate(d.file, d.field)), field: fieldText(d.field) },
  };
}

/** The DAG file of a pipeline: a resource whose inputs name `<dagId>.py` (none until rendered). */
function dagOf(ixs: readonly Indexed[], dagId: string): Dag {
  for (const ix of ixs) {
    for (const r of ix.stack.resources) {
      for (const [k, s] of strings(r.inputs)) {
        if ((k === "key" || k === "source") && s.endsWith(`/${dagId}.py`)) {
          return { id: dagId, file: ref(ix, r) };
        }
      }
    }
  }
  return { id: dagId, file: undefined };
}

/** What the source `source` (or its table `table`) creates in each environment's planned stacks. */
export function explainEntry(
  input: ExplainInput,
  source: string,
  table: string | undefined,
  environments: readonly string[],
): EntryExplanation {
  const src = input.estate.sources.find((s) => s.id === source);
  const tbl =
    table === undefined
      ? undefined
      : input.estate.tables.find((t) => t.key === `${source}/${table}`);
  if (src === undefined || (table !== undefined && tbl === undefined)) {
    throw new Error(
      `no ${table === undefined ? "source" : "table"} ${source}${table ? `/${table}` : ""}`,
    );
  }
  const pipelines = input.estate.pipelines.filter(
    (p) => p.source === source && (table === undefined || p.tables.includes(table)),
  );
  const all = index(input);
  const out: EntryInEnvironment[] = [];
  for (const env of environments) {
    const ixs = all.filter((ix) => ix.stack.environment === env);
    const eff = effectiveEstate(input.estate, env);
    const enabled =
      table === undefined
        ? (eff.sources.find((s) => s.id === source)?.enabled ?? false)
        : (eff.tables.find((t) => t.key === `${source}/${table}`)?.enabled ?? false);
    const entryOrigins = [src.origin, ...pipelines.map((p) => p.origin)];
    const resources: ResourceRef[] = [];
    const stacks = new Set<string>();
    for (const ix of ixs) {
      for (const r of ix.stack.resources) {
        if (!entryOrigins.some((o) => sameOrigin(ix.origins.get(r.urn), o))) continue;
        if (table !== undefined && !namesTable(r, source, table)) continue;
        resources.push(ref(ix, r));
        stacks.add(ix.stack.stack);
      }
    }
    const loaders: Loader[] = pipelines.map((p) => {
      const component = input.platform.pipelineLogicalName(p.source, p.id);
      let job: { ix: Indexed; r: InventoryResource } | undefined;
      for (const ix of ixs) {
        const r = ix.stack.resources.find(
          (x) =>
            x.type === "databricks:index/job:Job" &&
            x.parent !== null &&
            ix.byUrn.get(x.parent)?.name === component,
        );
        if (r !== undefined) job = { ix, r };
      }
      const tasks = ((job?.r.inputs.tasks ?? []) as Record<string, unknown>[])
        .filter((t) => table === undefined || namesTable({ ...job!.r, inputs: t }, source, table))
        .map((t) => String(t.taskKey));
      return {
        pipeline: p.key,
        declaredAt: at(p.origin),
        job: job === undefined ? undefined : ref(job.ix, job.r),
        tasks,
        when: when(input, p, env, job?.r),
        dag: dagOf(ixs, p.dagId),
      };
    });
    let lands: Landing[] = [];
    let writers: Writer[] = [];
    if (table !== undefined) {
      const lw = landingsAndWriters(ixs, source, table);
      const taskLayers = new Set<string>();
      for (const l of loaders) {
        const job =
          l.job === undefined
            ? undefined
            : ixs.flatMap((ix) => ix.stack.resources).find((r) => r.urn === l.job!.urn);
        for (const t of (job?.inputs.tasks ?? []) as Record<string, unknown>[]) {
          const params = ((t.notebookTask as Record<string, unknown> | undefined)?.baseParameters ??
            {}) as Record<string, unknown>;
          // An entry-script task: `--layer <layer> --spec <spec of the table> …`.
          const args = (t.sparkPythonTask as { parameters?: unknown } | undefined)?.parameters;
          const argv: readonly unknown[] = Array.isArray(args) ? (args as unknown[]) : [];
          const layer = params.layer ?? argv[argv.indexOf("--layer") + 1];
          if (typeof layer === "string" && namesTable({ ...job!, inputs: t }, source, table)) {
            taskLayers.add(layer);
          }
        }
        if (l.job !== undefined && l.tasks.length > 0) {
          writers.push({
            who: `job ${job !== undefined ? nameOf(job) : l.job.name}`,
            what: `tasks ${l.tasks.join(", ")}`,
            resource: l.job,
          });
        }
      }
      const catalogTables: Landing[] = [];
      for (const layer of [...taskLayers].sort(layerOrder)) {
        const schema = lw.layers.get(layer);
        const r =
          schema === undefined
            ? undefined
            : all.flatMap((ix) => ix.stack.resources).find((x) => x.urn === schema.urn);
        if (r === undefined) continue;
        catalogTables.push({
          layer,
          location: `${String(r.inputs.catalogName)}.${String(r.inputs.name)}.${table}`,
          storage: typeof r.inputs.storageRoot === "string" ? r.inputs.storageRoot : undefined,
        });
        for (const ix of ixs) {
          for (const g of ix.stack.resources) {
            if (g.type !== "databricks:index/grants:Grants") continue;
            if (g.inputs.schema !== `${String(r.inputs.catalogName)}.${String(r.inputs.name)}`)
              continue;
            for (const grant of (g.inputs.grants ?? []) as {
              principal?: string;
              privileges?: string[];
            }[]) {
              const privs = (grant.privileges ?? []).filter(
                (p) => p === "MODIFY" || p === "ALL_PRIVILEGES",
              );
              if (privs.length === 0) continue;
              // One line per group and privileges: the schemas of every layer it may write.
              const who = `grant ${String(grant.principal)}`;
              const prefix = `${privs.join(", ")} on `;
              const i = writers.findIndex((w) => w.who === who && w.what.startsWith(prefix));
              const same = writers[i];
              if (same !== undefined) {
                writers[i] = { ...same, what: `${same.what}, ${String(g.inputs.schema)}` };
              } else {
                writers.push({
                  who,
                  what: `${prefix}${String(g.inputs.schema)}`,
                  resource: ref(ix, g),
                });
              }
            }
          }
        }
      }
      lands = [...lw.lands.sort((a, b) => layerOrder(a.layer, b.layer)), ...catalogTables];
      writers = [...lw.writers, ...writers];
    }
    out.push({
      environment: env,
      enabled,
      enabledBy: enabledDecision(input, source, table, env),
      stacks: [...stacks].sort(),
      lands,
      writers,
      loaders,
      resources,
    });
  }
  return {
    kind: "entry",
    entry: table === undefined ? source : `${source}/${table}`,
    declaredAt: at((tbl ?? src).origin),
    classification: (tbl ?? src).classification,
    environments: out,
  };
}

const LAYER_ORDER = ["landing", "bronze", "silver", "gold", "audit", "files"];
function layerOrder(a: string, b: string): number {
  return LAYER_ORDER.indexOf(a) - LAYER_ORDER.indexOf(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The config entry an origin is: a domain, a source, a pipeline, or an environment's defaults. */
function entryAt(estate: Estate, origin: Origin | undefined, env: string): string {
  if (origin !== undefined) {
    const source = estate.sources.find((s) => sameOrigin(origin, s.origin));
    if (source !== undefined) return `source ${source.id}`;
    const pipeline = estate.pipelines.find((p) => sameOrigin(origin, p.origin));
    if (pipeline !== undefined) return `pipeline ${pipeline.key}`;
    const domain = estate.platform.domains.find((d) => sameOrigin(origin, d.origin));
    if (domain !== undefined) return `domain ${domain.id}`;
  }
  return `environment ${env} (its defaults)`;
}

/** The resources named `query` (a logical name or a URN) and the config that decides each. */
export function explainResource(input: ExplainInput, query: string): ResourceExplanation {
  const matches: ResourceExplanation["matches"][number][] = [];
  for (const ix of index(input)) {
    for (const r of ix.stack.resources) {
      if (r.urn !== query && r.name !== query) continue;
      let top = r;
      for (let i = 0; i < 64; i++) {
        const parent = top.parent === null ? undefined : ix.byUrn.get(top.parent);
        if (parent === undefined || parent.type === "pulumi:pulumi:Stack") break;
        top = parent;
      }
      const origin = ix.origins.get(r.urn);
      const decidedBy: Place[] = [];
      if (origin !== undefined) decidedBy.push({ at: at(origin), field: "(entry)" });
      const pipeline = input.estate.pipelines.find(
        (p) => input.platform.pipelineLogicalName(p.source, p.id) === top.name,
      );
      if (pipeline !== undefined) {
        const w = when(input, pipeline, ix.stack.environment, r);
        decidedBy.push({
          at: w.decidedBy.at,
          field: `${w.decidedBy.field} (schedule, ${w.setting})`,
        });
      }
      matches.push({
        resource: ref(ix, r),
        environment: ix.stack.environment,
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        component: `${top.type} ${top.name}`,
        entry: entryAt(input.estate, origin, ix.stack.environment),
        decidedBy,
      });
    }
  }
  return { kind: "resource", query, matches };
}

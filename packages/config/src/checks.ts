/**
 * Checks that span files: uniqueness, references (with "did you mean"), classification floors
 * and ceilings, PHI per environment, pipeline membership, cycles and derived names. Entries
 * with errors are left out of the estate; every error is reported.
 */
import { landingFormatOf } from "./landing";
import { rawParsers, rawReaderProblem, rawTableProblem } from "./raw-tables";
import type { ConfigError, ErrorSink, Origin } from "./errors";
import { fieldPath } from "./errors";
import type { Environment, Platform, Source, Table } from "./estate";
import { findCycles } from "./graph";
import type { LoadedSource } from "./loaded-source";
import { checkDerivedNames } from "./name-checks";
import { buildPipelines } from "./pipelines";
import { classificationRank, LAYERS } from "./schema";
import { didYouMean } from "./suggest";
import { readYamlFile, type ParsedYaml } from "./yaml-file";
import { environmentTier } from "./tier";
import { checkLogRetention } from "./tier-checks";
import { checkComponentArgs, checkJobTasks } from "./component-checks";
import { checkGroups } from "./group-checks";

export interface CheckInput {
  readonly root: string;
  /** Table files per source directory, valid or not (a broken file still names its table). */
  readonly tableFilesByDir: ReadonlyMap<string, readonly string[]>;
  /** Environment file names (`environments/<env>.yaml`), valid or not: overlays may name them. */
  readonly environmentFiles: readonly string[];
  readonly platform: Platform | undefined;
  readonly environments: readonly Omit<Environment, "stacks">[];
  readonly sources: readonly LoadedSource[];
  /** Tables by source directory, `source` and `key` not yet set. */
  readonly tablesByDir: ReadonlyMap<string, readonly Table[]>;
}

export interface CheckResult {
  readonly errors: ConfigError[];
  readonly skippedFiles: string[];
  readonly loadedSources: LoadedSource[];
  readonly sources: Source[];
  readonly tables: Table[];
}

type Path = readonly PropertyKey[];

export type { ErrorSink } from "./errors";

/** Collects errors, locating fields lazily (a file is re-parsed only when it has an error). */
class Reporter implements ErrorSink {
  readonly errors: ConfigError[] = [];
  readonly bad = new Set<string>();
  private readonly cache = new Map<string, ParsedYaml | undefined>();
  constructor(private readonly root: string) {}

  error(file: string, path: Path, message: string, key = false): void {
    let parsed = this.cache.get(file);
    if (!this.cache.has(file)) {
      const r = readYamlFile(this.root, file);
      parsed = r.ok ? r.parsed : undefined;
      this.cache.set(file, parsed);
    }
    const pos = parsed === undefined ? { line: 1, column: 1 } : parsed.locate(path, key);
    this.errors.push({ file, line: pos.line, column: pos.column, field: fieldPath(path), message });
    this.bad.add(file);
  }
}

const where = (o: Origin): string => `${o.file}:${o.line}`;

export function checkEstate(input: CheckInput): CheckResult {
  const r = new Reporter(input.root);
  const plat = input.platform;
  checkPlatform(r, plat);
  const envNames = checkEnvironments(r, input.environments, plat);
  // An environment whose own file has errors is still a known name: no cascade of "unknown environment".
  for (const f of input.environmentFiles)
    envNames.add(f.replace(/^environments\//, "").replace(/\.yaml$/, ""));

  // Sources: unique ids, references into the platform and environments.
  const firstSource = new Map<string, LoadedSource>();
  const sources: LoadedSource[] = [];
  for (const s of input.sources) {
    const c = s.config;
    const prior = firstSource.get(c.id);
    if (prior !== undefined) {
      r.error(
        s.file,
        ["id"],
        `duplicate source id "${c.id}" (first defined at ${where(prior.origin)})`,
      );
      continue;
    }
    firstSource.set(c.id, s);
    const before = r.errors.length;
    checkSource(r, s, plat, envNames);
    if (r.errors.length === before) sources.push(s);
  }

  // Tables: belong to the source of their directory.
  const sourceByDir = new Map(sources.map((s) => [s.dir, s]));
  const tables: Table[] = [];
  for (const [dir, list] of input.tablesByDir) {
    const src = sourceByDir.get(dir);
    if (src === undefined) {
      list.forEach((t) => r.bad.add(t.origin.file));
      continue;
    }
    const firstTable = new Map<string, Table>();
    for (const raw of list) {
      const t: Table = { ...raw, source: src.config.id, key: `${src.config.id}/${raw.id}` };
      const prior = firstTable.get(t.id);
      if (prior !== undefined) {
        r.error(
          t.origin.file,
          ["id"],
          `duplicate table id "${t.id}" in source "${src.config.id}" (first defined at ${where(prior.origin)})`,
        );
        continue;
      }
      firstTable.set(t.id, t);
      const before = r.errors.length;
      checkTable(r, t, src, envNames);
      if (r.errors.length === before) tables.push(t);
    }
  }

  // References to a table whose own file has errors are not reported again: the file's error is.
  const known = new Set(tables.map((t) => t.key));
  for (const [dir, list] of input.tablesByDir) {
    const src = sourceByDir.get(dir);
    if (src === undefined) continue;
    for (const t of list) known.add(`${src.config.id}/${t.id}`);
    for (const f of input.tableFilesByDir.get(dir) ?? [])
      known.add(`${src.config.id}/${f.replace(/^.*\//, "").replace(/\.yaml$/, "")}`);
  }
  const inTableCycles = checkTableReferences(r, tables, known);
  checkPipelines(r, sources, tables, known);
  checkJobTasks(r, sources, tables);
  checkPipelineCycles(r, sources, tables, inTableCycles);
  checkPhi(r, tables, input.environments);
  checkSharding(r, input.environments, sources);
  checkDerivedNames(r, plat, input.environments, sources, tables);

  const goodSources = sources.filter((s) => !r.bad.has(s.file));
  const goodIds = new Set(goodSources.map((s) => s.config.id));
  const goodTables = tables
    .filter((t) => !r.bad.has(t.origin.file) && goodIds.has(t.source))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const skipped = new Set(r.bad);
  const goodFiles = new Set(goodTables.map((t) => t.origin.file));
  for (const list of input.tablesByDir.values()) {
    for (const t of list) if (!goodFiles.has(t.origin.file)) skipped.add(t.origin.file);
  }
  const sortedSources = [...goodSources].sort((a, b) => a.config.id.localeCompare(b.config.id));
  return {
    errors: r.errors,
    skippedFiles: [...skipped],
    loadedSources: sortedSources,
    sources: sortedSources.map((s) => toSource(s, plat)),
    tables: goodTables,
  };
}

function toSource(s: LoadedSource, plat: Platform | undefined): Source {
  const { $schema: _, pipelines: _p, hospitals, ...rest } = s.config;
  return {
    ...rest,
    hospitals: (hospitals === "all"
      ? (plat?.hospitals.map((h) => h.id) ?? [])
      : [...hospitals]
    ).sort(),
    origin: s.origin,
  };
}

function checkPlatform(r: Reporter, plat: Platform | undefined): void {
  if (plat === undefined) return;
  const seen = (kind: string, list: readonly { id: string; origin: Origin }[], field: string) => {
    const first = new Map<string, Origin>();
    list.forEach((e, i) => {
      const prior = first.get(e.id);
      if (prior !== undefined)
        r.error(
          e.origin.file,
          [field, i, "id"],
          `duplicate ${kind} id "${e.id}" (first at line ${prior.line})`,
        );
      else first.set(e.id, e.origin);
    });
  };
  seen("hospital", plat.hospitals, "hospitals");
  seen("domain", plat.domains, "domains");
}

function checkEnvironments(
  r: Reporter,
  envs: CheckInput["environments"],
  plat: Platform | undefined,
): Set<string> {
  const first = new Map<string, Origin>();
  const domains = new Set(plat?.domains.map((d) => d.id) ?? []);
  for (const e of envs) {
    const f = e.origin.file;
    const prior = first.get(e.name);
    if (prior !== undefined)
      r.error(f, ["name"], `duplicate environment "${e.name}" (first defined at ${where(prior)})`);
    else first.set(e.name, e.origin);
    if (environmentTier(e.name) === "dev" && e.phi === "real") {
      r.error(
        f,
        ["phi"],
        `real PHI is never allowed in a development environment; use "synthetic" (generated by hdp simulate) or "none"`,
      );
    } else if (environmentTier(e.name) === "prod" && e.phi !== "real") {
      r.error(
        f,
        ["phi"],
        `must be "real" in a production environment (named prod…): prod holds patient data, and another label would drop the protections real PHI requires`,
      );
      if (!e.protectStatefulResources)
        r.error(
          f,
          ["protectStatefulResources"],
          "must be true in a production environment (named prod…): its buckets, keys and catalogs hold the data",
        );
      if (e.enforcement !== "mandatory")
        r.error(
          f,
          ["enforcement"],
          'must be "mandatory" in a production environment (named prod…)',
        );
    } else if (e.phi === "real") {
      if (!e.protectStatefulResources)
        r.error(f, ["protectStatefulResources"], "must be true in an environment holding real PHI");
      if (e.enforcement !== "mandatory")
        r.error(f, ["enforcement"], 'must be "mandatory" in an environment holding real PHI');
    } else if (environmentTier(e.name) !== "dev" && e.enforcement !== "mandatory") {
      r.error(
        f,
        ["enforcement"],
        'must be "mandatory": only development environments (named dev…) may enforce the policy pack as advisory',
      );
    }
    checkHardening(r, f, e);
    const phiHome = envs.find(
      (x) => x !== e && x.phi === "real" && x.aws.accountId === e.aws.accountId,
    );
    if (e.phi !== "real" && phiHome !== undefined) {
      r.error(
        f,
        ["aws", "accountId"],
        `account ${e.aws.accountId} holds real PHI (environment ${phiHome.name}, ${phiHome.origin.file}); an environment with phi: ${e.phi} needs an account of its own`,
      );
    }
    checkLogRetention(r, e);
    checkComponentArgs(r, e);
    checkGroups(r, e, plat);
    if (e.airflow.minWorkers > e.airflow.maxWorkers) {
      r.error(
        f,
        ["airflow", "minWorkers"],
        `is ${e.airflow.minWorkers}, more than maxWorkers (${e.airflow.maxWorkers})`,
      );
    }
    const shardIds = new Map<string, number>();
    const domainShard = new Map<string, string>();
    e.sharding.shards.forEach((sh, i) => {
      if (shardIds.has(sh.id))
        r.error(f, ["sharding", "shards", i, "id"], `duplicate shard id "${sh.id}"`);
      shardIds.set(sh.id, i);
      sh.domains.forEach((d, j) => {
        if (plat !== undefined && !domains.has(d)) {
          r.error(
            f,
            ["sharding", "shards", i, "domains", j],
            `unknown domain "${d}"${didYouMean(d, domains)}`,
          );
        }
        const other = domainShard.get(d);
        if (other !== undefined)
          r.error(
            f,
            ["sharding", "shards", i, "domains", j],
            `domain "${d}" is already in shard "${other}"`,
          );
        else domainShard.set(d, sh.id);
      });
    });
  }
  return new Set(envs.map((e) => e.name));
}

function checkEnvKeys(
  r: Reporter,
  file: string,
  overlays: Record<string, unknown>,
  envNames: Set<string>,
): void {
  for (const k of Object.keys(overlays)) {
    if (!envNames.has(k)) {
      r.error(
        file,
        ["environments", k],
        `unknown environment "${k}"${didYouMean(k, envNames)} (environments: ${[...envNames].sort().join(", ")})`,
        true,
      );
    }
  }
}

function checkSource(
  r: Reporter,
  s: LoadedSource,
  plat: Platform | undefined,
  envNames: Set<string>,
): void {
  const c = s.config;
  const f = s.file;
  if (plat !== undefined) {
    const domain = plat.domains.find((d) => d.id === c.domain);
    if (domain === undefined) {
      r.error(
        f,
        ["domain"],
        `domain "${c.domain}" is not declared in platform.yaml${didYouMean(
          c.domain,
          plat.domains.map((d) => d.id),
        )}`,
      );
    } else if (
      classificationRank(c.classification) > classificationRank(domain.maxClassification)
    ) {
      r.error(
        f,
        ["classification"],
        `is "${c.classification}", above the "${domain.id}" domain's maximum "${domain.maxClassification}"`,
      );
    }
    if (c.hospitals !== "all") {
      const ids = new Set(plat.hospitals.map((h) => h.id));
      const seen = new Set<string>();
      c.hospitals.forEach((h, i) => {
        if (!ids.has(h))
          r.error(f, ["hospitals", i], `unknown hospital "${h}"${didYouMean(h, ids)}`);
        if (seen.has(h)) r.error(f, ["hospitals", i], `hospital "${h}" is listed twice`);
        seen.add(h);
      });
    }
  }
  checkEnvKeys(r, f, c.environments, envNames);
  const pipelineIds = new Set<string>();
  c.pipelines.forEach((p, i) => {
    if (pipelineIds.has(p.id))
      r.error(f, ["pipelines", i, "id"], `duplicate pipeline id "${p.id}"`);
    pipelineIds.add(p.id);
  });
}

/**
 * A table that reads other files of its source's drop (`landingFormat` of a reader with
 * `deliveredBy`) needs a source that delivers them, and says where they are (`filePattern`);
 * only a source with files has a `filePattern` for a table.
 */
function checkDropFiles(r: Reporter, t: Table, src: LoadedSource): void {
  const f = t.origin.file;
  const connection = src.config.connection;
  if (t.landingFormat !== undefined) {
    const problem = rawReaderProblem(t.landingFormat, connection);
    if (problem !== undefined) r.error(f, ["landingFormat"], problem);
    const reader = rawParsers().get(t.landingFormat);
    if (reader?.deliveredBy !== undefined && t.filePattern === undefined)
      r.error(
        f,
        ["landingFormat"],
        `the ${t.landingFormat} reader needs filePattern: where its files (${(reader.files ?? []).join(", ")}) are in the source's drop`,
      );
  }
  if (t.filePattern !== undefined && connection.kind !== "file-drop" && connection.kind !== "sftp")
    r.error(
      f,
      ["filePattern"],
      `a ${connection.kind} source delivers no files: filePattern is for file-drop and sftp sources`,
    );
}

function checkTable(r: Reporter, t: Table, src: LoadedSource, envNames: Set<string>): void {
  const f = t.origin.file;
  const cols = new Map<string, number>();
  t.columns.forEach((c, i) => {
    if (cols.has(c.name))
      r.error(
        f,
        ["columns", i, "name"],
        `duplicate column "${c.name}" (first at columns[${cols.get(c.name)}])`,
      );
    else cols.set(c.name, i);
  });
  const names = [...cols.keys()];
  const col = (path: Path, name: string, role: string): void => {
    if (!cols.has(name))
      r.error(f, path, `${role} "${name}" is not a column of this table${didYouMean(name, names)}`);
  };
  if (t.load.mode === "incremental") col(["load", "watermark"], t.load.watermark, "watermark");
  const loadKeys = t.load.mode === "full" ? undefined : t.load.keys;
  if (loadKeys !== undefined) {
    loadKeys.forEach((k, i) => {
      col(["load", "keys", i], k, "key");
      const c = t.columns[cols.get(k) ?? -1];
      if (c?.nullable === true)
        r.error(f, ["load", "keys", i], `key column "${k}" must be declared nullable: false`);
    });
  }
  if (t.load.mode === "cdc") {
    if (t.load.sequenceBy !== undefined)
      col(["load", "sequenceBy"], t.load.sequenceBy, "sequenceBy");
    if (t.load.deletes !== undefined)
      col(["load", "deletes", "column"], t.load.deletes.column, "delete marker column");
  }
  checkDropFiles(r, t, src);
  if (t.layers.some((l) => l !== "landing")) {
    const landing = landingFormatOf(src.config.connection, t);
    if ("problem" in landing)
      r.error(
        f,
        ["landingFormat"],
        `${landing.problem}: set landingFormat (csv, ndjson or parquet) for the ingest code`,
      );
    else {
      const problem = rawTableProblem(landing.format, t.id);
      if (problem !== undefined)
        r.error(
          f,
          ["id"],
          `${problem}: add a parser (pipelines/src/hdp_pipelines/raw.py and raw_tables.json), ` +
            "set landingFormat (csv, ndjson or parquet), or keep the table in landing (layers: [landing])",
        );
    }
  }
  if (t.gold !== undefined) {
    if (!t.layers.includes("gold")) r.error(f, ["gold"], 'a gold step needs "gold" in layers');
    t.gold.groupBy.forEach((g, i) => col(["gold", "groupBy", i], g, "group-by column"));
    t.gold.measures.forEach((m, i) => {
      if (m.column !== undefined)
        col(["gold", "measures", i, "column"], m.column, "measure column");
      else if (m.function !== "count")
        r.error(f, ["gold", "measures", i, "column"], `${m.function} needs a column`);
      if (t.gold?.groupBy.includes(m.name))
        r.error(f, ["gold", "measures", i, "name"], `"${m.name}" is also a group-by column`);
    });
  }
  t.partitionBy.forEach((p, i) => {
    col(["partitionBy", i], p, "partition column");
    const c = t.columns[cols.get(p) ?? -1];
    if (c !== undefined && (c.classification === "phi" || c.classification === "pii")) {
      r.error(
        f,
        ["partitionBy", i],
        `column "${p}" is ${c.classification}: partition values become S3 object keys, visible in listings and logs; partition by a non-identifying column (for example the year)`,
      );
    }
  });

  const top = t.columns.reduce(
    (m, c) => (classificationRank(c.classification) > classificationRank(m.classification) ? c : m),
    t.columns[0],
  );
  if (classificationRank(top.classification) > classificationRank(t.classification)) {
    r.error(
      f,
      ["classification"],
      `is "${t.classification}", but column "${top.name}" is "${top.classification}"; a table is at least as sensitive as its columns`,
    );
  }
  if (classificationRank(t.classification) > classificationRank(src.config.classification)) {
    r.error(
      f,
      ["classification"],
      `is "${t.classification}", above its source "${src.config.id}" ("${src.config.classification}"); raise the source's classification`,
    );
  }
  const expected = LAYERS.slice(0, t.layers.length);
  if (t.layers.some((l, i) => l !== expected[i])) {
    r.error(
      f,
      ["layers"],
      `must be a prefix of ${LAYERS.join(" -> ")} in that order (for example [${LAYERS.slice(0, 3).join(", ")}])`,
    );
  }
  checkEnvKeys(r, f, t.environments, envNames);
  const declared = src.config.pipelines.find((p) => p.tables.includes(t.id));
  if (t.schedule !== undefined && declared !== undefined) {
    r.error(
      f,
      ["schedule"],
      `conflicts with pipeline "${declared.id}" of ${src.file}, which runs this table; set the schedule there`,
    );
  }
}

/** Returns the keys of tables in a dependency cycle (reported here, not again per pipeline). */
function checkTableReferences(
  r: Reporter,
  tables: readonly Table[],
  known: ReadonlySet<string>,
): Set<string> {
  const keys = new Set(tables.map((t) => t.key));
  for (const t of tables) {
    t.dependsOn.forEach((d, i) => {
      if (d === t.key) r.error(t.origin.file, ["dependsOn", i], "a table cannot depend on itself");
      else if (!known.has(d))
        r.error(
          t.origin.file,
          ["dependsOn", i],
          `unknown table "${d}" (write "<source>/<table>")${didYouMean(d, keys)}`,
        );
    });
  }
  const edges = new Map(
    tables.map((t) => [t.key, t.dependsOn.filter((d) => keys.has(d) && d !== t.key)]),
  );
  const byKey = new Map(tables.map((t) => [t.key, t]));
  const inCycles = new Set<string>();
  for (const cycle of findCycles(edges)) {
    cycle.forEach((k) => inCycles.add(k));
    const head = byKey.get(cycle[0])!;
    const i = head.dependsOn.indexOf(cycle[1] ?? cycle[0]);
    r.error(
      head.origin.file,
      ["dependsOn", Math.max(i, 0)],
      `dependency cycle: ${[...cycle, cycle[0]].join(" -> ")}`,
    );
  }
  return inCycles;
}

function checkPipelines(
  r: Reporter,
  sources: readonly LoadedSource[],
  tables: readonly Table[],
  known: ReadonlySet<string>,
): void {
  const tableIds = new Map<string, Set<string>>();
  for (const t of tables) {
    const set = tableIds.get(t.source) ?? new Set<string>();
    set.add(t.id);
    tableIds.set(t.source, set);
  }
  const pipelineKeys = new Set(
    sources.flatMap((s) => s.config.pipelines.map((p) => `${s.config.id}/${p.id}`)),
  );
  for (const s of sources) {
    const owned = tableIds.get(s.config.id) ?? new Set<string>();
    const claimedBy = new Map<string, string>();
    s.config.pipelines.forEach((p, i) => {
      p.tables.forEach((t, j) => {
        if (!owned.has(t) && !known.has(`${s.config.id}/${t}`))
          r.error(
            s.file,
            ["pipelines", i, "tables", j],
            `unknown table "${t}" of source "${s.config.id}"${didYouMean(t, owned)}`,
          );
        const other = claimedBy.get(t);
        if (other !== undefined)
          r.error(
            s.file,
            ["pipelines", i, "tables", j],
            `table "${t}" is already in pipeline "${other}"`,
          );
        else claimedBy.set(t, p.id);
      });
      p.dependsOn.forEach((d, j) => {
        if (!pipelineKeys.has(d))
          r.error(
            s.file,
            ["pipelines", i, "dependsOn", j],
            `unknown pipeline "${d}" (write "<source>/<pipeline>")${didYouMean(d, pipelineKeys)}`,
          );
      });
    });
  }
}

function checkPhi(r: Reporter, tables: readonly Table[], envs: CheckInput["environments"]): void {
  for (const e of envs.filter((x) => x.phi === "none")) {
    for (const t of tables) {
      if (t.classification !== "phi") continue;
      if (t.environments[e.name]?.enabled === false) continue;
      r.error(
        t.origin.file,
        ["classification"],
        `table is classified phi but environment "${e.name}" allows no PHI (phi: none); add environments.${e.name}.enabled: false`,
      );
    }
  }
}

function checkSharding(
  r: Reporter,
  envs: CheckInput["environments"],
  sources: readonly LoadedSource[],
): void {
  const ids = new Set(sources.map((s) => s.config.id));
  for (const e of envs) {
    if (e.sharding.shards.length === 0) continue;
    const covered = new Set(e.sharding.shards.flatMap((s) => s.domains));
    const moved = new Map<string, string>();
    e.sharding.shards.forEach((sh, i) =>
      sh.sources.forEach((s, j) => {
        if (!ids.has(s))
          r.error(
            e.origin.file,
            ["sharding", "shards", i, "sources", j],
            `unknown source "${s}"${didYouMean(s, ids)}`,
          );
        const other = moved.get(s);
        if (other !== undefined)
          r.error(
            e.origin.file,
            ["sharding", "shards", i, "sources", j],
            `source "${s}" is already moved to shard "${other}"`,
          );
        else moved.set(s, sh.id);
      }),
    );
    const uncovered = [
      ...new Set(
        sources
          .filter((s) => !moved.has(s.config.id) && !covered.has(s.config.domain))
          .map((s) => s.config.domain),
      ),
    ].sort();
    for (const d of uncovered) {
      r.error(
        e.origin.file,
        ["sharding", "shards"],
        `domain "${d}" has sources but no shard; add it to a shard's domains`,
      );
    }
  }
}

/**
 * Cycles between pipelines, counting both declared `dependsOn` and those implied by tables
 * (a table depending on a table of another pipeline). Each cycle is reported once, at the
 * declaration or table dependency that closes it from its first pipeline.
 */
function checkPipelineCycles(
  r: Reporter,
  sources: readonly LoadedSource[],
  tables: readonly Table[],
  inTableCycles: ReadonlySet<string>,
): void {
  const pipelines = buildPipelines(sources, tables);
  const byKey = new Map(pipelines.map((p) => [p.key, p]));
  const edges = new Map(pipelines.map((p) => [p.key, p.dependsOn.filter((d) => byKey.has(d))]));
  const sourceById = new Map(sources.map((s) => [s.config.id, s]));
  const tableByKey = new Map(tables.map((t) => [t.key, t]));
  const pipelineOf = new Map<string, string>(
    pipelines.flatMap((p) => p.tables.map((t) => [`${p.source}/${t}`, p.key] as const)),
  );
  for (const cycle of findCycles(edges)) {
    const from = byKey.get(cycle[0])!;
    const to = cycle[1] ?? cycle[0];
    const text = `pipeline dependency cycle: ${[...cycle, cycle[0]].join(" -> ")}`;
    const src = sourceById.get(from.source)!;
    const declaredAt = src.config.pipelines.findIndex((p) => p.id === from.id);
    const declaredDep =
      declaredAt >= 0 ? src.config.pipelines[declaredAt].dependsOn.indexOf(to) : -1;
    if (declaredDep >= 0) {
      r.error(src.file, ["pipelines", declaredAt, "dependsOn", declaredDep], text);
      continue;
    }
    // The edge is implied by a table: point at the table dependency that makes it.
    for (const id of from.tables) {
      const t = tableByKey.get(`${from.source}/${id}`);
      const j = t?.dependsOn.findIndex((d) => pipelineOf.get(d) === to) ?? -1;
      if (t !== undefined && j >= 0) {
        // A cycle of tables is already reported as such.
        if (inTableCycles.has(t.key) && inTableCycles.has(t.dependsOn[j])) break;
        r.error(
          t.origin.file,
          ["dependsOn", j],
          `${text} (implied by this table dependency: a pipeline waits for the pipelines of its tables' upstream tables)`,
        );
        break;
      }
    }
  }
}

/**
 * The audit and hardening settings that depend on the environment: real PHI in production needs
 * an off-account copy in another account; real PHI is never processed without the compliance
 * security profile.
 */
function checkHardening(
  r: Reporter,
  f: string,
  e: Pick<Environment, "name" | "phi" | "aws" | "offAccountCopy" | "databricks">,
): void {
  const copy = e.offAccountCopy;
  if (e.phi === "real" && environmentTier(e.name) === "prod" && copy === undefined) {
    r.error(
      f,
      ["offAccountCopy"],
      "is required in production with real PHI: name an AWS Backup vault of another account (destinationVaultArn), so a compromised account cannot destroy the only copy",
    );
  }
  const copyAccount = copy?.destinationVaultArn.split(":")[4];
  if (copy !== undefined && copyAccount === e.aws.accountId) {
    r.error(
      f,
      ["offAccountCopy", "destinationVaultArn"],
      `is in the environment's own account (${e.aws.accountId}); the copy must live in another account`,
    );
  }
  if (e.phi === "real" && e.databricks.hardening.complianceSecurityProfile === false) {
    r.error(
      f,
      ["databricks", "hardening", "complianceSecurityProfile"],
      "cannot be false where real PHI is processed (Databricks requires the compliance security profile for HIPAA workloads)",
    );
  }
}

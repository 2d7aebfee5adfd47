/**
 * `hdp query` over the sample estate (configs/: 18 sources, 98 tables). Every expected result is
 * computed here from the Estate that @hdp/config loads, in TypeScript, never copied from the
 * engine's output, so a wrong row, column or overlay in the SQL tables fails the test.
 */
import { join } from "node:path";
import { effectiveEstate, loadEstate, type Estate } from "@hdp/config";
import { run } from "@hdp/cli";

const ROOT = join(__dirname, "..");
const CONFIGS = join(ROOT, "configs");

type Row = Record<string, unknown>;

async function query(sql: string, ...flags: string[]): Promise<Row[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(["query", "--configs", CONFIGS, "--format", "json", ...flags, sql], {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: ROOT,
  });
  if (code !== 0) throw new Error(`exit ${code}: ${err.join("")}`);
  return JSON.parse(out.join("")) as Row[];
}

const e: Estate = loadEstate(CONFIGS).estate;
const eff = Object.fromEntries(e.environments.map((x) => [x.name, effectiveEstate(e, x.name)]));
const ENVS = Object.keys(eff).sort();
const by =
  <T>(f: (x: T) => string | number) =>
  (a: T, b: T) => {
    const x = f(a);
    const y = f(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
const domainOf = (source: string) => e.sources.find((s) => s.id === source)!.domain;
const keys = e.tables.map((t) => t.key).sort();
const allColumns = e.tables.flatMap((t) => t.columns.map((c) => ({ t, c })));
const count = <T>(xs: readonly T[], f: (x: T) => string): [string, number][] => {
  const m = new Map<string, number>();
  for (const x of xs) m.set(f(x), (m.get(f(x)) ?? 0) + 1);
  return [...m].sort(by((p) => p[0]));
};

/** [what it shows, SQL, expected rows computed from the Estate, extra flags]. */
const CASES: [string, string, () => Row[], string[]?][] = [
  ["count of tables", "SELECT count(*) AS n FROM tables", () => [{ n: 98 }]],
  ["count of sources", "SELECT count(*) AS n FROM sources", () => [{ n: 18 }]],
  [
    "filter on classification",
    "SELECT key FROM tables WHERE classification = 'phi' ORDER BY key",
    () =>
      e.tables
        .filter((t) => t.classification === "phi")
        .map((t) => ({ key: t.key }))
        .sort(by((r) => r.key)),
  ],
  [
    "group by source",
    "SELECT source, count(*) AS n FROM tables GROUP BY source ORDER BY source",
    () => count(e.tables, (t) => t.source).map(([source, n]) => ({ source, n })),
  ],
  [
    "json_array_length on load keys",
    "SELECT key FROM tables WHERE load_mode = 'cdc' AND json_array_length(load_keys) > 1 ORDER BY key",
    () =>
      e.tables
        .filter((t) => t.load.mode === "cdc" && t.load.keys.length > 1)
        .map((t) => ({ key: t.key }))
        .sort(by((r) => r.key)),
  ],
  [
    "json_extract of the first key",
    "SELECT key, json_extract(load_keys, '$[0]') AS first_key FROM tables WHERE load_mode = 'cdc' ORDER BY key",
    () =>
      e.tables
        .flatMap((t) => (t.load.mode === "cdc" ? [{ key: t.key, first_key: t.load.keys[0] }] : []))
        .sort(by((r) => r.key)),
  ],
  [
    "join tables to sources",
    "SELECT t.key FROM tables t JOIN sources s ON s.id = t.source WHERE s.connection_kind = 'sftp' ORDER BY t.key",
    () =>
      e.tables
        .filter((t) => e.sources.find((s) => s.id === t.source)!.connection.kind === "sftp")
        .map((t) => ({ key: t.key }))
        .sort(by((r) => r.key)),
  ],
  [
    "LIKE on column names",
    "SELECT table_key, name FROM columns WHERE classification = 'phi' AND name LIKE '%date%' ORDER BY 1, 2",
    () =>
      allColumns
        .filter(({ c }) => c.classification === "phi" && c.name.toLowerCase().includes("date"))
        .map(({ t, c }) => ({ table_key: t.key, name: c.name }))
        .sort(by((r) => `${r.table_key} ${r.name}`)),
  ],
  [
    "GLOB on table ids",
    "SELECT key FROM tables WHERE id GLOB '*_events' ORDER BY key",
    () =>
      e.tables
        .filter((t) => t.id.endsWith("_events"))
        .map((t) => ({ key: t.key }))
        .sort(by((r) => r.key)),
  ],
  [
    "group by the derived domain",
    "SELECT domain, count(*) AS n FROM tables GROUP BY domain ORDER BY domain",
    () => count(e.tables, (t) => domainOf(t.source)).map(([domain, n]) => ({ domain, n })),
  ],
  [
    "left join and two aggregates",
    "SELECT s.domain, count(DISTINCT s.id) AS sources, count(t.key) AS tables FROM sources s LEFT JOIN tables t ON t.source = s.id GROUP BY s.domain ORDER BY s.domain",
    () =>
      [...new Set(e.sources.map((s) => s.domain))].sort().map((domain) => ({
        domain,
        sources: e.sources.filter((s) => s.domain === domain).length,
        tables: e.tables.filter((t) => domainOf(t.source) === domain).length,
      })),
  ],
  [
    "join columns and HAVING",
    "SELECT t.key, count(*) AS n FROM tables t JOIN columns c ON c.table_key = t.key GROUP BY t.key HAVING n >= 20 ORDER BY n DESC, t.key",
    () =>
      e.tables
        .filter((t) => t.columns.length >= 20)
        .map((t) => ({ key: t.key, n: t.columns.length }))
        .sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : 1)),
  ],
  [
    "sum of column counts",
    "SELECT sum(column_count) AS n, (SELECT count(*) FROM columns) AS m FROM tables",
    () => [{ n: allColumns.length, m: allColumns.length }],
  ],
  [
    "cdc merge keys",
    "SELECT table_key, name FROM columns WHERE is_key ORDER BY 1, 2",
    () =>
      allColumns
        .filter(({ t, c }) => t.load.mode === "cdc" && t.load.keys.includes(c.name))
        .map(({ t, c }) => ({ table_key: t.key, name: c.name }))
        .sort(by((r) => `${r.table_key} ${r.name}`)),
  ],
  [
    "json_extract with a negative index",
    "SELECT key FROM tables WHERE json_extract(layers, '$[#-1]') = 'gold' ORDER BY key",
    () =>
      e.tables
        .filter((t) => t.layers.at(-1) === "gold")
        .map((t) => ({ key: t.key }))
        .sort(by((r) => r.key)),
  ],
  [
    "json_each over layers",
    "SELECT value AS layer, count(*) AS n FROM tables, json_each(tables.layers) GROUP BY 1 ORDER BY 1",
    () =>
      count(
        e.tables.flatMap((t) => t.layers),
        (l) => l,
      ).map(([layer, n]) => ({ layer, n })),
  ],
  [
    "tables with upstream dependencies",
    "SELECT key, json_array_length(depends_on) AS n FROM tables WHERE depends_on <> '[]' ORDER BY key",
    () =>
      e.tables
        .filter((t) => t.dependsOn.length > 0)
        .map((t) => ({ key: t.key, n: t.dependsOn.length }))
        .sort(by((r) => r.key)),
  ],
  [
    "retention set on tables",
    "SELECT key, retention_days FROM tables WHERE retention_days > 0 ORDER BY key",
    () =>
      e.tables
        .filter((t) => t.retention.days > 0)
        .map((t) => ({ key: t.key, retention_days: t.retention.days }))
        .sort(by((r) => r.key)),
  ],
  [
    "teaching hospitals by beds",
    "SELECT id, beds FROM hospitals WHERE teaching ORDER BY beds DESC, id",
    () =>
      e.platform.hospitals
        .filter((h) => h.teaching)
        .map((h) => ({ id: h.id, beds: h.beds }))
        .sort((a, b) => b.beds - a.beds || (a.id < b.id ? -1 : 1)),
  ],
  [
    "sources per hospital through json_each",
    "SELECT h.id, count(s.id) AS sources FROM hospitals h LEFT JOIN sources s ON EXISTS (SELECT 1 FROM json_each(s.hospitals) j WHERE j.value = h.id) GROUP BY h.id ORDER BY h.id",
    () =>
      e.platform.hospitals
        .map((h) => ({
          id: h.id,
          sources: e.sources.filter((s) => s.hospitals.includes(h.id)).length,
        }))
        .sort(by((r) => r.id)),
  ],
  [
    "enabled tables per environment",
    "SELECT env, count(*) AS n FROM effective_tables WHERE enabled GROUP BY env ORDER BY env",
    () => ENVS.map((env) => ({ env, n: eff[env].tables.filter((t) => t.enabled).length })),
  ],
  [
    "--env dev: disabled tables",
    "SELECT key FROM effective_tables WHERE NOT enabled ORDER BY key",
    () =>
      eff.dev.tables
        .filter((t) => !t.enabled)
        .map((t) => ({ key: t.key }))
        .sort(by((r) => r.key)),
    ["--env", "dev"],
  ],
  [
    "--env prod: estate.effective_tables keeps every environment",
    "SELECT (SELECT count(*) FROM effective_tables) AS prod, (SELECT count(*) FROM estate.effective_tables) AS all_envs",
    () => [{ prod: e.tables.length, all_envs: e.tables.length * ENVS.length }],
    ["--env", "prod"],
  ],
  [
    "schedules overridden per environment",
    "SELECT env, id, schedule_cron FROM effective_sources es WHERE schedule_cron <> (SELECT schedule_cron FROM sources s WHERE s.id = es.id) ORDER BY env, id",
    () =>
      ENVS.flatMap((env) =>
        eff[env].sources
          .filter((s) => s.schedule.cron !== e.sources.find((b) => b.id === s.id)!.schedule.cron)
          .map((s) => ({ env, id: s.id, schedule_cron: s.schedule.cron })),
      ),
  ],
  [
    "disabled sources per environment",
    "SELECT env, id FROM effective_sources WHERE NOT enabled ORDER BY env, id",
    () =>
      ENVS.flatMap((env) =>
        eff[env].sources.filter((s) => !s.enabled).map((s) => ({ env, id: s.id })),
      ),
  ],
  [
    "enabled DAGs per environment",
    "SELECT env, count(*) AS n FROM effective_pipelines WHERE enabled GROUP BY env ORDER BY env",
    () => ENVS.map((env) => ({ env, n: eff[env].pipelines.filter((p) => p.enabled).length })),
  ],
  [
    "declared pipelines and their DAG ids",
    "SELECT key, dag_id, table_count FROM pipelines WHERE kind = 'declared' ORDER BY key",
    () =>
      e.pipelines
        .filter((p) => p.kind === "declared")
        .map((p) => ({ key: p.key, dag_id: p.dagId, table_count: p.tables.length })),
  ],
  [
    "join pipelines to their tables",
    "SELECT p.key AS pipeline, t.id FROM pipelines p JOIN tables t ON t.pipeline = p.key WHERE p.source = 'epic-clarity' ORDER BY 1, 2",
    () =>
      e.pipelines
        .filter((p) => p.source === "epic-clarity")
        .flatMap((p) => p.tables.map((id) => ({ pipeline: p.key, id })))
        .sort(by((r) => `${r.pipeline} ${r.id}`)),
  ],
  [
    "environments and their stacks",
    "SELECT name, phi, json_array_length(stacks) AS stacks FROM environments ORDER BY name",
    () => e.environments.map((x) => ({ name: x.name, phi: x.phi, stacks: x.stacks.length })),
  ],
  [
    "tables at the ceiling of their domain",
    "SELECT t.key FROM tables t JOIN domains d ON d.id = t.domain WHERE t.classification = d.max_classification ORDER BY 1",
    () =>
      e.tables
        .filter(
          (t) =>
            t.classification ===
            e.platform.domains.find((d) => d.id === domainOf(t.source))!.maxClassification,
        )
        .map((t) => ({ key: t.key }))
        .sort(by((r) => r.key)),
  ],
  [
    "columns by classification",
    "SELECT classification, count(*) AS n FROM columns GROUP BY 1 ORDER BY 1",
    () =>
      count(allColumns, ({ c }) => c.classification).map(([classification, n]) => ({
        classification,
        n,
      })),
  ],
  [
    "where each table is declared",
    'SELECT key, file, line, "column" FROM tables ORDER BY key',
    () =>
      e.tables
        .map((t) => ({
          key: t.key,
          file: t.origin.file,
          line: t.origin.line,
          column: t.origin.column,
        }))
        .sort(by((r) => r.key)),
  ],
  [
    "where each PHI column is declared",
    "SELECT file, line FROM columns WHERE classification = 'phi' AND table_key = 'epic-clarity/patients' ORDER BY line",
    () =>
      e.tables
        .find((t) => t.key === "epic-clarity/patients")!
        .columns.filter((c) => c.classification === "phi")
        .map((c) => ({ file: c.origin.file, line: c.origin.line })),
  ],
];

describe("hdp query over configs/", () => {
  it("the sample estate has 18 sources and 98 tables", () => {
    expect(e.sources).toHaveLength(18);
    expect(keys).toHaveLength(98);
  });

  it("has at least 25 cases, and most of them return rows", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    expect(CASES.filter(([, , expected]) => expected().length > 0).length).toBe(CASES.length);
  });

  it.each(CASES)("%s", async (_what, sql, expected, flags = []) => {
    expect(await query(sql, ...flags)).toEqual(expected());
  });
});

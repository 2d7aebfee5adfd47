/**
 * `hdp query` at size: builds an Estate of N tables (12 columns each, 200 tables per source,
 * three environments) in memory, loads it into the SQL engine table by table, then times typical
 * queries (median of several runs, after one warm-up).
 *
 *   npx tsx --conditions=@hdp/source bench/query.ts [N=100000]
 *   pnpm bench:query --end-to-end [CONFIGS_DIR]
 *
 * `--end-to-end` times the real `hdp query` instead, a fresh process per run, at the
 * health-system preset's size (generated into a temp dir unless given): cold (`--no-cache`:
 * load the config files, fill SQLite) against warm (the saved database of an unchanged tree),
 * in the same run; target warm < 1 s. Run `pnpm build` first to time the published entry too.
 *
 * Building the Estate in memory keeps YAML parsing out of the figures (`bench/config-load.ts`
 * measures that); the rows, JSON columns and overlays are what the loader would produce.
 */
import { readdirSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import {
  dagId,
  loadEstate,
  type Column,
  type Estate,
  type Pipeline,
  type Source,
  type Table,
} from "@hdp/config";
import { EstateDatabase, TABLES } from "@hdp/query";
import { coldVersusWarm, machine, presetEstate } from "./end-to-end";

const END_TO_END = process.argv[2] === "--end-to-end";
const N = Number((END_TO_END ? undefined : process.argv[2]) ?? 100_000);
const PER_SOURCE = 200;
const RUNS = 7;
const TYPES = ["string", "bigint", "timestamp", "decimal(18,2)"];

function buildEstate(n: number): Estate {
  const base = loadEstate(join(__dirname, "..", "test", "fixtures", "base"));
  if (!base.ok) throw new Error("the base fixture is invalid");
  const sources: Source[] = [];
  const tables: Table[] = [];
  const pipelines: Pipeline[] = [];
  const domains = ["clinical", "workforce"] as const;
  for (let s = 0; s * PER_SOURCE < n; s++) {
    const id = `gen-${s}`;
    const sourceFile = `sources/${id}/source.yaml`;
    sources.push({
      id,
      name: `Generated ${s}`,
      description: `Generated source ${s}`,
      domain: domains[s % 2],
      hospitals: ["north-general", "south-medical"],
      owner: { team: "gen", email: "gen@example.org" },
      classification: s % 2 === 0 ? "phi" : "pii",
      connection: { kind: "file-drop", format: "csv", filePattern: "*.csv" },
      schedule: { cron: "0 2 * * *", timezone: "America/Chicago" },
      tags: {},
      environments: s % 10 === 0 ? { dev: { enabled: false } } : {},
      origin: { file: sourceFile, line: 1, column: 1 },
    });
    const ids: string[] = [];
    for (let t = 0; t < PER_SOURCE && s * PER_SOURCE + t < n; t++) {
      const tid = `t_${t}`;
      const file = `sources/${id}/tables/${tid}.yaml`;
      ids.push(tid);
      const columns: Column[] = Array.from({ length: 12 }, (_, c) => ({
        name: c === 3 ? `patient_ssn_${t % 7}` : `col_${c}`,
        type: TYPES[c % 4],
        nullable: c !== 0,
        classification: c % 5 === 1 || c === 3 ? (s % 2 === 0 ? "phi" : "pii") : "internal",
        description: `Column ${c} of table ${t}`,
        origin: { file, line: 6 + c * 5, column: 5 },
      }));
      tables.push({
        id: tid,
        description: `Generated table ${t} of source ${s}`,
        classification: s % 2 === 0 ? "phi" : "pii",
        columns,
        load: { mode: "cdc", keys: ["col_0"], sequenceBy: "col_2" },
        layers:
          t % 4 === 0 ? ["landing", "bronze", "silver", "gold"] : ["landing", "bronze", "silver"],
        retention: { landingDays: 30, days: t % 5 === 0 ? 2555 : 0 },
        partitionBy: [],
        dependsOn: t > 0 && t % 10 === 0 ? [`${id}/t_${t - 1}`] : [],
        tags: {},
        environments: t % 3 === 0 ? { dev: { enabled: false } } : {},
        source: id,
        key: `${id}/${tid}`,
        origin: { file, line: 2, column: 1 },
      });
    }
    pipelines.push({
      source: id,
      id: "ingest",
      key: `${id}/ingest`,
      dagId: dagId(id, "ingest"),
      description: `Tables of ${id} on the source's schedule`,
      tables: ids.sort(),
      schedule: { cron: "0 2 * * *", timezone: "America/Chicago" },
      dependsOn: [],
      kind: "default",
      ownSchedule: false,
      retries: 2,
      timeoutMinutes: 120,
      origin: { file: sourceFile, line: 1, column: 1 },
    });
  }
  const key = (x: { key: string }) => x.key;
  return {
    ...base.estate,
    sources: [...base.estate.sources, ...sources].sort((a, b) => (a.id < b.id ? -1 : 1)),
    tables: [...base.estate.tables, ...tables].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
    pipelines: [...base.estate.pipelines, ...pipelines].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
  };
}

const QUERIES: [string, string][] = [
  ["count per source", "SELECT source, count(*) AS n FROM tables GROUP BY source"],
  ["find one table", "SELECT key, file, line FROM tables WHERE id = 't_123' AND source = 'gen-77'"],
  [
    "filter + json_extract",
    "SELECT key FROM tables WHERE classification = 'phi' AND json_extract(layers, '$[#-1]') = 'gold'",
  ],
  [
    "LIKE over every column",
    "SELECT table_key, name FROM columns WHERE name LIKE '%ssn%' AND classification = 'phi'",
  ],
  [
    "columns of one table",
    "SELECT name, type, classification FROM columns WHERE table_key = 'gen-42/t_17'",
  ],
  [
    "join one source's columns",
    "SELECT t.key, count(*) AS phi FROM tables t JOIN columns c ON c.table_key = t.key WHERE t.source = 'gen-8' AND c.classification = 'phi' GROUP BY t.key",
  ],
  ["enabled per env", "SELECT env, count(*) AS n FROM effective_tables WHERE enabled GROUP BY env"],
  [
    "disabled in dev (paths)",
    "SELECT file, line FROM effective_tables WHERE env = 'dev' AND NOT enabled AND source = 'gen-12'",
  ],
  [
    "pipelines with most tables",
    "SELECT key, table_count FROM pipelines ORDER BY table_count DESC LIMIT 10",
  ],
];

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const fmt = (x: number): string => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

/** Wall-clock and CPU milliseconds of `fn` (CPU time is steadier on a busy machine). */
function time<T>(fn: () => T): { wall: number; cpu: number; value: T } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { wall: ms(t0), cpu: (c.user + c.system) / 1000, value };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const built = time(() => buildEstate(N));
  const estate = built.value;
  const columns = estate.tables.reduce((n, t) => n + t.columns.length, 0);
  console.log(
    `estate: ${estate.tables.length.toLocaleString("en-US")} tables, ${columns.toLocaleString("en-US")} columns, ${estate.sources.length} sources, ${estate.environments.length} environments (built in memory in ${fmt(built.wall)})`,
  );
  const t0 = process.hrtime.bigint();
  const db = await EstateDatabase.open(estate);
  console.log(`open (sql.js WebAssembly + empty tables): ${fmt(ms(t0))}`);
  console.log("load, table by table (wall / CPU):");
  let wall = 0;
  let cpu = 0;
  for (const t of TABLES) {
    const r = time(() => db.query(`SELECT count(*) FROM ${t.name}`).rows[0][0]);
    wall += r.wall;
    cpu += r.cpu;
    console.log(
      `  ${t.name.padEnd(20)} ${String(r.value).padStart(10)} rows  ${fmt(r.wall).padStart(9)} / ${fmt(r.cpu)}`,
    );
  }
  console.log(`  every table${" ".repeat(28)}${fmt(wall).padStart(9)} / ${fmt(cpu)}`);

  console.log(`queries (median of ${RUNS} after a warm-up, wall / CPU; target < 100 ms):`);
  let under = 0;
  for (const [name, sql] of QUERIES) {
    const rows = db.query(sql).rows.length;
    const runs = Array.from({ length: RUNS }, () => time(() => db.query(sql)));
    const w = median(runs.map((r) => r.wall));
    const c = median(runs.map((r) => r.cpu));
    if (w < 100) under++;
    console.log(
      `  ${name.padEnd(28)} ${String(rows).padStart(7)} rows  ${fmt(w).padStart(9)} / ${fmt(c)}`,
    );
  }
  console.log(`${under}/${QUERIES.length} typical queries under 100 ms`);

  // Baseline in the same process: the first filter written as plain TypeScript over the Estate.
  const sql = median(Array.from({ length: RUNS }, () => time(() => db.query(QUERIES[2][1])).wall));
  const ts = median(
    Array.from(
      { length: RUNS },
      () =>
        time(() =>
          estate.tables
            .filter((t) => t.classification === "phi" && t.layers.at(-1) === "gold")
            .map((t) => t.key),
        ).wall,
    ),
  );
  console.log(
    `ratio "${QUERIES[2][0]}" in SQL / the same filter in TypeScript: ${(sql / ts).toFixed(1)}x (${fmt(sql)} / ${fmt(ts)})`,
  );
  console.log(
    `memory: ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB RSS, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`,
  );
  db.close();
}

/** The real `hdp query`, cold against warm: a lookup, and a scan of every column. */
function endToEnd(dir: string | undefined): void {
  const estate = presetEstate(dir);
  try {
    const source = readdirSync(join(estate.dir, "sources")).sort()[0];
    const table = readdirSync(join(estate.dir, "sources", source, "tables")).sort()[0];
    const edit = `sources/${source}/tables/${table}`;
    const id = table.replace(/\.yaml$/, "");
    coldVersusWarm(
      "query",
      estate.dir,
      ["query", `SELECT key, file, line FROM tables WHERE id = '${id}'`],
      edit,
    );
    console.log(`\n${machine()}`);
  } finally {
    estate.cleanup();
  }
}

if (END_TO_END) endToEnd(process.argv[3]);
else void main();

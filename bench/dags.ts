/**
 * DAG rendering at size: an in-memory estate of N pipelines (each table on its own schedule,
 * 20 per source, every tenth depending on the one before it), then times `renderDags` for one
 * environment (models, checks, Python text) against a baseline in the same process: serialising
 * the same DAG models to JSON, the least any renderer of those files must do.
 *
 *   pnpm bench:dags [N=10000]
 */
import { join } from "node:path";
import {
  dagId,
  loadEstate,
  type Estate,
  type Pipeline,
  type Source,
  type Table,
} from "@hdp/config";
import { dagModels, renderDags } from "@hdp/dags";

const N = Number(process.argv[2] ?? 10_000);
const PER_SOURCE = 20;
const RUNS = 5;

function buildEstate(n: number): Estate {
  const base = loadEstate(join(__dirname, "..", "test", "fixtures", "base"));
  if (!base.ok) throw new Error("the base fixture is invalid");
  const sources: Source[] = [];
  const tables: Table[] = [];
  const pipelines: Pipeline[] = [];
  for (let s = 0; s * PER_SOURCE < n; s++) {
    const id = `gen-${s}`;
    const sourceFile = `sources/${id}/source.yaml`;
    sources.push({
      id,
      name: `Generated ${s}`,
      description: `Generated source ${s}`,
      domain: s % 2 === 0 ? "clinical" : "workforce",
      hospitals: ["north-general", "south-medical"],
      owner: { team: "gen", email: "gen@example.org" },
      classification: "phi",
      connection: { kind: "file-drop", format: "csv", filePattern: "*.csv" },
      schedule: { cron: "0 2 * * *", timezone: "America/Chicago" },
      tags: { vendor: "generated" },
      environments: {},
      origin: { file: sourceFile, line: 1, column: 1 },
    });
    for (let t = 0; t < PER_SOURCE && s * PER_SOURCE + t < n; t++) {
      const tid = `t_${t}`;
      const file = `sources/${id}/tables/${tid}.yaml`;
      const schedule = { cron: `${t % 60} ${s % 24} * * *`, timezone: "UTC" };
      tables.push({
        id: tid,
        description: `Generated table ${t}`,
        classification: "phi",
        columns: [
          {
            name: "id",
            type: "bigint",
            nullable: false,
            classification: "internal",
            origin: { file, line: 5, column: 5 },
          },
        ],
        load: { mode: "full" },
        layers:
          t % 4 === 0 ? ["landing", "bronze", "silver", "gold"] : ["landing", "bronze", "silver"],
        retention: { landingDays: 30, days: 0 },
        schedule,
        partitionBy: [],
        dependsOn: [],
        tags: {},
        environments: {},
        source: id,
        key: `${id}/${tid}`,
        origin: { file, line: 1, column: 1 },
      } as unknown as Table); // later config fields (gold, landing format…) keep their defaults
      const pid = tid.replaceAll("_", "-");
      pipelines.push({
        source: id,
        id: pid,
        key: `${id}/${pid}`,
        dagId: dagId(id, tid),
        description: `Table ${id}/${tid} on its own schedule`,
        tables: [tid],
        schedule,
        dependsOn: t % 10 === 9 ? [`${id}/t-${t - 1}`] : [],
        kind: "table",
        ownSchedule: false,
        retries: 2,
        timeoutMinutes: 120,
        origin: { file, line: 1, column: 1 },
      });
    }
  }
  const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : 1);
  return {
    ...base.estate,
    sources: [...base.estate.sources, ...sources].sort((a, b) => (a.id < b.id ? -1 : 1)),
    tables: [...base.estate.tables, ...tables].sort(byKey),
    pipelines: [...base.estate.pipelines, ...pipelines].sort(byKey),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(f: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = f();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

function main(): void {
  const estate = buildEstate(N);
  const env = "prod";
  const ids = Object.fromEntries(
    dagModels(estate, env).map((m, i) => [m.pipelineKey, `${1e6 + i}`]),
  );
  const render: number[] = [];
  const baseline: number[] = [];
  let files = 0;
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    // A fresh copy each run: effectiveEstate is cached per estate object.
    const fresh = { ...estate };
    const r = time(() => renderDags(fresh, env, ids));
    render.push(r.ms);
    files = r.value.length;
    bytes = r.value.reduce((n, f) => n + f.content.length, 0);
    const again = { ...estate };
    baseline.push(time(() => dagModels(again, env).map((m) => JSON.stringify(m))).ms);
  }
  const r = median(render);
  const b = median(baseline);
  console.log(
    `${files.toLocaleString("en-US")} DAG files (${(bytes / 1e6).toFixed(1)} MB) of ${N.toLocaleString("en-US")} pipelines, median of ${RUNS}:\n` +
      `  renderDags (models, checks, Python)  ${(r / 1000).toFixed(2)} s  (target < 2 s)\n` +
      `  baseline (the same models as JSON)   ${(b / 1000).toFixed(2)} s\n` +
      `  ratio                                ${(r / b).toFixed(2)}x`,
  );
}

main();

/**
 * The test that matters for the DAG files: real Airflow (3.0.6, from the repository's pinned venv)
 * parses every generated DAG of every environment of the sample estate with its own DagBag, and
 * what it finds matches config: no import error, the DAG ids, one DAG per file, the task counts,
 * every dependency, the schedule, the job ids and task keys, retries, timeouts, owners and tags.
 * Parse time per file is printed. `ruff` lints the files with Airflow's rules.
 *
 * The venv comes from `node scripts/python-env.mjs` (the test command runs it before jest).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import {
  airflowTimeoutMinutes,
  DATABRICKS_CONN_ID,
  DATE_TEMPLATE,
  dagModels,
  jobTaskKey,
  MAX_CONCURRENT_RUNS,
  renderDag,
  renderDags,
  type DagModel,
} from "@hdp/dags";
import {
  HOSTILE,
  HOSTILE_PIPELINE,
  hostileEstate,
} from "../packages/dags/src/__fixtures__/hostile";
import { MODEL } from "../packages/dags/src/__fixtures__/models";

const ROOT = join(__dirname, "..");
const PYTHON = join(
  ROOT,
  ".venv",
  process.platform === "win32" ? "Scripts/python.exe" : "bin/python",
);
const RUFF = join(ROOT, ".venv", process.platform === "win32" ? "Scripts/ruff.exe" : "bin/ruff");
const PARSE = join(ROOT, "packages/dags/verify/parse_dags.py");
const RUFF_CONFIG = join(ROOT, "packages/dags/ruff.toml");

interface ParsedTask {
  operator: string;
  upstream: string[];
  job_id: string | null;
  only: string[] | null;
  job_parameters: Record<string, string> | null;
  conn_id: string | null;
  deferrable: boolean | null;
  retries: number;
  timeout_s: number | null;
  owner: string;
  outlets: string[];
}
interface ParsedDag {
  file: string;
  schedule: {
    kind: string;
    cron?: string;
    timezone?: string;
    timetable?: string;
    uris?: string[];
    condition?: string;
  };
  tags: string[];
  description: string | null;
  doc_md: string | null;
  catchup: boolean;
  max_active_runs: number;
  max_active_tasks: number;
  tasks: Record<string, ParsedTask>;
}
interface ParsedFolder {
  import_errors: Record<string, string>;
  dags: Record<string, ParsedDag>;
  stats: { file: string; seconds: number; dags: number; tasks: number }[];
  total_seconds: number;
}

/** Runs the venv's Python; a missing venv fails with the command that makes it. */
function venv(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  if (!existsSync(cmd)) {
    throw new Error(
      `${cmd} is missing: run \`node scripts/python-env.mjs\` (the test command does)`,
    );
  }
  return spawnSync(cmd, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Fake but distinct numeric job ids, one per pipeline of the environment. */
function jobIds(models: readonly DagModel[], base: number): Record<string, string> {
  return Object.fromEntries(models.map((m, i) => [m.pipelineKey, String(base + i)]));
}

/** The tasks config says a DAG has, with their upstream task ids. */
function expectedTasks(m: DagModel): Map<string, string[]> {
  const single = m.tables.length === 1;
  const id = (table: string, layer: string) => (single ? layer : `${table}.${layer}`);
  const last = new Map(
    m.tables.map((t) => [t.id, id(t.id, t.layers[t.layers.length - 1] as string)]),
  );
  const tasks = new Map<string, string[]>();
  for (const t of m.tables) {
    t.layers.forEach((layer, i) => {
      const up = i > 0 ? [id(t.id, t.layers[i - 1])] : t.after.map((a) => last.get(a) as string);
      tasks.set(id(t.id, layer), up.sort());
    });
  }
  if (!single) {
    const upstreamOfSomeone = new Set(m.tables.flatMap((t) => t.after));
    tasks.set(
      "publish",
      m.tables
        .filter((t) => !upstreamOfSomeone.has(t.id))
        .map((t) => last.get(t.id) as string)
        .sort(),
    );
  }
  return tasks;
}

/** The hand-written model on @once, in a DAG of its own. */
const ONCE: DagModel = { ...MODEL, dagId: "lab__once", schedule: { kind: "once" } };

describe("real Airflow parses every generated DAG of the sample estate", () => {
  const estate = loadEstateOrThrow(join(ROOT, "configs"));
  const envs = estate.environments.map((e) => e.name);
  const dir = mkdtempSync(join(tmpdir(), "hdp-dags-"));
  const models = new Map<string, DagModel[]>();
  const ids = new Map<string, Record<string, string>>();
  let parsed: Record<string, ParsedFolder> = {};
  // The hand-broken estate's dev DAGs, parsed in their own folder by the same Airflow run.
  const hostile = hostileEstate(estate);
  const hostileModels = dagModels(hostile, "dev");

  beforeAll(() => {
    envs.forEach((env, i) => {
      const ms = dagModels(estate, env);
      models.set(env, ms);
      ids.set(env, jobIds(ms, 1000 * (i + 1)));
      mkdirSync(join(dir, env));
      for (const f of renderDags(estate, env, ids.get(env) ?? {})) {
        writeFileSync(join(dir, env, f.path), f.content);
      }
    });
    mkdirSync(join(dir, "hostile"));
    for (const f of renderDags(hostile, "dev", jobIds(hostileModels, 9000))) {
      writeFileSync(join(dir, "hostile", f.path), f.content);
    }
    // A hand-written model with a table waiting for another of the same DAG.
    mkdirSync(join(dir, "handmade"));
    writeFileSync(join(dir, "handmade", `${MODEL.dagId}.py`), renderDag(MODEL, "4711"));
    writeFileSync(join(dir, "handmade", "lab__once.py"), renderDag(ONCE, "4712"));
    const out = join(dir, "parsed.json");
    const folders = [...envs, "hostile", "handmade"].map((e) => join(dir, e));
    const r = venv(PYTHON, [PARSE, out, ...folders], {
      AIRFLOW_HOME: join(dir, "airflow-home"),
      AIRFLOW__CORE__LOAD_EXAMPLES: "False",
      AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT: "30",
    });
    if (r.status !== 0) throw new Error(`parse_dags.py failed:\n${r.stdout}\n${r.stderr}`);
    parsed = JSON.parse(readFileSync(out, "utf8")) as Record<string, ParsedFolder>;
  }, 240_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("covers three environments, each with DAGs", () => {
    expect(envs.sort()).toEqual(["dev", "prod", "stage"]);
    for (const env of envs) expect((models.get(env) ?? []).length).toBeGreaterThan(20);
  });

  it.each(["dev", "stage", "prod"])(
    "%s: zero import errors, one DAG per file, the DAG ids of config",
    (env) => {
      const p = parsed[env];
      expect(p.import_errors).toEqual({});
      const ms = models.get(env) ?? [];
      expect(Object.keys(p.dags).sort()).toEqual(ms.map((m) => m.dagId).sort());
      expect(p.stats).toHaveLength(ms.length);
      for (const s of p.stats) expect(s.dags).toBe(1);
      for (const m of ms) expect(p.dags[m.dagId]?.file).toBe(`${m.dagId}.py`);
      // The parse time of every file, as DagBag measured it (reported, never asserted).
      const slowest = [...p.stats].sort((a, b) => b.seconds - a.seconds);
      console.log(
        `${env}: ${p.stats.length} files parsed by Airflow in ${p.total_seconds.toFixed(2)} s ` +
          `(the first file pays for importing the Databricks provider)\n` +
          slowest.map((s) => `  ${s.seconds.toFixed(3)} s  ${s.tasks} tasks  ${s.file}`).join("\n"),
      );
    },
  );

  it.each(["dev", "stage", "prod"])(
    "%s: tasks, dependencies, job ids and settings match config",
    (env) => {
      const p = parsed[env];
      const ms = models.get(env) ?? [];
      expect(ms.length).toBeGreaterThan(0);
      let multiTable = 0;
      let assetScheduled = 0;
      for (const m of ms) {
        const dag = p.dags[m.dagId];
        const want = expectedTasks(m);
        const got = new Map(
          Object.entries(dag.tasks).map(([id, t]) => [id, [...t.upstream].sort()]),
        );
        expect({ dag: m.dagId, tasks: got }).toEqual({ dag: m.dagId, tasks: want });
        expect(Object.keys(dag.tasks)).toHaveLength(
          m.tables.reduce((n, t) => n + t.layers.length, 0) + (m.tables.length > 1 ? 1 : 0),
        );
        if (m.tables.length > 1) multiTable++;
        for (const [id, t] of Object.entries(dag.tasks)) {
          expect(t.owner).toBe(m.owner);
          expect(t.retries).toBe(m.retries);
          expect(t.timeout_s).toBe(airflowTimeoutMinutes(m.timeoutMinutes) * 60);
          if (id === "publish") {
            expect(t.operator).toBe("EmptyOperator");
            expect(t.outlets).toEqual([m.asset.uri]);
            continue;
          }
          const [table, layer] = m.tables.length === 1 ? [m.tables[0]?.id, id] : id.split(".");
          expect(t.operator).toBe("DatabricksRunNowOperator");
          expect(t.job_id).toBe(ids.get(env)?.[m.pipelineKey]);
          expect(t.only).toEqual([jobTaskKey(table, layer as "bronze")]);
          expect(t.job_parameters).toEqual({ date: DATE_TEMPLATE });
          expect(t.conn_id).toBe(DATABRICKS_CONN_ID);
          expect(t.deferrable).toBe(true);
        }
        expect(dag.tags).toEqual([...m.tags].sort());
        expect(dag.catchup).toBe(false);
        expect(dag.max_active_runs).toBe(1);
        expect(dag.max_active_tasks).toBe(Math.min(m.tables.length, MAX_CONCURRENT_RUNS));
        if (m.schedule.kind === "cron") {
          expect(dag.schedule).toMatchObject({
            kind: "cron",
            timetable: "CronTriggerTimetable",
            cron: m.schedule.cron,
            timezone: m.schedule.timezone,
          });
        } else if (m.schedule.kind === "once") {
          expect(dag.schedule).toEqual({ kind: "once" });
        } else {
          assetScheduled++;
          expect(dag.schedule).toEqual({
            kind: "assets",
            condition: "AssetAll",
            uris: m.schedule.assets.map((a) => a.uri).sort(),
          });
        }
      }
      expect(multiTable).toBeGreaterThan(0);
      expect(assetScheduled).toBeGreaterThan(0);
    },
  );

  it("every upstream asset a DAG waits for is published by a DAG of the same environment", () => {
    for (const env of envs) {
      const p = parsed[env];
      const published = new Set(
        Object.values(p.dags).flatMap((d) => Object.values(d.tasks).flatMap((t) => t.outlets)),
      );
      const awaited = Object.values(p.dags).flatMap((d) => d.schedule.uris ?? []);
      expect(awaited.length).toBeGreaterThan(0);
      for (const uri of awaited) expect(published).toContain(uri);
    }
  });

  it("a table waiting for another table of its DAG waits for its last layer", () => {
    const p = parsed.handmade;
    expect(p.import_errors).toEqual({});
    const dag = p.dags[MODEL.dagId];
    const got = new Map(Object.entries(dag.tasks).map(([id, t]) => [id, [...t.upstream].sort()]));
    expect(got).toEqual(expectedTasks(MODEL));
    expect(dag.tasks["results.bronze"]?.upstream).toEqual(["orders.silver"]);
    expect(dag.tasks.publish?.upstream).toEqual(["results.gold"]);
  });

  it("an @once pipeline gets Airflow's once timetable", () => {
    const p = parsed.handmade;
    expect(p.import_errors).toEqual({});
    expect(p.dags.lab__once?.schedule).toEqual({ kind: "once" });
  });

  it("a hand-broken config hides no DAG, and Airflow reads back exactly what config said", () => {
    const p = parsed.hostile;
    expect(p.import_errors).toEqual({});
    expect(Object.keys(p.dags).sort()).toEqual(hostileModels.map((m) => m.dagId).sort());
    expect(Object.keys(p.dags)).toHaveLength((models.get("dev") ?? []).length);
    const m = hostileModels.find((x) => x.pipelineKey === HOSTILE_PIPELINE) as DagModel;
    const dag = p.dags[m.dagId];
    expect(dag.description).toBe(HOSTILE.description.replace(/\s+/g, " ").trim());
    expect(dag.doc_md?.startsWith(HOSTILE.description)).toBe(true);
    expect(dag.tags).toContain(`note:${HOSTILE.tagValue}`);
    const long = dag.tags.find((t) => t.startsWith("long:"));
    expect(long?.length).toBe(100);
    expect(Object.keys(p.dags)).not.toContain("shadow");
  });

  it("ruff (with Airflow's AIR rules) passes on every generated file", () => {
    const folders = [...envs, "hostile", "handmade"].map((e) => join(dir, e));
    const verify = join(ROOT, "packages/dags/verify");
    const r = venv(RUFF, ["check", "--no-cache", "--config", RUFF_CONFIG, ...folders, verify]);
    const f = venv(RUFF, ["format", "--check", "--no-cache", "--config", RUFF_CONFIG, verify]);
    expect(f.status).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain("All checks passed");
    expect(r.status).toBe(0);
  });
});

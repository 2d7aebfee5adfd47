import { join } from "node:path";
import { loadEstateOrThrow, type Estate } from "@hdp/config";
import { HOSTILE, HOSTILE_PIPELINE, hostileEstate } from "./__fixtures__/hostile";
import { MODEL } from "./__fixtures__/models";
import { dagFilePath, renderDags, validateDagModels } from "./files";
import { jobTaskKey, MAX_TASK_KEY } from "./job-tasks";
import { dagModels, dagTag, type DagModel } from "./model";
import { renderDag } from "./render";
import { airflowRequirements, validateAirflowTarget } from "./target";

const CONFIGS = join(__dirname, "../../../configs");

let estate: Estate;
beforeAll(() => {
  estate = loadEstateOrThrow(CONFIGS);
});

const ids = (ms: readonly DagModel[]) =>
  Object.fromEntries(ms.map((m, i) => [m.pipelineKey, `${100 + i}`]));

describe("renderDag", () => {
  it("renders a multi-table, asset-scheduled DAG", () => {
    expect(renderDag(MODEL, "4711")).toMatchSnapshot();
  });

  it("renders a single-table DAG on a cron schedule without task groups", () => {
    const single: DagModel = {
      ...MODEL,
      schedule: { kind: "cron", ...MODEL.cron },
      ignoredUpstream: [],
      tables: [{ id: "results", layers: ["bronze", "silver"], after: [] }],
    };
    const text = renderDag(single, "4711");
    expect(text).toMatchSnapshot();
    expect(text).not.toContain("TaskGroup");
    expect(text).toContain('CronTriggerTimetable("0 5 * * *", timezone="America/Chicago")');
  });

  it("renders a DAG of the sample estate, naming the config files it came from", () => {
    const m = dagModels(estate, "prod").find((x) => x.pipelineKey === "epic-clarity/orders");
    expect(m).toBeDefined();
    const text = renderDag(m as DagModel, "123456789");
    expect(text).toMatchSnapshot();
    expect(text).toContain("#   sources/epic-clarity/source.yaml");
    expect(text).toContain("#   environments/prod.yaml");
    expect(text).toContain("#   sources/epic-clarity/tables/medication_orders.yaml");
  });

  it("escapes a hostile job id like any other string", () => {
    expect(renderDag(MODEL, '1"\nimport os')).toContain('JOB_ID = "1\\"\\nimport os"');
  });
});

describe("renderDags", () => {
  it("is deterministic: the same config gives the same bytes, loaded twice", () => {
    const again = loadEstateOrThrow(CONFIGS);
    for (const env of ["dev", "stage", "prod"]) {
      const a = renderDags(estate, env, ids(dagModels(estate, env)));
      const b = renderDags(again, env, ids(dagModels(again, env)));
      expect(a.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
    }
  });

  it("writes one DAG per file, the file named after the DAG id", () => {
    const files = renderDags(estate, "dev", ids(dagModels(estate, "dev")));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(f.path).toBe(dagFilePath(f.dagId));
      expect(f.content.match(/^with DAG\(/gm)).toHaveLength(1);
    }
    expect(new Set(files.map((f) => f.path)).size).toBe(files.length);
  });

  it("refuses a missing job id, naming the pipeline", () => {
    const all = ids(dagModels(estate, "dev"));
    delete all["epic-clarity/orders"];
    expect(() => renderDags(estate, "dev", all)).toThrow(
      "no Databricks job id for epic-clarity/orders in dev",
    );
  });

  it("keeps hostile strings inside literals and comments", () => {
    const hostile = hostileEstate(estate);
    const files = renderDags(hostile, "dev", ids(dagModels(hostile, "dev")));
    const m = dagModels(hostile, "dev").find((x) => x.pipelineKey === HOSTILE_PIPELINE);
    const text = files.find((f) => f.dagId === m?.dagId)?.content ?? "";
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    expect(text.match(/^with DAG\(/gm)).toHaveLength(1);
    expect(text).not.toMatch(/^import os/m);
    expect(text).toContain("evil\\x0aimport os");
    expect(text).not.toContain(HOSTILE.longTag);
  });
});

describe("schedules", () => {
  const withSchedule = (cron: string): Estate => ({
    ...estate,
    sources: estate.sources.map((s) =>
      s.id === "sequencer-runs"
        ? { ...s, schedule: { cron, timezone: "UTC" }, environments: {} }
        : s,
    ),
  });
  const scheduleOf = (e: Estate) =>
    dagModels(e, "prod").find((m) => m.pipelineKey === "sequencer-runs/runs")?.schedule;

  it.each([
    ["@quarterly", "0 0 1 */3 *"],
    ["@yearly", "0 0 1 1 *"],
    ["@midnight", "0 0 * * *"],
    ["15 3 * * 1-5", "15 3 * * 1-5"],
  ])("%s runs on cron %s", (preset, cron) => {
    expect(scheduleOf(withSchedule(preset))).toEqual({ kind: "cron", cron, timezone: "UTC" });
  });

  it("@once becomes Airflow's @once", () => {
    expect(scheduleOf(withSchedule("@once"))).toEqual({ kind: "once" });
    const m = dagModels(withSchedule("@once"), "prod").find(
      (x) => x.dagId === "sequencer_runs__runs",
    );
    expect(renderDag(m as DagModel, "1")).toContain('    schedule="@once",\n');
  });
});

describe("validateDagModels", () => {
  it("refuses two pipelines making one DAG id: one file would hide the other", () => {
    const twin = { ...MODEL, pipelineKey: "lab/results-2" };
    expect(validateDagModels([MODEL, twin])).toEqual([
      'pipelines lab/results and lab/results-2 both make DAG "lab__results": one file would hide the other',
    ]);
  });

  it("refuses Airflow versions whose output nothing verifies", () => {
    expect(validateDagModels([{ ...MODEL, airflowVersion: "2.10.3" }])).toEqual([
      expect.stringContaining(
        "Airflow 2.10.3: DAG files are generated and verified for Airflow 3.0.x only",
      ),
    ]);
    expect(validateAirflowTarget("3.0.6")).toEqual([]);
    expect(validateAirflowTarget("3.1.0")).toHaveLength(1);
  });
});

describe("names and limits", () => {
  it("keeps task keys within Databricks' 100 characters, distinct per table", () => {
    const long = "t".repeat(128);
    const key = jobTaskKey(long, "bronze");
    expect(key.length).toBeLessThanOrEqual(MAX_TASK_KEY);
    expect(key.endsWith("__bronze")).toBe(true);
    expect(jobTaskKey(`${long.slice(0, 127)}u`, "bronze")).not.toBe(key);
    expect(jobTaskKey("patients", "gold")).toBe("patients__gold");
  });

  it("keeps DAG tags within Airflow's 100 characters", () => {
    expect(dagTag("a".repeat(100))).toHaveLength(100);
    expect(dagTag("a".repeat(101))).toHaveLength(100);
    expect(dagTag("a".repeat(101))).not.toBe(dagTag(`${"a".repeat(100)}b`));
  });

  it("pins the Databricks provider MWAA installs for Airflow 3.0.6, under its constraints", () => {
    expect(airflowRequirements("3.0.6")).toMatchSnapshot();
    expect(() => airflowRequirements("2.10.3")).toThrow("Airflow 2.10.3");
  });
});

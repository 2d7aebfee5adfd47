import fc from "fast-check";
import type { Estate, Layer } from "@hdp/config";
import { baseEstate } from "./__fixtures__";
import {
  ingestTables,
  planPipeline,
  planStack,
  poolCapacity,
  schemaLayers,
  statefulOptions,
  type StackPlan,
} from "./plan";

/** The base estate with one source's or table's overlay for an environment replaced. */
function withOverlay(
  kind: "source" | "table",
  key: string,
  env: string,
  overlay: Record<string, unknown>,
): Estate {
  const e = baseEstate();
  return kind === "source"
    ? {
        ...e,
        sources: e.sources.map((s) =>
          s.id === key ? { ...s, environments: { ...s.environments, [env]: overlay } } : s,
        ),
      }
    : {
        ...e,
        tables: e.tables.map((t) =>
          t.key === key ? { ...t, environments: { ...t.environments, [env]: overlay } } : t,
        ),
      };
}

const summary = (p: StackPlan) => ({
  role: p.role,
  domains: p.domains.map((d) => d.id),
  sources: p.sources.map((s) => ({
    id: s.id,
    ingestTables: s.ingestTables,
    schemaLayers: s.schemaLayers,
    pipelines: p.sources
      .find((x) => x.id === s.id)!
      .pipelines.map((x) => [x.id, x.tasks.map((k) => k.taskKey).join(" ")]),
  })),
  dagCount: p.dagCount,
});

describe("planStack on the base estate", () => {
  it("dev holds both domains' shared objects and both sources (timesheets is disabled, lab weekly in dev)", () => {
    expect(summary(planStack(baseEstate(), "dev"))).toEqual({
      role: "all",
      domains: ["clinical", "workforce"],
      sources: [
        {
          id: "lab",
          ingestTables: ["orders", "results"],
          schemaLayers: ["bronze", "silver", "gold"],
          pipelines: [
            ["ingest", "orders__bronze orders__silver"],
            ["results", "results__bronze results__silver results__gold"],
          ],
        },
        {
          id: "payroll",
          ingestTables: ["employees"],
          schemaLayers: ["bronze", "silver"],
          pipelines: [["ingest", "employees__bronze employees__silver"]],
        },
      ],
      dagCount: 3,
    });
  });

  it("prod-core holds every domain with enabled sources and no source", () => {
    expect(summary(planStack(baseEstate(), "prod-core"))).toEqual({
      role: "core",
      domains: ["clinical", "workforce"],
      sources: [],
      dagCount: 4,
    });
  });

  it("a shard holds only its own sources, with the environment's schedules", () => {
    const p = planStack(baseEstate(), "prod-business");
    expect(summary(p)).toEqual({
      role: "shard",
      domains: ["clinical", "workforce"],
      sources: [
        {
          id: "payroll",
          ingestTables: ["employees", "timesheets"],
          schemaLayers: ["bronze", "silver"],
          pipelines: [
            ["ingest", "employees__bronze employees__silver"],
            ["timesheets", "timesheets__bronze timesheets__silver"],
          ],
        },
      ],
      dagCount: 4,
    });
  });

  it("a source overlay's schedule reaches the DAGs of that environment only", () => {
    const e = withOverlay("source", "lab", "dev", {
      schedule: { cron: "0 4 * * 0", timezone: "UTC" },
    });
    const dag = (stack: string) =>
      planStack(e, stack).dags.find((d) => d.pipelineKey === "lab/ingest")?.schedule;
    expect(dag("dev")).toEqual({ kind: "cron", cron: "0 4 * * 0", timezone: "UTC" });
    expect(dag("prod-clinical")).toEqual({
      kind: "cron",
      cron: "0 2 * * *",
      timezone: "America/Chicago",
    });
  });

  it("fails the plan when an environment's DAGs exceed its MWAA class, naming the class that fits", () => {
    const e = baseEstate();
    const tiny = {
      ...e,
      environments: e.environments.map((env) =>
        env.name === "dev"
          ? { ...env, airflow: { ...env.airflow, environmentClass: "mw1.micro" as const } }
          : env,
      ),
    };
    // Three DAGs fit mw1.micro (25): the check counts DAGs, so make the class too small instead.
    expect(() => planStack(tiny, "dev")).not.toThrow();
    const crowded = {
      ...tiny,
      pipelines: [
        ...tiny.pipelines,
        ...Array.from({ length: 30 }, (_, i) => ({
          ...(tiny.pipelines.find((p) => p.key === "lab/results") as Estate["pipelines"][number]),
          id: `copy-${i}`,
          key: `lab/copy-${i}`,
          dagId: `lab__copy_${i}`,
        })),
      ],
    };
    expect(() => planStack(crowded, "dev")).toThrow(
      /environments\/dev\.yaml:\d+:\d+ {2}airflow\.environmentClass {2}environment dev: 33 DAGs exceed the capacity of mw1\.micro \(25\); use mw1\.small \(50\)/,
    );
  });

  it("fails the plan for an Airflow version no DAG file is verified for", () => {
    const e = baseEstate();
    const old = {
      ...e,
      environments: e.environments.map((env) =>
        env.name === "dev" ? { ...env, airflow: { ...env.airflow, version: "2.10.3" } } : env,
      ),
    };
    expect(() => planStack(old, "dev")).toThrow(
      /airflow\.version {2}Airflow 2\.10\.3: DAG files are generated and verified for Airflow 3\.0\.x only/,
    );
  });

  it("a disabled source takes its domain's shared objects with it when it was the only one", () => {
    const p = planStack(withOverlay("source", "payroll", "dev", { enabled: false }), "dev");
    expect(p.domains.map((d) => d.id)).toEqual(["clinical"]);
    expect(p.sources.map((s) => s.id)).toEqual(["lab"]);
    expect(p.dagCount).toBe(2);
  });

  it("a disabled table leaves its prefix out of the ingest role and its pipeline out of the jobs", () => {
    const p = planStack(
      withOverlay("table", "lab/results", "prod", { enabled: false }),
      "prod-clinical",
    );
    const lab = p.sources[0];
    expect(lab.ingestTables).toEqual(["orders"]);
    expect(lab.pipelines.map((x) => x.id)).toEqual(["ingest"]);
    expect(lab.schemaLayers).toEqual(["bronze", "silver"]);
  });

  it("names, tags and sizes of a domain come from the environment", () => {
    const d = planStack(baseEstate(), "prod-core").domains[0];
    expect(d).toEqual({
      id: "clinical",
      classification: "phi",
      tags: {
        owner: "clinical-data",
        domain: "clinical",
        "data-classification": "phi",
        environment: "prod",
        "cost-center": "CC-1001",
      },
      bucketNames: {
        landing: "tst-prod-clinical-landing-222222222222",
        bronze: "tst-prod-clinical-bronze-222222222222",
        silver: "tst-prod-clinical-silver-222222222222",
        gold: "tst-prod-clinical-gold-222222222222",
      },
      logBucketName: "tst-prod-clinical-access-logs-222222222222",
      keyAlias: "alias/tst/prod/clinical",
      policyName: "tst-prod-clinical-phi",
      poolName: "tst-prod-clinical",
      pipelineCount: 2,
      poolCapacity: 42,
    });
  });

  test.each([
    ["dev", false],
    ["prod-core", true],
    ["prod-clinical", true],
  ])("stateful resources of %s are protected: %s", (stack, protect) => {
    expect(statefulOptions(planStack(baseEstate(), stack))).toEqual({
      protect,
      retainOnDelete: protect,
    });
  });

  it("does not depend on the order of the estate's entries", () => {
    const e = baseEstate();
    const shuffled = fc.shuffledSubarray;
    fc.assert(
      fc.property(
        shuffled([...e.sources], { minLength: e.sources.length }),
        shuffled([...e.tables], { minLength: e.tables.length }),
        shuffled([...e.pipelines], { minLength: e.pipelines.length }),
        shuffled([...e.platform.domains], { minLength: e.platform.domains.length }),
        (sources, tables, pipelines, domains) => {
          const reordered: Estate = {
            ...e,
            sources,
            tables,
            pipelines: pipelines.map((p) => ({ ...p, tables: [...p.tables].reverse() })),
            platform: { ...e.platform, domains },
          };
          for (const stack of ["dev", "prod-core", "prod-clinical", "prod-business"]) {
            expect(planStack(reordered, stack)).toEqual(planStack(e, stack));
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});

const t = (id: string, layers: Layer[]) => ({ id, layers });

describe("pure pieces", () => {
  test.each([
    [
      [t("b", ["landing", "bronze"]), t("a", ["landing"]), t("c", ["bronze", "silver"])],
      ["a", "b"],
    ],
    [[t("x", ["bronze"])], []],
  ])("ingestTables(%j) = %j (tables that land files, sorted)", (tables, expected) => {
    expect(ingestTables(tables)).toEqual(expected);
  });

  test.each([
    [[t("a", ["landing", "bronze", "silver"])], ["bronze", "silver"]],
    [
      [t("a", ["landing", "bronze"]), t("b", ["gold"])],
      ["bronze", "gold"],
    ],
    [[t("a", ["landing"])], []],
  ])("schemaLayers(%j) = %j", (tables, expected) => {
    expect(schemaLayers(tables)).toEqual(expected);
  });

  test.each([
    [8, 0, 9],
    [8, 1, 9],
    [8, 3, 27],
    [8, 40, 36],
    [1000, 40, 4004],
    [5000, 40, 10000],
  ])("poolCapacity(maxWorkers %i, %i pipelines) = %i", (maxWorkers, pipelines, expected) => {
    expect(poolCapacity(maxWorkers, pipelines)).toBe(expected);
  });

  const names = { org: "tst", env: "dev", accountId: "111111111111" };
  const pipeline = {
    id: "core",
    key: "src/core",
    source: "src",
    dagId: "src__core",
    tables: ["a", "b", "c"],
    dependsOn: ["src/reference"],
    timeoutMinutes: 90,
  };

  it("a pipeline's job has a task per table and layer, running the entry script on the table's spec", () => {
    const plan = planPipeline(names, pipeline, [
      t("a", ["landing", "bronze", "silver", "gold"]),
      t("b", ["landing", "bronze"]),
      t("c", ["landing"]),
      t("other", ["landing", "bronze", "silver", "gold"]),
    ]);
    const entry = "/Workspace/hdp/pipelines/hdp_pipelines/entry.py";
    const args = (layer: string, table: string) => [
      "--layer",
      layer,
      "--spec",
      `/Workspace/hdp/pipelines/specs/src/${table}.json`,
      "--date",
      "{{job.parameters.date}}",
    ];
    expect(plan).toEqual({
      id: "core",
      key: "src/core",
      dagId: "src__core",
      logicalName: "src--core",
      jobName: "tst-dev-src__core",
      dependsOn: ["src/reference"],
      tables: ["a", "b"],
      timeoutMinutes: 90,
      tasks: [
        { taskKey: "a__bronze", code: { pythonFile: entry, parameters: args("bronze", "a") } },
        {
          taskKey: "a__silver",
          dependsOn: ["a__bronze"],
          code: { pythonFile: entry, parameters: args("silver", "a") },
        },
        {
          taskKey: "a__gold",
          dependsOn: ["a__silver"],
          code: { pythonFile: entry, parameters: args("gold", "a") },
        },
        { taskKey: "b__bronze", code: { pythonFile: entry, parameters: args("bronze", "b") } },
      ],
    });
  });

  it("a pipeline whose tables never leave landing has no job", () => {
    expect(planPipeline(names, pipeline, [t("a", ["landing"])])).toBeUndefined();
  });
});

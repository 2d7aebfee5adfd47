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
      .pipelines.map((x) => [
        x.id,
        Object.keys(x.tasks).join(">"),
        x.schedule?.quartzCronExpression,
      ]),
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
            ["ingest", "bronze>silver", "0 0 4 ? * 1"],
            ["results", "bronze>silver>gold", "0 0 4 ? * 1"],
          ],
        },
        {
          id: "payroll",
          ingestTables: ["employees"],
          schemaLayers: ["bronze", "silver"],
          pipelines: [["ingest", "bronze>silver", "0 0 3 * * ?"]],
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
            ["ingest", "bronze>silver", "0 0 3 * * ?"],
            ["timesheets", "bronze>silver", "0 0 * * * ?"],
          ],
        },
      ],
      dagCount: 4,
    });
  });

  it("a source overlay's schedule reaches the jobs of that environment only", () => {
    const e = withOverlay("source", "lab", "dev", {
      schedule: { cron: "0 4 * * 0", timezone: "UTC" },
    });
    const job = (stack: string) =>
      planStack(e, stack).sources.find((s) => s.id === "lab")!.pipelines[0].schedule;
    expect(job("dev")).toEqual({ quartzCronExpression: "0 0 4 ? * 1", timezoneId: "UTC" });
    expect(job("prod-clinical")).toEqual({
      quartzCronExpression: "0 0 2 * * ?",
      timezoneId: "America/Chicago",
    });
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
    schedule: { cron: "@daily", timezone: "UTC" },
  };

  it("a pipeline's job has a task per layer naming the pipeline's tables in that layer", () => {
    const plan = planPipeline(names, pipeline, [
      t("a", ["landing", "bronze", "silver", "gold"]),
      t("b", ["landing", "bronze"]),
      t("c", ["landing", "bronze", "silver"]),
      t("other", ["landing", "bronze", "silver", "gold"]),
    ]);
    expect(plan).toEqual({
      id: "core",
      key: "src/core",
      dagId: "src__core",
      logicalName: "src--core",
      jobName: "tst-dev-src__core",
      schedule: { quartzCronExpression: "0 0 0 * * ?", timezoneId: "UTC" },
      dependsOn: ["src/reference"],
      tasks: {
        bronze: {
          notebookPath: "/Workspace/hdp/ingest/bronze",
          parameters: {
            catalog: "tst_dev",
            environment: "dev",
            layer: "bronze",
            pipeline: "core",
            source: "src",
            tables: "a,b,c",
          },
        },
        silver: {
          notebookPath: "/Workspace/hdp/ingest/silver",
          parameters: {
            catalog: "tst_dev",
            environment: "dev",
            layer: "silver",
            pipeline: "core",
            source: "src",
            tables: "a,c",
          },
        },
        gold: {
          notebookPath: "/Workspace/hdp/ingest/gold",
          parameters: {
            catalog: "tst_dev",
            environment: "dev",
            layer: "gold",
            pipeline: "core",
            source: "src",
            tables: "a",
          },
        },
      },
    });
  });

  it("a pipeline whose tables never leave landing has no job", () => {
    expect(planPipeline(names, pipeline, [t("a", ["landing"])])).toBeUndefined();
  });
});

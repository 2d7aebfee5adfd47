import { join } from "node:path";
import { decideSchedule } from "./schedule";
import { loadEstateOrThrow } from "./load";
import type { Estate, Pipeline, Source, Table } from "./estate";

const estate: Estate = loadEstateOrThrow(join(__dirname, "..", "..", "..", "configs"));
const pipeline = (key: string): Pipeline => {
  const p = estate.pipelines.find((x) => x.key === key);
  if (p === undefined) throw new Error(`no pipeline ${key}`);
  return p;
};
const source = (id: string): Source => estate.sources.find((s) => s.id === id) as Source;

describe("decideSchedule: the precedence, first match wins", () => {
  const lab = source("sunquest-lab");

  it("1. a declared pipeline's own schedule, whatever the environment's overlay of its source", () => {
    expect(lab.environments.dev?.schedule).toBeDefined();
    const d = decideSchedule(pipeline("sunquest-lab/microbiology"), lab, undefined, "dev");
    expect(d).toMatchObject({ setting: "pipeline", schedule: { cron: "15 * * * *" } });
    expect(d.field).toEqual(["pipelines", { id: "microbiology" }, "schedule"]);
  });

  it("3. otherwise the environment's overlay of the source, else the source's own", () => {
    const results = pipeline("sunquest-lab/results");
    expect(decideSchedule(results, lab, undefined, "dev")).toMatchObject({
      setting: "source-overlay",
      schedule: { cron: "0 * * * *" },
      file: "sources/sunquest-lab/source.yaml",
      field: ["environments", "dev", "schedule"],
    });
    expect(decideSchedule(results, lab, undefined, "prod")).toMatchObject({
      setting: "source",
      schedule: { cron: "*/30 * * * *" },
      field: ["schedule"],
    });
  });

  it("2. a table on its own schedule: its overlay, else its schedule, over the source's", () => {
    const base = pipeline("sunquest-lab/results");
    const own: Pipeline = { ...base, kind: "table", ownSchedule: false, tables: ["lab_orders"] };
    const t = estate.tables.find((x) => x.key === "sunquest-lab/lab_orders") as Table;
    const daily = { cron: "@daily", timezone: "UTC" };
    const weekly = { cron: "@weekly", timezone: "UTC" };
    const table: Table = {
      ...t,
      schedule: daily,
      environments: { dev: { schedule: weekly } },
    };
    expect(decideSchedule(own, lab, table, "dev")).toMatchObject({
      setting: "table-overlay",
      schedule: weekly,
      file: t.origin.file,
      field: ["environments", "dev", "schedule"],
    });
    expect(decideSchedule(own, lab, table, "prod")).toMatchObject({
      setting: "table",
      schedule: daily,
      field: ["schedule"],
    });
  });
});

import { renderLocalRun } from "./render";
import type { LocalRunSummary } from "./summary";

const summary: LocalRunSummary = {
  source: "clinic-db",
  environment: "dev",
  ok: false,
  dates: ["2025-01-06", "2025-01-07"],
  paths: {
    out: "/r",
    landing: "/r/landing",
    specs: "/r/specs",
    warehouse: "/r/warehouse",
    plan: "/r/plan.json",
    log: "/r/spark.log",
  },
  simulated: {
    rows: 80,
    tables: [
      {
        table: "visits",
        format: "ndjson",
        rows: 80,
        files: 2,
        ops: { I: 52, U: 25, D: 3 },
        badOnPurpose: 2,
      },
    ],
  },
  tables: [
    {
      key: "clinic-db/visits",
      table: "visits",
      dag: "clinic_db__ingest",
      load: "cdc",
      format: "ndjson",
      layers: {
        bronze: { table: "spark_catalog.clinic_db_bronze.visits", rows: 80, location: "file:/b" },
        silver: { table: "spark_catalog.clinic_db_silver.visits", rows: 1234, location: "file:/s" },
        gold: { table: "spark_catalog.clinic_db_gold.visits", rows: null, location: null },
        quarantine: { table: "q", rows: 2, location: "file:/q" },
      },
      quarantineReasons: { "visit_id: null in a non-null column": 2 },
    },
  ],
  tasks: [
    { date: "2025-01-06", dag: "d", table: "visits", layer: "bronze", status: "ok", seconds: 1 },
    {
      date: "2025-01-06",
      dag: "d",
      table: "visits",
      layer: "gold",
      status: "failed",
      seconds: 1,
      error: "boom",
    },
  ],
  timings: {
    sparkStartSeconds: 12.04,
    tasksSeconds: 30,
    layerSeconds: { bronze: 5, silver: 20, gold: 5 },
    totalSeconds: 43,
    simulateSeconds: 0.5,
    wallSeconds: 45.25,
  },
};

test("the text summary: rows per layer, reasons, failed tasks, timings and where the tables are", () => {
  const lines = renderLocalRun(summary).split("\n");
  expect(lines.slice(0, 6)).toEqual([
    "hdp local run: clinic-db (dev), 2 day(s) 2025-01-06..2025-01-07: FAILED",
    "simulated 80 rows (2 bad on purpose) in /r/landing",
    "",
    "table   load  format  bronze  silver  gold  quarantined",
    "visits  cdc   ndjson      80   1,234     -            2",
    "",
  ]);
  expect(lines).toContain("  visits: 2 x visit_id: null in a non-null column");
  expect(lines).toContain("  2025-01-06 visits gold: failed: boom");
  expect(lines).toContain(
    "timings: simulate 0.5 s, Spark start 12.0 s, bronze 5.0 s, silver 20.0 s, gold 5.0 s; 2 tasks in 30.0 s, total 45.3 s",
  );
  expect(lines.some((l) => l.startsWith("Delta tables: /r/warehouse/<schema>.db/<table>"))).toBe(
    true,
  );
  expect(lines.find((l) => l.startsWith("open one: "))).toContain("load('file:/s')");
});

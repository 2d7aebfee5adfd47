/** The summary of a local run as text (the JSON form is the summary object itself). */
import type { LocalRunSummary } from "./summary";

const n = (x: number | null | undefined): string => (x == null ? "-" : x.toLocaleString("en-US"));
const s = (x: number): string => `${x.toFixed(1)} s`;

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ")
      .trimEnd(),
  );
}

/** How to open one of the run's Delta tables with the venv's pyspark. */
export function openHint(location: string): string {
  return (
    `.venv/bin/python -c "from delta import configure_spark_with_delta_pip as c; from pyspark.sql import SparkSession as S; ` +
    `s = c(S.builder.config('spark.sql.extensions','io.delta.sql.DeltaSparkSessionExtension')` +
    `.config('spark.sql.catalog.spark_catalog','org.apache.spark.sql.delta.catalog.DeltaCatalog')).getOrCreate(); ` +
    `s.read.format('delta').load('${location}').show()"`
  );
}

export function renderLocalRun(r: LocalRunSummary): string {
  const days = r.dates.length === 1 ? r.dates[0] : `${r.dates[0]}..${r.dates[r.dates.length - 1]}`;
  const out: string[] = [
    `hdp local run: ${r.source} (${r.environment}), ${r.dates.length} day(s) ${days}: ${r.ok ? "ok" : "FAILED"}`,
    `simulated ${n(r.simulated.rows)} rows (${n(r.simulated.tables.reduce((a, t) => a + t.badOnPurpose, 0))} bad on purpose) in ${r.paths.landing}`,
    "",
  ];
  const rows: string[][] = [["table", "load", "format", "bronze", "silver", "gold", "quarantined"]];
  for (const t of r.tables) {
    rows.push([
      t.table,
      t.load,
      t.format,
      n(t.layers.bronze?.rows),
      n(t.layers.silver?.rows),
      n(t.layers.gold?.rows),
      n(t.layers.quarantine?.rows),
    ]);
  }
  out.push(...table(rows), "");
  const reasons = r.tables.filter((t) => Object.keys(t.quarantineReasons).length > 0);
  if (reasons.length > 0) {
    out.push("quarantined rows by reason:");
    for (const t of reasons) {
      for (const [reason, count] of Object.entries(t.quarantineReasons))
        out.push(`  ${t.table}: ${n(count)} x ${reason}`);
    }
    out.push("");
  }
  const bad = r.tasks.filter((t) => t.status !== "ok");
  if (bad.length > 0) {
    out.push("tasks that did not succeed:");
    for (const t of bad)
      out.push(`  ${t.date} ${t.table} ${t.layer}: ${t.status}${t.error ? `: ${t.error}` : ""}`);
    out.push("");
  }
  const tm = r.timings;
  out.push(
    `timings: simulate ${s(tm.simulateSeconds)}, Spark start ${s(tm.sparkStartSeconds)}, ` +
      `bronze ${s(tm.layerSeconds.bronze)}, silver ${s(tm.layerSeconds.silver)}, gold ${s(tm.layerSeconds.gold)}; ` +
      `${r.tasks.length} tasks in ${s(tm.tasksSeconds)}, total ${s(tm.wallSeconds)}`,
    `Delta tables: ${r.paths.warehouse}/<schema>.db/<table> (specs: ${r.paths.specs}, log: ${r.paths.log})`,
  );
  const first = r.tables.find((t) => t.layers.silver?.location)?.layers.silver?.location;
  if (first) out.push(`open one: ${openHint(first)}`);
  return `${out.join("\n")}\n`;
}

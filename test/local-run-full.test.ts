/**
 * `hdp local run` end to end on a source of full snapshots (csv): real local Spark + Delta (one
 * JVM for this file). Each day's snapshot replaces silver; gold passes it through.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readDeltaTable } from "./support/delta-table";
import { localRun, localRunConfigs } from "./support/local-run";

const ROWS = 30;

/** RFC 4180 records (quoted fields, doubled quotes, commas and newlines inside quotes). */
function csvRecords(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endRow = (): void => {
    row.push(field);
    out.push(row);
    row = [];
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRow();
    } else field += ch;
  }
  if (field !== "" || row.length > 0) endRow();
  return out;
}

/** A landed cost-centre row that silver accepts (key present, numbers cast). */
const accepted = (r: Record<string, string>): boolean =>
  r.cost_center_id !== "" &&
  (r.budget === "" || /^-?\d{1,10}(\.\d{1,2})?$/.test(r.budget)) &&
  (r.headcount === "" || (/^-?\d+$/.test(r.headcount) && Math.abs(Number(r.headcount)) < 2 ** 31));

let configs: string;
beforeAll(() => {
  configs = localRunConfigs();
});
afterAll(() => rmSync(configs, { recursive: true, force: true }));

test("a full-load source: the last day's snapshot is silver and gold", async () => {
  const out = join(configs, "run");
  const r = await localRun(configs, [
    "--configs",
    configs,
    "--source",
    "ref-data",
    "--days",
    "2",
    "--rows",
    String(ROWS),
    "--seed",
    "3",
    "--out",
    out,
  ]);
  expect(r.code).toBe(0);
  const s = r.summary;
  expect(s.tasks.map((t) => `${t.date} ${t.layer} ${t.status}`)).toEqual([
    "2025-01-06 bronze ok",
    "2025-01-06 silver ok",
    "2025-01-06 gold ok",
    "2025-01-07 bronze ok",
    "2025-01-07 silver ok",
    "2025-01-07 gold ok",
  ]);
  const dir = join(s.paths.landing, "ref-data", "cost_centers", "dt=2025-01-07");
  const files = readdirSync(dir);
  expect(files).toEqual(["part-00000.csv"]);
  const [header, ...records] = csvRecords(readFileSync(join(dir, files[0]), "utf8"));
  expect(header).toEqual(["cost_center_id", "cost_center_name", "budget", "headcount"]);
  expect(records).toHaveLength(ROWS);
  const lastDay = records.map((rec) => Object.fromEntries(header.map((h, i) => [h, rec[i]])));
  const good = lastDay.filter(accepted);

  const t = s.tables.find((x) => x.key === "ref-data/cost_centers")!;
  expect(t.load).toBe("full");
  expect(t.format).toBe("csv");
  expect(t.layers.bronze!.rows).toBe(2 * ROWS);
  expect(t.layers.silver!.rows).toBe(good.length);
  expect(t.layers.gold!.rows).toBe(good.length);
  const silver = await readDeltaTable(t.layers.silver!.location!);
  const row = (x: Record<string, unknown>) => ({
    id: String(x.cost_center_id),
    name: x.cost_center_name === "" ? null : (x.cost_center_name ?? null),
    headcount: x.headcount === "" || x.headcount == null ? null : Number(x.headcount),
  });
  const sort = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  expect(silver.map(row).sort(sort)).toEqual(good.map(row).sort(sort));
  const gold = await readDeltaTable(t.layers.gold!.location!);
  expect(gold.map(row).sort(sort)).toEqual(silver.map(row).sort(sort));
  const quarantined = t.layers.quarantine!.rows!;
  expect(quarantined).toBeGreaterThanOrEqual(ROWS - good.length);
}, 900_000);

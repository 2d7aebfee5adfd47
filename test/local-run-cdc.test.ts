/**
 * `hdp local run` end to end on a `database` source whose CDC feed inserts, updates and deletes
 * across days: real local Spark + Delta (one JVM for this file). The silver table read back from
 * its Delta files must hold exactly what the landed changes imply. The feed is SQL Server CDC
 * (the fixture's delete marker is `__$operation`'s "1"): the simulator lands 2 for an insert and
 * 4 for an update, and only the configured marker deletes.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { readDeltaTable } from "./support/delta-table";
import { landingRows, localRun, localRunConfigs } from "./support/local-run";

const DAYS = 2;
const ROWS = 40;
/** The share of rows made bad (`--bad-rows`); the default, 1%, would give ~one of 80. */
const BAD_ROWS = 0.2;

/** A landed or read-back scalar as text. */
const text = (v: unknown): string =>
  typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);

/** Whether a landed value casts the way silver's `try_cast` does, for the fixture's columns. */
const checks: Record<string, (v: unknown) => boolean> = {
  visit_id: (v) => v != null && /^-?\d+$/.test(text(v)),
  visit_count: (v) => v == null || (/^-?\d+$/.test(text(v)) && Math.abs(Number(v)) < 2 ** 31),
  charge: (v) => v == null || /^-?\d{1,8}(\.\d{1,2})?$/.test(text(v)),
  updated_at: (v) => v != null && !Number.isNaN(Date.parse(text(v))),
};

const isDelete = (r: Record<string, unknown>): boolean => r.change_op === "1";
/** Silver accepts a row when its key is good, and for a non-delete every column is. */
const accepted = (r: Record<string, unknown>): boolean =>
  isDelete(r) ? checks.visit_id(r.visit_id) : Object.entries(checks).every(([c, ok]) => ok(r[c]));

const ms = (v: unknown): number =>
  v instanceof Date ? v.getTime() : typeof v === "bigint" ? Number(v / 1000n) : Date.parse(text(v));

/** The silver rows the changes imply: per day the latest change per key, merged when not older. */
function expectedSilver(changes: { day: string; row: Record<string, unknown> }[]) {
  const state = new Map<string, Record<string, unknown>>();
  for (const day of [...new Set(changes.map((c) => c.day))]) {
    const latest = new Map<string, Record<string, unknown>>();
    for (const { row } of changes.filter((c) => c.day === day && accepted(c.row))) {
      const key = String(row.visit_id);
      const seen = latest.get(key);
      if (seen === undefined || ms(row.updated_at) >= ms(seen.updated_at)) latest.set(key, row);
    }
    for (const [key, row] of latest) {
      const current = state.get(key);
      if (current !== undefined && ms(row.updated_at) < ms(current.updated_at)) continue;
      if (isDelete(row)) state.delete(key);
      else state.set(key, row);
    }
  }
  return state;
}

let configs: string;
beforeAll(() => {
  configs = localRunConfigs();
});
afterAll(() => rmSync(configs, { recursive: true, force: true }));

test("a CDC source's updates and deletes across days reach silver; bad rows are quarantined with reasons", async () => {
  const out = join(configs, "run");
  const r = await localRun(configs, [
    "--configs",
    configs,
    "--source",
    "clinic-db",
    "--days",
    String(DAYS),
    "--rows",
    String(ROWS),
    // Bad rows on purpose, a fifth of them: quarantine gets work whatever the seed draws.
    "--bad-rows",
    String(BAD_ROWS),
    "--out",
    out,
  ]);
  expect(r.code).toBe(0);
  const s = r.summary;
  expect(s.ok).toBe(true);
  expect(s.paths.warehouse).toBe(join(out, "warehouse"));

  // Every task ran, day by day, bronze -> silver -> gold.
  expect(s.tasks.map((t) => `${t.date} ${t.table} ${t.layer} ${t.status}`)).toEqual([
    "2025-01-06 visits bronze ok",
    "2025-01-06 visits silver ok",
    "2025-01-06 visits gold ok",
    "2025-01-07 visits bronze ok",
    "2025-01-07 visits silver ok",
    "2025-01-07 visits gold ok",
  ]);

  const changes = landingRows(s.paths.landing, "clinic-db", "visits");
  expect(changes).toHaveLength(DAYS * ROWS);
  // SQL Server CDC codes, as many of each as the simulator made of each kind of change.
  const ops = s.simulated.tables[0].ops;
  const landed = (code: string) => changes.filter((c) => c.row.change_op === code).length;
  expect([landed("2"), landed("4"), landed("1")]).toEqual([ops.I, ops.U, ops.D]);
  const table = s.tables.find((t) => t.key === "clinic-db/visits");
  expect(table).toBeDefined();
  const silverLoc = table!.layers.silver!.location!;
  const silver = await readDeltaTable(silverLoc);
  const expected = expectedSilver(changes);
  const byKey = new Map(silver.map((row) => [String(row.visit_id), row]));
  expect(silver).toHaveLength(byKey.size); // one row per key
  expect([...byKey.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [key, want] of expected) {
    const got = byKey.get(key)!;
    expect({ key, ward: got.ward, at: ms(got.updated_at) }).toEqual({
      key,
      ward: want.ward ?? null,
      at: ms(want.updated_at),
    });
  }
  // The run saw real changes: day-one keys deleted on day two, and day-one keys updated.
  const day1 = changes.filter((c) => c.day === "2025-01-06" && accepted(c.row));
  const day1Keys = new Set(day1.map((c) => String(c.row.visit_id)));
  const deleted = changes.filter(
    (c) => c.day === "2025-01-07" && isDelete(c.row) && day1Keys.has(String(c.row.visit_id)),
  );
  expect(deleted.length).toBeGreaterThan(0);
  const gone = [...day1Keys].filter((k) => !byKey.has(k));
  expect(gone.length).toBeGreaterThan(0);
  for (const k of gone) expect(deleted.map((d) => String(d.row.visit_id))).toContain(k);
  const updated = [...day1Keys].filter(
    (k) => byKey.has(k) && new Date(ms(byKey.get(k)!.updated_at)).toISOString() >= "2025-01-07",
  );
  expect(updated.length).toBeGreaterThan(0);
  expect(table!.layers.silver!.rows).toBe(expected.size);
  expect(table!.layers.bronze!.rows).toBe(DAYS * ROWS);

  // Bad rows are in quarantine, each with its reason; the summary groups the reasons. They are
  // there because of --bad-rows: about a fifth of the rows (the default 1% gives ~one of 80).
  const bad = changes.filter((c) => !accepted(c.row));
  expect(s.simulated.tables[0].badOnPurpose).toBeGreaterThanOrEqual(0.1 * DAYS * ROWS);
  expect(bad.length).toBeGreaterThanOrEqual(0.1 * DAYS * ROWS);
  expect(table!.layers.quarantine!.rows).toBeGreaterThan(0);
  expect(table!.layers.quarantine!.rows).toBe(bad.length);
  const quarantine = await readDeltaTable(table!.layers.quarantine!.location!);
  expect(quarantine).toHaveLength(bad.length);
  for (const q of quarantine)
    expect(String(q._reason)).toMatch(/^(visit_id|visit_count|charge|updated_at): /);
  const reasons = Object.values(table!.quarantineReasons).reduce((a, b) => a + b, 0);
  expect(reasons).toBeGreaterThanOrEqual(bad.length);
  expect(s.simulated.tables[0].badOnPurpose).toBe(bad.length);

  // Gold: visits and charges per ward, from silver.
  const gold = await readDeltaTable(table!.layers.gold!.location!);
  const perWard = new Map<string, number>();
  for (const row of expected.values()) {
    const ward = text(row.ward ?? null);
    perWard.set(ward, (perWard.get(ward) ?? 0) + 1);
  }
  expect(new Map(gold.map((g) => [text(g.ward ?? null), Number(g.visits)]))).toEqual(perWard);
}, 900_000);

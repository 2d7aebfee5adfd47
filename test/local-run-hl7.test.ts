/**
 * `hdp local run` end to end on the HL7 source of the sample estate (configs/sunquest-lab):
 * real local Spark + Delta (one JVM for this file). Raw ORU^R01 batches go through the parse
 * step into the lab tables (orders, results, specimens) and the microbiology tables (a culture's
 * isolates, their susceptibilities: HL7 v2.5.1 ELR-shaped messages). Half the simulated rows are
 * bad on purpose (a null key, a wrong type, an overflow): each reaches silver's quarantine with
 * its reason, none vanishes in the parse (silver + quarantine = simulated, per table).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDeltaTable } from "./support/delta-table";
import { localRun } from "./support/local-run";

const ROOT = join(__dirname, "..");
const ROWS = 12;
/** With seed 6, every table gets null keys among its bad rows, the micro tables' isolates too. */
const BAD_ROWS = 0.5;

let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), "hdp-local-hl7-"));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

const TABLES = [
  "lab_orders",
  "lab_results",
  "specimens",
  "micro_cultures",
  "micro_susceptibilities",
];

test("an HL7 source: raw batches are parsed into the lab and microbiology tables", async () => {
  const r = await localRun(ROOT, [
    "--source",
    "sunquest-lab",
    "--days",
    "1",
    "--rows",
    String(ROWS),
    "--seed",
    "6",
    "--bad-rows",
    String(BAD_ROWS),
    "--out",
    out,
  ]);
  const s = r.summary;
  expect(r.code).toBe(0);
  expect(s.ok).toBe(true);
  const status = Object.fromEntries(s.tasks.map((t) => [`${t.table} ${t.layer}`, t]));
  for (const table of TABLES) {
    expect([table, status[`${table} bronze`].status, status[`${table} silver`].status]).toEqual([
      table,
      "ok",
      "ok",
    ]);
  }
  expect(status["lab_results gold"].status).toBe("ok");
  // The microbiology DAG's tables stop at silver (no gold in their configs).
  expect(
    s.tasks
      .filter((t) => t.table.startsWith("micro_"))
      .map((t) => `${t.table} ${t.layer}`)
      .sort(),
  ).toEqual([
    "micro_cultures bronze",
    "micro_cultures silver",
    "micro_susceptibilities bronze",
    "micro_susceptibilities silver",
  ]);

  const landed = (table: string) => {
    const dir = join(s.paths.landing, "sunquest-lab", table, "dt=2025-01-06");
    const files = readdirSync(dir).filter((f) => f.endsWith(".hl7"));
    expect(files.length).toBeGreaterThan(0);
    return files.map((f) => readFileSync(join(dir, f), "latin1")).join("\n");
  };
  for (const table of TABLES) {
    const t = s.tables.find((x) => x.key === `sunquest-lab/${table}`)!;
    expect(t.format).toBe("hl7");
    const simulated = s.simulated.tables.find((x) => x.table === table)!;
    // One OBR (order), OBX (result), SPM (specimen), coded OBX (isolate) or child OBR's OBX
    // (susceptibility) per simulated row, all parsed.
    expect(t.layers.bronze!.rows).toBe(simulated.rows);
    expect(status[`${table} bronze`].files).toBeGreaterThan(0);
    const silver = await readDeltaTable(t.layers.silver!.location!);
    expect(silver.length).toBe(t.layers.silver!.rows);
    expect(silver.length).toBeGreaterThan(0);
    expect(silver.length + t.layers.quarantine!.rows!).toBe(simulated.rows);
    // Exactly the rows made bad are quarantined: none repaired on the way, none lost.
    expect([table, t.layers.quarantine!.rows]).toEqual([table, simulated.badOnPurpose]);
    expect(simulated.badOnPurpose).toBeGreaterThan(0);
    const raw = landed(table);
    for (const row of silver) {
      expect(raw).toContain(`|${String(row.accession_number)}`);
      expect(row._source_file).toMatch(/dt=2025-01-06\/part-\d{5}\.hl7$/);
    }
    if (table === "specimens") {
      for (const row of silver) expect(raw).toContain(`|^${String(row.specimen_id)}|`);
    }
    if (table === "micro_cultures") {
      for (const row of silver) {
        // The isolate's sub-ID and its SNOMED CT organism, as the message carried them.
        expect(raw).toContain(
          `|${String(row.isolate_number)}|${String(row.organism_code)}^${String(row.organism_name)}^SCT|`,
        );
        expect(typeof row.is_final).toBe("boolean");
      }
      expect(t.layers.gold).toBeUndefined();
    }
    // An isolate's OBX without its sub-ID (OBX-4; OBR-26's for a susceptibility) is a row
    // with a null isolate_number, quarantined; a susceptibility whose OBR-29 names no culture
    // accession is one with a null accession_number.
    const nullKey = (c: string): string => `${c}: null in a non-null column`;
    if (table === "micro_cultures")
      expect(Object.keys(t.quarantineReasons)).toContain(nullKey("isolate_number"));
    if (table === "micro_susceptibilities") {
      expect(Object.keys(t.quarantineReasons)).toEqual(
        expect.arrayContaining([nullKey("isolate_number"), nullKey("accession_number")]),
      );
    }
    // A result's null OBX-1 (a key) stays empty in the message, not written as "1".
    if (table === "lab_results")
      expect(Object.keys(t.quarantineReasons)).toContain(nullKey("observation_seq"));
    if (table === "micro_susceptibilities") {
      for (const row of silver) {
        expect(raw).toContain(`|${String(row.antibiotic_code)}^^L|${String(row.isolate_number)}|`);
        expect(["S", "I", "R"]).toContain(row.interpretation);
        expect(String(row.mic_value)).toMatch(/^(<=|>=|<|>)?\d+(\.\d+)?$/);
      }
    }
    if (table === "lab_results") {
      for (const row of silver) expect(String(row.loinc_code)).toMatch(/^\d+-\d$/);
      const gold = await readDeltaTable(t.layers.gold!.location!);
      expect(gold).toHaveLength(silver.length);
    }
  }
}, 900_000);

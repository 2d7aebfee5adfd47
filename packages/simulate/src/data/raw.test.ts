/**
 * The raw HL7 writer on the sample estate's microbiology tables (configs/sunquest-lab): the
 * messages are shaped the way HL7 v2.5.1 ELR reports cultures, which is what the pipelines'
 * parser reads (pipelines/src/hdp_pipelines/raw.py, `_MicroOrder`).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import { scanText } from "../safe-harbor";
import { localTarget } from "./sinks";
import { simulateData, type DataResult } from "./simulate-data";

const ROWS = 40;
const DAYS = 2;

let root: string;
let result: DataResult;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "hdp-sim-raw-"));
  const estate = loadEstateOrThrow(join(__dirname, "..", "..", "..", "..", "configs"));
  result = await simulateData(
    { estate, env: "dev", source: "sunquest-lab", rows: ROWS, days: DAYS, seed: 3, badShare: 0 },
    localTarget(root),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The fields of every segment of a table's files (`f[n]` is SEG-n). */
function segments(table: string): string[][] {
  const t = result.tables.find((x) => x.table === table)!;
  expect([t.format, t.rows]).toEqual(["hl7", ROWS * DAYS]);
  return t.files.flatMap((f) =>
    readFileSync(join(root, f), "latin1")
      .split("\r")
      .filter((x) => x !== "")
      .map((x) => x.split("|")),
  );
}

test("a culture's isolate: a coded OBX numbered by its sub-ID, its growth, its specimen", () => {
  const all = segments("micro_cultures");
  const organisms = all.filter((f) => f[0] === "OBX" && f[2] === "CWE");
  expect(organisms).toHaveLength(ROWS * DAYS);
  expect(all.filter((f) => f[0] === "MSH")).toHaveLength(ROWS * DAYS);
  for (const obx of organisms) {
    expect(obx[3]).toBe("11475-1^Microorganism identified^LN");
    expect(obx[4]).toMatch(/^[1-3]$/);
    // A SNOMED CT organism, code and name agreeing within the row.
    expect(obx[5]).toMatch(/^\d{6,9}\^[A-Z][a-z]+ [a-z]+\^SCT$/);
    expect(["F", "P"]).toContain(obx[11]);
  }
  // Each organism code always comes with its one name, and the rows vary.
  const names = new Map<string, Set<string>>();
  for (const f of organisms) {
    const [code, name] = f[5].split("^");
    names.set(code, (names.get(code) ?? new Set<string>()).add(name));
  }
  expect(names.size).toBeGreaterThan(1);
  for (const n of names.values()) expect(n.size).toBe(1);
  const growth = all.filter((f) => f[0] === "OBX" && f[2] === "ST");
  expect(growth).toHaveLength(ROWS * DAYS);
  for (const obx of growth) expect(obx[3]).toBe("GROWTH^Growth quantity^L");
  for (const spm of all.filter((f) => f[0] === "SPM"))
    expect(["BLD", "UR", "WND", "SPT", "CSF"]).toContain(spm[4]);
});

test("an isolate's susceptibility: a child OBR linked by OBR-26/29, the drug's OBX", () => {
  const all = segments("micro_susceptibilities");
  const child = all.filter((f) => f[0] === "OBR" && f[1] === "2");
  const drugs = all.filter((f) => f[0] === "OBX");
  expect([child.length, drugs.length]).toEqual([ROWS * DAYS, ROWS * DAYS]);
  for (const [n, obr] of child.entries()) {
    expect(obr[4]).toBe("29576-6^Bacterial susceptibility panel^LN");
    // OBR-26: the parent isolate (its sub-ID); OBR-29: the culture's accession (filler).
    expect(obr[26]).toBe(`11475-1&Microorganism identified&LN^${drugs[n][4]}`);
    expect(obr[29]).toMatch(/^\^AN\d{8}$/);
    expect(drugs[n][2]).toBe("SN");
    expect(drugs[n][3]).toMatch(/^[A-Z]{3}\^\^L$/);
    expect(drugs[n][5]).toMatch(/^(<=|>=|<|>)?\^\d+(\.\d+)?$/);
    expect(["S", "I", "R"]).toContain(drugs[n][8]);
    expect(["MIC", "DISK", "GRADIENT"]).toContain(drugs[n][17]);
  }
});

test("no value of the lab's messages has the shape of a real identifier (Safe Harbor scan)", () => {
  const findings = result.tables.flatMap((t) =>
    t.files.flatMap((f) => scanText(readFileSync(join(root, f), "latin1"))),
  );
  expect(result.tables.map((t) => t.table).sort()).toEqual([
    "lab_orders",
    "lab_results",
    "micro_cultures",
    "micro_susceptibilities",
    "specimens",
  ]);
  expect(findings).toEqual([]);
});

test("a bad row's null key reaches the message empty, not repaired", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hdp-sim-raw-bad-"));
  try {
    const estate = loadEstateOrThrow(join(__dirname, "..", "..", "..", "..", "configs"));
    const bad = await simulateData(
      { estate, env: "dev", source: "sunquest-lab", rows: ROWS, days: 1, seed: 3, badShare: 1 },
      localTarget(dir),
    );
    const fields = (table: string): string[][] =>
      bad.tables
        .find((x) => x.table === table)!
        .files.flatMap((f) => readFileSync(join(dir, f), "latin1").split("\r"))
        .filter((x) => x !== "")
        .map((x) => x.split("|"));
    // Every row is bad; some by a null key: a result's sequence (OBX-1), an isolate's sub-ID
    // (OBX-4, and OBR-26's for a susceptibility), a susceptibility's culture (OBR-29's filler).
    const results = fields("lab_results").filter((f) => f[0] === "OBX");
    expect(results.some((f) => f[1] === "")).toBe(true);
    const isolates = fields("micro_cultures").filter((f) => f[0] === "OBX" && f[2] === "CWE");
    expect(isolates).toHaveLength(ROWS);
    expect(isolates.some((f) => f[4] === "")).toBe(true);
    const child = fields("micro_susceptibilities").filter((f) => f[0] === "OBR" && f[1] === "2");
    expect(child.some((f) => f[26].endsWith("^"))).toBe(true);
    expect(child.some((f) => f[29] === "^")).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

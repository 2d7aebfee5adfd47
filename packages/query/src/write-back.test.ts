import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatError, loadEstate } from "@hdp/config";
import { QueryError } from "./errors";
import { writeBack, type WriteBackOptions } from "./write-back";

const ROOT = join(__dirname, "../../..");
const CONFIGS = join(ROOT, "configs");
const BASE = join(ROOT, "test/fixtures/base");

const dirs: string[] = [];
/** A fresh copy of a tree; removed after each test. */
function copy(tree: string): string {
  const dir = mkdtempSync(join(tmpdir(), "hdp-query-test-"));
  cpSync(tree, dir, { recursive: true });
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Every file of a tree with its text. */
function snapshot(dir: string): Map<string, string> {
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) =>
    statSync(join(dir, f)).isFile(),
  );
  return new Map(
    files.sort().map((f) => [f.split("\\").join("/"), readFileSync(join(dir, f), "utf8")]),
  );
}

const write = (dir: string, sql: string, options: WriteBackOptions = {}) =>
  writeBack(loadEstate(dir), sql, options);

async function refusal(dir: string, sql: string): Promise<QueryError> {
  try {
    await write(dir, sql);
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error("expected a QueryError");
}

describe("writeBack on the sample configs", () => {
  const PATIENTS = "sources/epic-clarity/tables/patients.yaml";

  it("changes only the edited lines of the file, keeping comments and layout byte for byte", async () => {
    const dir = copy(CONFIGS);
    const before = snapshot(dir);
    const r = await write(
      dir,
      "UPDATE tables SET description = 'One row per patient.', retention_days = 2555 WHERE key = 'epic-clarity/patients'",
    );
    expect(r.status).toBe("written");
    expect(r.rows).toBe(1);
    const after = snapshot(dir);
    for (const [file, text] of before) if (file !== PATIENTS) expect(after.get(file)).toBe(text);

    const old = before.get(PATIENTS)!.split("\n");
    const now = after.get(PATIENTS)!.split("\n");
    const at = old.findIndex((l) => l.startsWith("description: "));
    // Same lines, except the description, plus retention appended at the end.
    expect(now.slice(0, at)).toEqual(old.slice(0, at));
    expect(now[at]).toBe("description: One row per patient.");
    expect(now.slice(at + 1, old.length - 1)).toEqual(old.slice(at + 1, old.length - 1));
    expect(now.slice(old.length - 1)).toEqual(["retention:", "  days: 2555", ""]);
    expect(r.diff).toContain(`--- a/${PATIENTS}\n+++ b/${PATIENTS}\n`);
    expect(r.diff).toContain("\n+description: One row per patient.\n");
    expect(r.diff).toContain("\n+retention:\n+  days: 2555\n");
    expect(loadEstate(dir).ok).toBe(true);
  });

  it("is a no-op the second time: no diff, no write", async () => {
    const dir = copy(CONFIGS);
    const sql = "UPDATE tables SET retention_days = 2555 WHERE source = 'epic-clarity'";
    expect((await write(dir, sql)).status).toBe("written");
    const mtime = statSync(join(dir, PATIENTS)).mtimeMs;
    const before = snapshot(dir);
    const again = await write(dir, sql);
    expect(again).toMatchObject({ status: "unchanged", rows: 0, diff: "", changes: [] });
    expect(snapshot(dir)).toEqual(before);
    expect(statSync(join(dir, PATIENTS)).mtimeMs).toBe(mtime);
  });

  it("DELETE removes the table file and the table from its declared pipeline", async () => {
    const dir = copy(CONFIGS);
    const r = await write(dir, "DELETE FROM tables WHERE key = 'epic-clarity/allergies'");
    expect(r.status).toBe("written");
    expect(existsSync(join(dir, "sources/epic-clarity/tables/allergies.yaml"))).toBe(false);
    expect(r.diff).toContain("+++ /dev/null");
    expect(readFileSync(join(dir, "sources/epic-clarity/source.yaml"), "utf8")).toContain(
      "    tables: [patients, encounters, adt_events, diagnoses, problem_list, immunizations]\n",
    );
    const reloaded = loadEstate(dir);
    expect(reloaded.ok).toBe(true);
    expect(reloaded.estate.tables.map((t) => t.key)).not.toContain("epic-clarity/allergies");
  });

  it("refuses to enable a table whose source is disabled in that environment", async () => {
    const dir = copy(CONFIGS);
    const before = snapshot(dir);
    const r = await write(
      dir,
      "UPDATE effective_tables SET enabled = 1 WHERE env = 'dev' AND key = 'meditech-st-brigid/patients'",
    );
    // Its source is disabled in dev: removing an override the table does not have changes nothing.
    expect(r.status).toBe("invalid");
    expect(r.changes).toEqual([]);
    expect(r.problems).toEqual([
      "effective_tables row env=dev, key=meditech-st-brigid/patients: enabled would be 0 after the write, not 1 (an entry is enabled in an environment only when its source is, see effective_sources)",
    ]);
    const sql =
      "UPDATE effective_tables SET enabled = 0 WHERE env = 'prod' AND key = 'meditech-st-brigid/patients';" +
      "UPDATE effective_tables SET enabled = 1 WHERE env = 'dev' AND key = 'epic-clarity/patients'";
    expect((await write(dir, sql)).status).toBe("written");
    expect(
      readFileSync(join(dir, "sources/meditech-st-brigid/tables/patients.yaml"), "utf8"),
    ).toMatch(/\nenvironments:\n {2}prod:\n {4}enabled: false\n$/);
    const undo = await write(
      dir,
      "UPDATE effective_tables SET enabled = 1 WHERE key = 'meditech-st-brigid/patients'",
    );
    expect(undo.status).toBe("invalid");
    expect(undo.problems).toEqual([
      "effective_tables row env=dev, key=meditech-st-brigid/patients: enabled would be 0 after the write, not 1 (an entry is enabled in an environment only when its source is, see effective_sources)",
      "effective_tables row env=stage, key=meditech-st-brigid/patients: enabled would be 0 after the write, not 1 (an entry is enabled in an environment only when its source is, see effective_sources)",
    ]);
    expect(snapshot(dir).get("sources/meditech-st-brigid/tables/patients.yaml")).not.toBe(
      before.get("sources/meditech-st-brigid/tables/patients.yaml"),
    );
  });
});

describe("writeBack on the base fixture", () => {
  it("writes nothing when the result would be invalid, and names file:line:col", async () => {
    const dir = copy(BASE);
    const before = snapshot(dir);
    const r = await write(
      dir,
      "UPDATE tables SET classification = 'public' WHERE key = 'lab/orders'",
    );
    expect(r.status).toBe("invalid");
    expect(r.errors.map(formatError)).toEqual([
      'sources/lab/tables/orders.yaml:3:17  classification  is "public", but column "mrn" is "phi"; a table is at least as sensitive as its columns',
    ]);
    expect(r.diff).toContain("-classification: phi\n+classification: public\n");
    expect(snapshot(dir)).toEqual(before);
  });

  it("prints the diff and writes nothing on a dry run", async () => {
    const dir = copy(BASE);
    const before = snapshot(dir);
    const r = await write(
      dir,
      "UPDATE columns SET description = 'Medical record number' WHERE name = 'mrn'",
      {
        dryRun: true,
        diffRoot: "configs",
      },
    );
    expect(r.status).toBe("dry-run");
    expect(r.diff).toBe(
      [
        "--- a/configs/sources/lab/tables/orders.yaml",
        "+++ b/configs/sources/lab/tables/orders.yaml",
        "@@ -8,6 +8,7 @@",
        "   - name: mrn",
        "     type: string",
        "     classification: phi",
        "+    description: Medical record number",
        "   - name: ordered_at",
        "     type: timestamp",
        " load:",
        "",
      ].join("\n"),
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it("writes per-environment values under environments.<env>, for one env with `env`", async () => {
    const dir = copy(BASE);
    const r = await write(
      dir,
      "UPDATE effective_tables SET retention_days = 7 WHERE source = 'lab'",
      { env: "dev" },
    );
    expect(r.status).toBe("written");
    expect(r.changes.map((c) => c.file)).toEqual([
      "sources/lab/tables/orders.yaml",
      "sources/lab/tables/results.yaml",
    ]);
    const prod = loadEstate(dir);
    const orders = prod.estate.tables.find((t) => t.key === "lab/orders")!;
    expect(orders.environments).toEqual({ dev: { retention: { days: 7 } } });
  });

  it("maps NULL to removing the key, JSON text to YAML lists, 0/1 to booleans", async () => {
    const dir = copy(BASE);
    const r = await write(
      dir,
      `UPDATE tables SET schedule_cron = NULL WHERE key = 'payroll/timesheets';
       UPDATE tables SET layers = '["landing","bronze"]' WHERE key = 'lab/orders';
       UPDATE columns SET nullable = 0 WHERE table_key = 'lab/orders' AND name = 'mrn';
       UPDATE hospitals SET teaching = 1 WHERE id = 'north-general'`,
    );
    expect(r.status).toBe("written");
    const e = loadEstate(dir).estate;
    expect(e.tables.find((t) => t.key === "payroll/timesheets")!.schedule).toBeUndefined();
    expect(e.tables.find((t) => t.key === "lab/orders")!.layers).toEqual(["landing", "bronze"]);
    expect(readFileSync(join(dir, "sources/lab/tables/orders.yaml"), "utf8")).toContain(
      "layers: [landing, bronze]\n",
    );
    expect(e.tables.find((t) => t.key === "lab/orders")!.columns[1]).toMatchObject({
      name: "mrn",
      nullable: false,
    });
    expect(e.platform.hospitals[0]).toMatchObject({ id: "north-general", teaching: true });
  });

  it("gives a declared pipeline its own schedule, and NULL returns it to its source's", async () => {
    const dir = copy(BASE);
    const set = await write(
      dir,
      "UPDATE pipelines SET schedule_cron = '0 5 * * *' WHERE key = 'lab/results'",
    );
    expect(set.status).toBe("written");
    expect(loadEstate(dir).estate.pipelines.find((p) => p.key === "lab/results")).toMatchObject({
      ownSchedule: true,
      schedule: { cron: "0 5 * * *" },
    });
    const unset = await write(
      dir,
      "UPDATE pipelines SET schedule_cron = NULL WHERE key = 'lab/results'",
    );
    expect(unset.status).toBe("written");
    expect(readFileSync(join(dir, "sources/lab/source.yaml"), "utf8")).toBe(
      readFileSync(join(BASE, "sources/lab/source.yaml"), "utf8"),
    );
  });

  test.each([
    [
      "UPDATE tables SET key = 'lab/x' WHERE key = 'lab/orders'",
      /^tables\.key is not writable; writable columns of tables: description, classification/,
    ],
    ["UPDATE effective_pipelines SET enabled = 0", /^effective_pipelines is read-only/],
    [
      "UPDATE pipelines SET description = 'x' WHERE kind = 'default'",
      /^pipeline lab\/ingest is implied \(kind default\)/,
    ],
    ["DELETE FROM sources WHERE id = 'lab'", /^DELETE FROM sources cannot be written back/],
    [
      "UPDATE tables SET layers = '[landing' WHERE key = 'lab/orders'",
      /^tables\.layers holds JSON, and "\[landing" is not valid JSON$/,
    ],
    ["UPDATE hospitals SET teaching = 2", /^hospitals\.teaching is 0 or 1/],
    ["INSERT INTO tables (key) VALUES ('x')", /^INSERT is not supported/],
    ["UPDATE tables SET nope = 1", /^no such column: nope$/],
  ])("refuses %s", async (sql, message) => {
    const dir = copy(BASE);
    const before = snapshot(dir);
    expect((await refusal(dir, sql)).message).toMatch(message);
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses to write into a tree that already has errors", async () => {
    const dir = copy(BASE);
    writeFileSync(join(dir, "sources/payroll/tables/employees.yaml"), "id: employees\n");
    const r = await write(dir, "UPDATE tables SET description = 'x' WHERE key = 'lab/orders'");
    expect(r.status).toBe("invalid");
    expect(r.problems).toEqual(["the config tree already has errors: fix them before writing"]);
    expect(r.errors.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, "sources/lab/tables/orders.yaml"), "utf8")).toContain(
      "description: Lab orders\n",
    );
  });
});

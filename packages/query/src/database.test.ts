import { join } from "node:path";
import { loadEstate, type Estate, type Origin } from "@hdp/config";
import { TABLES } from "./catalog";
import { EstateDatabase } from "./database";
import { EstateView } from "./define";
import { formatQueryError, QueryError } from "./errors";

const BASE = join(__dirname, "../../../test/fixtures/base");
let estate: Estate;
let db: EstateDatabase;

beforeAll(async () => {
  const loaded = loadEstate(BASE);
  expect(loaded.errors).toEqual([]);
  estate = loaded.estate;
  db = await EstateDatabase.open(estate);
});
afterAll(() => db.close());

const rows = (sql: string) => db.query(sql).rows;
const errorOf = (fn: () => unknown): QueryError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error("expected a QueryError");
};

describe("the tables", () => {
  it("declare snake_case columns with descriptions, a natural key, and file/line/column", () => {
    for (const t of TABLES) {
      const names = t.columns.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const c of t.columns) {
        expect(c.name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(c.description.length).toBeGreaterThan(3);
      }
      for (const k of t.key) expect(names).toContain(k);
      expect(names.slice(-3)).toEqual(["file", "line", "column"]);
    }
  });

  it("hold one row per estate entry, keyed and located as the Estate says", () => {
    const view = new EstateView(estate);
    const expected: Record<string, [string, Origin][]> = {
      hospitals: estate.platform.hospitals.map((h) => [h.id, h.origin]),
      domains: estate.platform.domains.map((d) => [d.id, d.origin]),
      environments: estate.environments.map((e) => [e.name, e.origin]),
      sources: estate.sources.map((s) => [s.id, s.origin]),
      tables: estate.tables.map((t) => [t.key, t.origin]),
      columns: estate.tables.flatMap((t) =>
        t.columns.map((c): [string, Origin] => [`${t.key}.${c.name}`, c.origin]),
      ),
      pipelines: estate.pipelines.map((p) => [p.key, p.origin]),
      effective_tables: view.envs.flatMap((env) =>
        estate.tables.map((t): [string, Origin] => [`${env}:${t.key}`, t.origin]),
      ),
    };
    const keySql: Record<string, string> = {
      hospitals: "id",
      domains: "id",
      environments: "name",
      sources: "id",
      tables: "key",
      columns: "table_key || '.' || name",
      pipelines: "key",
      effective_tables: "env || ':' || key",
    };
    for (const [table, entries] of Object.entries(expected)) {
      const got = rows(`SELECT ${keySql[table]}, file, line, "column" FROM ${table} ORDER BY 1`);
      const want = entries
        .map(([k, o]) => [k, o.file, o.line, o.column])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(got).toEqual(want);
    }
  });

  it("store lists and objects as JSON, booleans as 0/1", () => {
    expect(
      rows("SELECT json_extract(load_keys, '$[0]'), layers FROM tables WHERE key = 'lab/results'"),
    ).toEqual([["result_id", '["landing","bronze","silver","gold"]']]);
    expect(rows("SELECT id, teaching FROM hospitals ORDER BY id")).toEqual([
      ["north-general", 0],
      ["south-medical", 1],
    ]);
    expect(
      rows(
        "SELECT env, enabled FROM effective_tables WHERE key = 'payroll/timesheets' ORDER BY env",
      ),
    ).toEqual([
      ["dev", 0],
      ["prod", 1],
    ]);
  });

  it("fill a table only when a statement names it", async () => {
    const fresh = await EstateDatabase.open(estate);
    try {
      expect(fresh.materialized).toEqual([]);
      fresh.query("SELECT count(*) FROM tables");
      expect(fresh.materialized).toEqual(["tables"]);
      fresh.query(`SELECT count(*) FROM "columns" WHERE name IN (SELECT 'sources')`);
      expect([...fresh.materialized].sort()).toEqual(["columns", "sources", "tables"]);
    } finally {
      fresh.close();
    }
  });
});

describe("openUpdated", () => {
  /** Every table's rows with their rowids, and the schema: what any query can see. */
  const contents = (d: EstateDatabase) => [
    d.query("SELECT type, name, tbl_name, sql FROM estate.sqlite_master ORDER BY name").rows,
    ...TABLES.map((t) => d.query(`SELECT rowid, * FROM ${t.name} ORDER BY rowid`).rows),
  ];
  const fresh = async (e: Estate, fill: readonly string[]) => {
    const d = await EstateDatabase.open(e, { snapshots: true });
    d.fill(fill);
    return d;
  };
  const some = ["tables", "columns", "effective_tables", "sources", "pipelines", "environments"];

  /** Estates one after another: each an edit of the one before. */
  const edits: [string, (e: Estate) => Estate][] = [
    ["nothing changed", (e) => e],
    [
      "one table's description",
      (e) => ({
        ...e,
        tables: e.tables.map((t, i) => (i === 1 ? { ...t, description: "edited" } : t)),
      }),
    ],
    [
      "a column added to the last table (more rows: the rows after it move)",
      (e) => ({
        ...e,
        tables: e.tables.map((t, i) =>
          i === e.tables.length - 1
            ? { ...t, columns: [...t.columns, { ...t.columns[0], name: "added_col" }] }
            : t,
        ),
      }),
    ],
    ["the last table removed", (e) => ({ ...e, tables: e.tables.slice(0, -1) })],
    [
      "a column added to the first table (every row after it moves)",
      (e) => ({
        ...e,
        tables: e.tables.map((t, i) =>
          i === 0 ? { ...t, columns: [{ ...t.columns[0], name: "first_col" }, ...t.columns] } : t,
        ),
      }),
    ],
    [
      "an environment's file edited above its entry (its line moves)",
      (e) => ({
        ...e,
        environments: e.environments.map((env, i) =>
          i === 0 ? { ...env, origin: { ...env.origin, line: env.origin.line + 1 } } : env,
        ),
      }),
    ],
  ];

  it("has the rows, rowids and indexes a fresh fill has, after each edit, writing only what changed", async () => {
    // The base estate's tables forty times over: tables of many chunks of rows each.
    let before: Estate = {
      ...estate,
      tables: Array.from({ length: 40 }, (_, k) =>
        estate.tables.map((t) => ({ ...t, id: `${t.id}_${k}`, key: `${t.source}/${t.id}_${k}` })),
      ).flat(),
    };
    let saved = await fresh(before, some);
    for (const [what, edit] of edits) {
      const after = edit(before);
      const snap = saved.snapshot();
      saved.close();
      const updated = await EstateDatabase.openUpdated(after, snap);
      const cold = await fresh(after, some);
      expect({ what, contents: contents(updated) }).toEqual({ what, contents: contents(cold) });
      expect([...updated.materialized].sort()).toEqual([...cold.materialized].sort());
      // Unordered queries list rows in the same order too.
      for (const sql of ["SELECT key FROM tables", "SELECT * FROM columns WHERE type = 'string'"])
        expect(updated.query(sql)).toEqual(cold.query(sql));
      // The digests it keeps are a fresh fill's, so the next update starts from the truth.
      expect(updated.snapshot().digests).toEqual(cold.snapshot().digests);
      const total = some.reduce(
        (n, t) => n + Number(cold.query(`SELECT count(*) FROM ${t}`).rows[0][0]),
        0,
      );
      if (what === "nothing changed") expect(updated.rowsWritten).toBe(0);
      else if (!what.includes("every row after it moves")) {
        expect({ what, written: updated.rowsWritten > 0 }).toEqual({ what, written: true });
        expect({ what, few: updated.rowsWritten < total / 2 }).toEqual({ what, few: true });
      }
      cold.close();
      saved = updated;
      before = after;
    }
    saved.close();
  });

  it("empties a table whose digests are missing, and fills it afresh when named", async () => {
    const d = await fresh(estate, ["tables", "columns"]);
    const snap = d.snapshot();
    d.close();
    snap.digests.delete("columns");
    const updated = await EstateDatabase.openUpdated(estate, snap);
    expect(updated.materialized).toEqual(["tables"]);
    const cold = await fresh(estate, ["tables"]);
    // Emptied and without its indexes, as in a database where it was never filled.
    expect(contents(updated)[0]).toEqual(contents(cold)[0]);
    updated.fill(["columns"]);
    cold.fill(["columns"]);
    expect(contents(updated)).toEqual(contents(cold));
    updated.close();
    cold.close();
  });
});

describe("--env", () => {
  it("shows one environment under the unqualified effective_* names; estate.* keeps them all", async () => {
    const dev = await EstateDatabase.open(estate, { env: "dev" });
    try {
      expect(dev.query("SELECT DISTINCT env FROM effective_tables").rows).toEqual([["dev"]]);
      expect(dev.query("SELECT DISTINCT env FROM effective_sources").rows).toEqual([["dev"]]);
      expect(dev.query("SELECT DISTINCT env FROM effective_pipelines").rows).toEqual([["dev"]]);
      expect(dev.query("SELECT count(DISTINCT env) FROM estate.effective_tables").rows).toEqual([
        [2],
      ]);
      const changes = dev.apply("UPDATE effective_tables SET enabled = 0 WHERE key = 'lab/orders'");
      expect(changes.map((c) => [c.before.env, c.before.enabled, c.after?.enabled])).toEqual([
        ["dev", 1, 0],
      ]);
    } finally {
      dev.close();
    }
  });

  it("rejects an unknown environment", async () => {
    await expect(EstateDatabase.open(estate, { env: "qa" })).rejects.toThrow(
      'unknown environment "qa" (environments: dev, prod)',
    );
  });
});

describe("the read-only guard", () => {
  test.each([
    ["UPDATE tables SET description = 'x'", "read-only"],
    ["DELETE FROM tables", "read-only"],
    ["INSERT INTO tables (key) VALUES ('x')", "unsupported"],
    ["REPLACE INTO tables (key) VALUES ('x')", "unsupported"],
    ["DROP TABLE tables", "unsupported"],
    ["CREATE TABLE x (a)", "unsupported"],
    ["PRAGMA query_only = 0", "unsupported"],
    ["SELECT 1; PRAGMA query_only = 0", "unsupported"],
    ["ATTACH DATABASE ':memory:' AS other", "unsupported"],
    ["WITH doomed AS (SELECT key FROM tables) DELETE FROM tables WHERE key IN doomed", "read-only"],
    ["SELECT 1; DELETE FROM tables", "usage"],
    ["  -- nothing", "usage"],
  ])("%s is refused (%s)", (sql, kind) => {
    expect(errorOf(() => db.query(sql)).kind).toBe(kind);
    expect(rows("SELECT count(*) FROM tables")).toEqual([[estate.tables.length]]);
  });

  it("lets every read through", () => {
    expect(rows("WITH t AS (SELECT key FROM tables) SELECT count(*) FROM t")).toEqual([[4]]);
    expect(rows("VALUES (1)")).toEqual([[1]]);
    expect(rows("SELECT name FROM pragma_table_info('tables') WHERE name = 'load_keys'")).toEqual([
      ["load_keys"],
    ]);
  });
});

describe("SQL errors", () => {
  test.each([
    ["SELECT key FROM tables WHERE AND x", 'near "AND": syntax error', 1, 30, undefined],
    [
      "SELECT key\nFROM tables\nWHERE clasification = 'phi'",
      "no such column: clasification",
      3,
      7,
      'did you mean "classification"?',
    ],
    ["SELECT * FROM tabels", "no such table: tabels", 1, 15, 'did you mean "tables"?'],
    [
      "SELECT id FROM tables, sources",
      "ambiguous column name: id",
      1,
      8,
      "qualify it with its table, e.g. tables.id",
    ],
    ["SELECT * FROM tables WHERE", "incomplete input", 1, 27, undefined],
  ])("%j: %s at %d:%d", (sql, message, line, column, hint) => {
    const e = errorOf(() => db.query(sql));
    expect(e.kind).toBe("sql");
    expect(e.message).toBe(message);
    expect(e.position).toEqual({ line, column });
    expect(e.hint).toBe(hint);
  });

  it("renders the line with a caret under the culprit", () => {
    const e = errorOf(() => db.query("SELECT key FROM tables WHERE clasification = 'phi'"));
    expect(formatQueryError(e)).toBe(
      [
        "no such column: clasification (line 1, column 30)",
        "  SELECT key FROM tables WHERE clasification = 'phi'",
        "                               ^^^^^^^^^^^^^",
        '  did you mean "classification"?',
        "",
      ].join("\n"),
    );
  });
});

describe("apply", () => {
  it("returns each changed row before and after, and deleted rows", async () => {
    const w = await EstateDatabase.open(estate);
    try {
      const changes = w.apply(
        "UPDATE tables SET retention_days = 30 WHERE source = 'lab'; DELETE FROM columns WHERE name = 'salary'",
      );
      expect(
        changes.map((c) => [
          c.table.name,
          c.before.key ?? c.before.name,
          c.before.retention_days,
          c.after?.retention_days ?? null,
        ]),
      ).toEqual([
        ["tables", "lab/orders", 0, 30],
        ["tables", "lab/results", 0, 30],
        ["columns", "salary", undefined, null],
      ]);
    } finally {
      w.close();
    }
  });

  it("refuses rowid, which is internal", () => {
    expect(
      errorOf(() => db.apply("UPDATE tables SET description = 'x' WHERE rowid = 1")).message,
    ).toMatch(/rowid is internal/);
  });
});

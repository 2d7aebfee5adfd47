/**
 * `hdp query` as a command: output formats, exit codes (0 ok, 1 problems, 2 usage or SQL
 * error), the answer over a broken tree, and --write/--dry-run on a copy of the base fixture.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { displayPath } from "@hdp/cli";
import { loadEstate } from "@hdp/config";
import { BASE_TREE, materialize } from "./support/fixture-tree";
import { hdp as runHdp } from "./support/hdp";

const ROOT = join(__dirname, "..");

const hdp = (...argv: string[]) => runHdp(ROOT, ["query", ...argv]);

const base = ["--configs", BASE_TREE];
const rel = relative(ROOT, BASE_TREE);

describe("hdp query output", () => {
  it("prints a table with a row count", async () => {
    const r = await hdp(
      ...base,
      "SELECT key, load_mode FROM tables WHERE source = 'lab' ORDER BY key",
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(
      [
        "┌─────────────┬─────────────┐",
        "│ key         │ load_mode   │",
        "├─────────────┼─────────────┤",
        "│ lab/orders  │ incremental │",
        "│ lab/results │ cdc         │",
        "└─────────────┴─────────────┘",
        "(2 rows)",
        "",
      ].join("\n"),
    );
  });

  it("prints CSV with quoting and NULL as empty", async () => {
    const r = await hdp(
      ...base,
      "--format",
      "csv",
      "SELECT key, load_watermark, 'a, \"b\"' AS note FROM tables WHERE source = 'lab' ORDER BY key",
    );
    expect(r.stdout).toBe(
      'key,load_watermark,note\r\nlab/orders,ordered_at,"a, ""b"""\r\nlab/results,,"a, ""b"""\r\n',
    );
  });

  it("prints JSON objects", async () => {
    const r = await hdp(
      ...base,
      "--format",
      "json",
      "SELECT id, beds, teaching FROM hospitals ORDER BY id",
    );
    expect(JSON.parse(r.stdout)).toEqual([
      { id: "north-general", beds: 320, teaching: 0 },
      { id: "south-medical", beds: 210, teaching: 1 },
    ]);
  });

  it("prints unique file:line paths for an editor", async () => {
    const r = await hdp(
      ...base,
      "--format",
      "paths",
      "SELECT c.file, t.line FROM columns c JOIN tables t ON t.key = c.table_key WHERE c.classification = 'phi' ORDER BY c.file",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${rel}/sources/lab/tables/orders.yaml:1\n`);
  });

  it("says which columns --format paths needs", async () => {
    const r = await hdp(...base, "--format", "paths", "SELECT key FROM tables");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      '--format paths needs the query to return "file" and "line" columns (got: key)',
    );
  });

  it("lists the schema with descriptions and writable YAML paths", async () => {
    const r = await hdp("--schema");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("effective_tables — Tables as each environment sees them");
    expect(r.stdout).toMatch(
      /│ load_keys +│ json +│ load\.keys +│ cdc: primary-key columns merged on +│/,
    );
    expect(r.stdout).toMatch(/│ enabled +│ boolean +│ environments\.<env>\.enabled +│/);
    const json = JSON.parse((await hdp("--schema", "--format", "json")).stdout);
    expect(json.map((t: { name: string }) => t.name)).toEqual([
      "hospitals",
      "domains",
      "environments",
      "sources",
      "tables",
      "columns",
      "pipelines",
      "effective_sources",
      "effective_tables",
      "effective_pipelines",
    ]);
  });
});

describe("hdp query exit codes", () => {
  it.each([
    [
      ["SELECT key FROM tables WHERE clasification = 'phi'"],
      "no such column: clasification (line 1, column 30)",
    ],
    [["SELECT key FROM tables WHERE"], "incomplete input (line 1, column 29)"],
    [["UPDATE tables SET description = 'x'"], "UPDATE changes data, and hdp query is read-only"],
    [["--env", "qa", "SELECT 1"], 'unknown environment "qa" (environments: dev, prod)'],
    [[], "a SQL statement is needed (or --schema)"],
    [["--format", "xml", "SELECT 1"], "argument 'xml' is invalid"],
    [["--write", "UPDATE tables SET key = 'x'"], "tables.key is not writable"],
  ])("exits 2 for %j", async (argv, message) => {
    const r = await hdp(...base, ...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("answers over the valid part of a broken tree, lists the skipped files on stderr, exits 1", async () => {
    const dir = materialize();
    try {
      writeFileSync(join(dir, "sources/lab/tables/orders.yaml"), "id: orders\ncolums: []\n");
      const r = await hdp(
        "--configs",
        dir,
        "--format",
        "json",
        "SELECT key FROM tables ORDER BY key",
      );
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toEqual([
        { key: "lab/results" },
        { key: "payroll/employees" },
        { key: "payroll/timesheets" },
      ]);
      expect(r.stderr).toMatch(
        /^hdp query: \d+ file\(s\) with errors were left out; the answer covers the rest:\n/,
      );
      // Files are named so they open from where hdp ran (here: a temp dir outside it), as
      // displayPath shows them: relative, or absolute when only the filesystem root is shared.
      expect(r.stderr).toContain(
        `  ${displayPath(join(dir, "sources/lab/tables/orders.yaml"), ROOT)}:2:1  colums  unknown key "colums"`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("hdp query --write", () => {
  it("--dry-run prints only the diff and writes nothing", async () => {
    const dir = materialize();
    try {
      const before = readFileSync(join(dir, "sources/lab/tables/orders.yaml"), "utf8");
      const r = await hdp(
        "--configs",
        dir,
        "--dry-run",
        "UPDATE tables SET retention_days = 90 WHERE key = 'lab/orders'",
      );
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      const name = relative(ROOT, join(dir, "sources/lab/tables/orders.yaml"));
      expect(r.stdout).toBe(
        `--- a/${name}\n+++ b/${name}\n@@ -13,3 +13,5 @@\n load:\n   mode: incremental\n   watermark: ordered_at\n+retention:\n+  days: 90\n`,
      );
      expect(readFileSync(join(dir, "sources/lab/tables/orders.yaml"), "utf8")).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes, prints the diff and a summary, exits 0; the same write again changes nothing", async () => {
    const dir = materialize();
    try {
      const sql = "UPDATE effective_tables SET enabled = 0 WHERE key = 'payroll/employees'";
      const r = await hdp("--configs", dir, "--env", "dev", "--write", sql);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("+environments:\n+  dev:\n+    enabled: false\n");
      expect(r.stderr).toBe("hdp query: wrote 1 file(s), deleted 0 (1 row(s) changed)\n");
      const dev = loadEstate(dir).estate.tables.find((t) => t.key === "payroll/employees")!;
      expect(dev.environments).toEqual({ dev: { enabled: false } });
      const again = await hdp("--configs", dir, "--env", "dev", "--write", sql);
      expect(again).toEqual({
        code: 0,
        stdout: "",
        stderr: "hdp query: no change: the statements changed no value\n",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 1 and writes nothing when the result is invalid, listing file:line:col", async () => {
    const dir = materialize();
    try {
      const file = "sources/lab/tables/orders.yaml";
      const before = readFileSync(join(dir, file), "utf8");
      const r = await hdp(
        "--configs",
        dir,
        "--write",
        "DELETE FROM columns WHERE table_key = 'lab/orders' AND name = 'ordered_at'",
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        "hdp query: nothing written: the change would leave the estate invalid",
      );
      expect(r.stdout).toContain("-  - name: ordered_at\n-    type: timestamp\n");
      expect(r.stderr).toContain(
        '  sources/lab/tables/orders.yaml:13:14  load.watermark  watermark "ordered_at" is not a column of this table\n',
      );
      expect(readFileSync(join(dir, file), "utf8")).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

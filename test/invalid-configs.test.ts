/**
 * The invalid-config corpus: every case is the valid base tree plus a patch (test/fixtures/invalid/<case>).
 * Each must produce exactly the errors in its expected.txt (file:line:col, field, message),
 * all at once, and make `hdp validate` exit 1.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatError, loadEstate } from "@hdp/config";
import { run } from "@hdp/cli";
import {
  BASE_TREE,
  expectedErrors,
  INVALID_CASES,
  invalidCases,
  materialize,
} from "./support/fixture-tree";

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      cwd: process.cwd(),
    },
  };
};

describe("invalid config corpus", () => {
  const cases = invalidCases();

  it("holds at least 30 broken trees", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it("starts from a valid base tree", () => {
    const r = loadEstate(BASE_TREE);
    expect(r.errors.map(formatError)).toEqual([]);
  });

  it.each(cases)("%s: reports exactly the expected errors and exits 1", async (name) => {
    const dir = materialize(join(INVALID_CASES, name));
    try {
      const result = loadEstate(dir);
      expect(result.ok).toBe(false);
      expect(result.errors.map(formatError)).toEqual(expectedErrors(name));

      const c = capture();
      const code = await run(["validate", "--configs", dir], c.io);
      expect(code).toBe(1);
      expect(c.out.join("")).toContain(expectedErrors(name)[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a 5 MB file with a clear error instead of parsing it", () => {
    const dir = materialize();
    try {
      const huge = "id: huge\ndescription: |\n" + "  x".repeat((5 * 1024 * 1024) / 3) + "\n";
      writeFileSync(join(dir, "sources/lab/tables/huge.yaml"), huge);
      const r = loadEstate(dir);
      expect(r.errors.map(formatError)).toEqual([
        "sources/lab/tables/huge.yaml:1:1  (file)  is 5.0 MiB; config files are limited to 1 MiB (one file per table keeps them small)",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("still loads the valid part of a broken tree, and names the skipped files", () => {
    const dir = materialize(join(INVALID_CASES, "many-errors-at-once"));
    try {
      const r = loadEstate(dir);
      expect(r.skippedFiles).toEqual([
        "environments/dev.yaml",
        "sources/lab/source.yaml",
        "sources/lab/tables/orders.yaml",
        "sources/lab/tables/results.yaml",
      ]);
      expect(r.estate.sources.map((s) => s.id)).toEqual(["payroll"]);
      expect(r.estate.tables.map((t) => t.key)).toEqual([
        "payroll/employees",
        "payroll/timesheets",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

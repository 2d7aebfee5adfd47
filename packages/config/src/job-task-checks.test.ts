/**
 * `hdp validate` refuses a pipeline whose Databricks job would hold more tasks than a job may
 * (one per table and Spark layer), at the config line that decides it: before `hdp plan` would
 * fail inside the IngestJob component.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { materialize } from "../../../test/support/fixture-tree";
import { MAX_JOB_TASKS } from "./component-checks";
import { loadEstate } from "./load";

const table = (id: string, layers: string) => `id: ${id}
description: Extract table ${id}
classification: internal
columns:
  - name: row_id
    type: bigint
    nullable: false
load:
  mode: full
layers: [${layers}]
`;

/** The base tree with `count` more lab tables (t0000…); returns its errors as lines. */
function errorsWith(count: number, layers: string, pipelineTables?: string): string[] {
  const dir = materialize();
  try {
    const ids = Array.from({ length: count }, (_, i) => `t${String(i).padStart(4, "0")}`);
    for (const id of ids) {
      writeFileSync(join(dir, "sources", "lab", "tables", `${id}.yaml`), table(id, layers));
    }
    if (pipelineTables !== undefined) {
      const file = join(dir, "sources", "lab", "source.yaml");
      const src = readFileSync(file, "utf8");
      writeFileSync(
        file,
        src.replace(
          "pipelines:\n  - id: results\n    tables: [results]\n",
          `pipelines:\n  - id: results\n    tables: [results]\n  - id: extract\n    tables: [${pipelineTables === "all" ? ids.join(", ") : pipelineTables}]\n`,
        ),
      );
    }
    return loadEstate(dir).errors.map(
      (e) => `${e.file}:${e.line}:${e.column}  ${e.field}  ${e.message}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the tasks of a pipeline's Databricks job", () => {
  it("match Databricks' limit today: 1000 per job (Jobs API 2.2)", () => {
    expect(MAX_JOB_TASKS).toBe(1000);
  });

  it("a declared pipeline over the limit is refused at its tables, nothing else", () => {
    // 334 tables × bronze, silver, gold = 1002 tasks.
    expect(errorsWith(334, "landing, bronze, silver, gold", "all")).toEqual([
      'sources/lab/source.yaml:20:13  pipelines[1].tables  pipeline "lab/extract" would run 1002 Databricks tasks (334 tables, a task per Spark layer each); a Databricks job holds at most 1000: split its tables into more pipelines',
    ]);
  });

  it("the default pipeline over the limit is refused at the source's id", () => {
    // The new tables belong to no declared pipeline: with orders they form "lab/ingest".
    const errors = errorsWith(500, "landing, bronze, silver");
    expect(errors).toEqual([
      expect.stringMatching(
        /^sources\/lab\/source\.yaml:1:5 {2}id {2}pipeline "lab\/ingest" would run 1002 Databricks tasks \(501 tables, .*\(its tables now form the default pipeline\)$/,
      ),
    ]);
  });

  it("exactly the limit, and tables that stop at landing, are fine", () => {
    // 499 new + orders (bronze, silver) = 1000 tasks; landing-only tables add none.
    expect(errorsWith(499, "landing, bronze, silver")).toEqual([]);
  });
});

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize } from "node:v8";
import { BASE_TREE, materialize } from "../../../test/support/fixture-tree";
import { discover } from "./discover";
import { loadEstate, loadEstateDeferringWrites, type LoadResult } from "./load";
import type { FileJob, FileKind } from "./parse-file";
import { parseFiles, THREADS_FROM } from "./parse-files";

/**
 * The base tree plus a source of `tables` generated tables, some of them broken in different
 * ways (bad YAML, schema errors, a misspelt key, bytes that are not UTF-8, an empty file).
 */
function treeWithErrors(tables: number): string {
  const root = materialize();
  const dir = join(root, "sources", "gen");
  mkdirSync(join(dir, "tables"), { recursive: true });
  writeFileSync(
    join(dir, "source.yaml"),
    `id: gen\nname: Generated\ndomain: clinical\nhospitals: all\nowner: { team: gen, email: gen@example.org }\nclassification: phi\nconnection:\n  kind: file-drop\n  format: csv\n  filePattern: "*.csv"\nschedule:\n  cron: "0 2 * * *"\n`,
  );
  for (let t = 0; t < tables; t++) {
    let body = `id: t_${t}\ndescription: Table ${t}\nclassification: phi\ncolumns:\n  - name: id\n    type: bigint\n    nullable: false\n  - name: note\n    type: string\n    classification: internal\nload:\n  mode: full\n`;
    if (t % 97 === 5) body = body.replace("  mode: full", "  mode: fulll");
    if (t % 89 === 7)
      body = body.replace("columns:\n  - name: id", "columns:\n  - name: id\n  name: x");
    if (t % 83 === 11) body = body.replace("nullable: false", "nulable: false");
    if (t % 71 === 13) body = body.replace("type: bigint", "type: [bigint");
    const file = join(dir, "tables", `t_${t}.yaml`);
    if (t === 17) writeFileSync(file, Buffer.from([0x69, 0x64, 0x3a, 0x20, 0xff, 0x0a]));
    else if (t === 19) writeFileSync(file, "");
    else writeFileSync(file, body);
  }
  return root;
}

/** Every job of a tree, in the loader's order. */
function jobsOf(root: string): FileJob[] {
  const d = discover(root);
  const jobs: FileJob[] = [];
  if (d.platformFile !== undefined) jobs.push({ file: d.platformFile, kind: "platform", dir: "" });
  for (const file of d.environmentFiles) jobs.push({ file, kind: "environment", dir: "" });
  for (const s of d.sourceDirs) {
    if (s.sourceFile !== undefined) jobs.push({ file: s.sourceFile, kind: "source", dir: s.dir });
    for (const file of s.tableFiles) jobs.push({ file, kind: "table", dir: s.dir });
  }
  return jobs;
}

/** What a cache directory holds, decoded: the segments' entries in order, and the snapshot. */
function cacheContents(dir: string): unknown {
  const files = readdirSync(dir).sort();
  const segments = files
    .filter((f) => f.startsWith("parsed-"))
    .map((f) => deserialize(readFileSync(join(dir, f))) as unknown);
  const snapshot = readFileSync(join(dir, "estate.v8"));
  const body = snapshot.subarray(snapshot.indexOf(10) + 1);
  return {
    files: files.map((f) => f.replace(/^parsed-.*\.v8$/, "parsed.v8")),
    segments,
    snapshotHeader: snapshot.toString("latin1", 0, snapshot.indexOf(10)),
    snapshot: deserialize(body) as unknown,
  };
}

describe("parseFiles", () => {
  let root: string;
  beforeAll(() => {
    root = treeWithErrors(600);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("gives the same results, in order, whether a worker thread or this one parses the files", () => {
    const jobs = jobsOf(root);
    const here = parseFiles(root, jobs, { hash: true, threads: 0 });
    const there = parseFiles(root, jobs, { hash: true, threads: 1, workersOnly: true });
    expect(here.onWorkers).toBe(0);
    // Every source and table file crossed from the worker; platform and environments did not.
    expect(there.onWorkers).toBe(
      jobs.filter((j) => j.kind === "source" || j.kind === "table").length,
    );
    expect(there.results).toEqual(here.results);
    const failed = here.results.filter((r) => !r.result.ok);
    expect(failed.length).toBeGreaterThanOrEqual(6);
    expect(here.results.every((r) => typeof r.sha256 === "string")).toBe(true);
  });

  it("throws what a worker thread threw, instead of waiting for it", () => {
    const job = {
      file: "sources/lab/tables/orders.yaml",
      kind: "view" as FileKind,
      dir: "sources/lab",
    };
    expect(() =>
      parseFiles(BASE_TREE, [job], { hash: false, threads: 1, workersOnly: true }),
    ).toThrow(/a config parsing thread failed: .*no schema for files of kind "view"/);
    // The same bug, on this thread.
    expect(() => parseFiles(BASE_TREE, [job], { hash: false, threads: 0 })).toThrow(
      /no schema for files of kind "view"/,
    );
  });

  it("starts no thread for a small tree", () => {
    const jobs = jobsOf(BASE_TREE);
    expect(jobs.length).toBeLessThan(THREADS_FROM);
    expect(parseFiles(BASE_TREE, jobs, { hash: false }).onWorkers).toBe(0);
  });
});

describe("a load with parse threads", () => {
  let dir: string;
  let root: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "hdp-parse-threads-"));
    root = treeWithErrors(3000);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  const load = (threads: number, cacheDir: string): LoadResult => {
    const d = loadEstateDeferringWrites(root, { cacheDir, snapshot: true, threads });
    d.writeCaches();
    return d.result;
  };

  it("returns what a one-thread load returns, and caches the same", () => {
    const one = load(0, join(dir, "one"));
    const two = load(1, join(dir, "two"));
    expect(one.ok).toBe(false);
    expect(one.errors.length).toBeGreaterThanOrEqual(6);
    expect(two).toEqual(one);
    // Errors in the same order with the same file:line:col, the same skipped files and digest.
    expect(two.errors).toEqual(one.errors);
    expect(two.skippedFiles).toEqual(one.skippedFiles);
    expect(two.digest).toBe(one.digest);
    expect(cacheContents(join(dir, "two"))).toEqual(cacheContents(join(dir, "one")));
    // And the uncached loader agrees.
    expect(loadEstate(root, { threads: 1 })).toEqual({ ...one, digest: undefined });
  });
});

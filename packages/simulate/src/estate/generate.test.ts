import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "yaml";
import { createHash } from "node:crypto";
import {
  DEFAULT_RESOURCE_BUDGET,
  effectiveEstate,
  MAX_JOB_TASKS,
  estimateStackResources,
  formatError,
  loadEstate,
  sourceResources,
} from "@hdp/config";
import { checkEstateOptions, ESTATE_PRESETS, generateEstate } from "./generate";
import { emitYaml } from "./emit-yaml";
import * as sizing from "./sizing";
import { GENERATED_JOB_TASKS, groupByTasks, MAX_DAGS, planShards, SHARD_FILL } from "./sizing";
import { writeEstate } from "./write";

const tmp = (): string => mkdtempSync(join(tmpdir(), "hdp-sim-estate-"));

describe("generateEstate", () => {
  test("generated estates always validate, for any seed and size (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (seed, hospitals, sources, tablesPerSource) => {
          const e = generateEstate({ hospitals, sources, tablesPerSource, seed });
          const dir = tmp();
          try {
            writeEstate(e, dir);
            const r = loadEstate(dir);
            expect(r.errors.map(formatError)).toEqual([]);
            expect(r.ok).toBe(true);
            expect(r.estate.sources).toHaveLength(sources);
            expect(r.estate.platform.hospitals).toHaveLength(hospitals);
            expect(r.estate.tables).toHaveLength(e.summary.tables);
            expect(r.estate.pipelines).toHaveLength(e.summary.pipelines);
            expect(r.estate.environments.map((x) => x.name).sort()).toEqual([
              "dev",
              "prod",
              "stage",
            ]);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 12, seed: 13 },
    );
  });

  test("the same seed gives the same bytes; another seed other bytes", () => {
    const o = { hospitals: 5, sources: 25, tablesPerSource: 6, seed: 42 };
    const a = generateEstate(o);
    const b = generateEstate(o);
    expect([...a.files.entries()]).toEqual([...b.files.entries()]);
    const c = generateEstate({ ...o, seed: 43 });
    expect([...c.files.entries()]).not.toEqual([...a.files.entries()]);
    // Files come out in path order (a stable listing for diffs).
    const paths = [...a.files.keys()];
    expect(paths).toEqual([...paths].sort());
  });

  test("a large estate is sharded under the budget, with an MWAA class that runs every DAG", () => {
    const e = generateEstate({ hospitals: 16, sources: 400, tablesPerSource: 3, seed: 7 });
    const dir = tmp();
    try {
      writeEstate(e, dir);
      const r = loadEstate(dir);
      expect(r.errors.map(formatError)).toEqual([]);
      const prod = effectiveEstate(r.estate, "prod");
      expect(prod.environment.stacks.length).toBeGreaterThan(2);
      expect(prod.environment.airflow.environmentClass).toBe("mw1.large");
      // 400 ingest roles fit the account default (1,000): no quota raise is written.
      expect(prod.environment.policies.quotas.iamRolesPerAccount).toBeUndefined();
      const weight = new Map(
        r.estate.sources.map((s) => [
          s.id,
          sourceResources(
            r.estate.tables.filter((t) => t.source === s.id).length,
            r.estate.pipelines.filter((p) => p.source === s.id).length,
            Math.max(
              ...r.estate.tables
                .filter((t) => t.source === s.id)
                .map((t) => t.layers.filter((l) => l !== "landing").length),
            ),
          ),
        ]),
      );
      for (const stack of prod.environment.stacks.filter((s) => s.shard !== "core")) {
        expect(stack.sources.length).toBeGreaterThan(0);
        const total = stack.sources.reduce((n, s) => n + weight.get(s)!, 0);
        expect(total).toBeLessThanOrEqual(SHARD_FILL);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("sizes stacks with @hdp/config's estimate: the one hdp plan reads back from the written estate", () => {
    // Sharded (400 sources) and not (30); declared pipelines, sources off in stage, dev tables.
    for (const o of [
      { hospitals: 16, sources: 400, tablesPerSource: 3, seed: 7 },
      { hospitals: 4, sources: 30, tablesPerSource: 40, seed: 11 },
    ]) {
      const e = generateEstate(o);
      const dir = tmp();
      try {
        writeEstate(e, dir);
        const r = loadEstate(dir);
        expect(r.errors.map(formatError)).toEqual([]);
        for (const env of r.estate.environments) {
          const stacks = env.stacks.map((s) => s.name);
          expect(stacks.length).toBe(e.summary.stacks[env.name]);
          const sizes = estimateStackResources(r.estate, stacks);
          const total = [...sizes.values()].reduce((a, b) => a + b, 0);
          expect(total).toBe(e.summary.estimatedResources[env.name]);
          for (const s of env.stacks) {
            if (s.shard !== undefined && s.shard !== "core") {
              expect(sizes.get(s.name)).toBeLessThanOrEqual(SHARD_FILL + 4);
            }
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  test("gives the bytes it gave before the estimate moved to @hdp/config (same seed, same bytes)", () => {
    // Pinned from main at 6e0c5a4 (the preset's 127,379 files were also compared with diff -r),
    // then once on purpose: every environment file gained `hardening.airflowPrincipal` (the only
    // change, compared file by file).
    const digest = (o: Parameters<typeof generateEstate>[0]): string => {
      const h = createHash("sha256");
      for (const [path, text] of generateEstate(o).files) h.update(`${path}\0${text}\0`);
      return h.digest("hex");
    };
    expect([
      digest({ hospitals: 16, sources: 400, tablesPerSource: 3, seed: 7 }),
      digest({ hospitals: 4, sources: 30, tablesPerSource: 40, seed: 11 }),
    ]).toEqual([
      "dfddf7709dc865d1b23597a4ea1de71cacc9c94f1fa00ec19f7094d97f2fb6a3",
      "67eb900e586f74fe86908de9098eb610c6284f27f8b1d9ed21d55ebbca9cf713",
    ]);
  });

  test("the health-system preset is the real system's size: over 500,000 resources in 3 environments", () => {
    const p = ESTATE_PRESETS["health-system"];
    expect(p.hospitals).toBe(16);
    const s = generateEstate(p).summary;
    expect(s.tables).toBeGreaterThanOrEqual(100_000);
    expect(s.pipelines).toBeLessThanOrEqual(MAX_DAGS);
    expect(Object.keys(s.estimatedResources).sort()).toEqual(["dev", "prod", "stage"]);
    // The estimate is the platform's count per source (test/simulate-estate-size.test.ts checks
    // it against a plan); the bench plans the preset (bench/estate.ts).
    const total = Object.values(s.estimatedResources).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(500_000);
    for (const env of ["dev", "stage", "prod"]) {
      expect(s.stacks[env]).toBeGreaterThan(
        Math.ceil(s.estimatedResources[env] / DEFAULT_RESOURCE_BUDGET),
      );
    }
  });

  test("a source larger than one Databricks job runs as several pipelines of at most 100 tasks", () => {
    const e = generateEstate({ hospitals: 2, sources: 6, tablesPerSource: 120, seed: 4 });
    const dir = tmp();
    try {
      writeEstate(e, dir);
      const r = loadEstate(dir);
      expect(r.errors.map(formatError)).toEqual([]);
      expect(r.estate.pipelines).toHaveLength(e.summary.pipelines);
      expect(e.summary.pipelines).toBeGreaterThan(6 * 2);
      for (const env of ["dev", "stage", "prod"]) {
        const eff = effectiveEstate(r.estate, env);
        const tables = new Map(eff.tables.map((t) => [t.key, t]));
        const running = eff.pipelines.filter((x) => x.enabled);
        expect(running.length).toBeGreaterThan(0);
        for (const pipeline of running) {
          const tasks = pipeline.tables
            .map((id) => tables.get(`${pipeline.source}/${id}`)!)
            .filter((t) => t.enabled)
            .reduce((n, t) => n + t.layers.filter((l) => l !== "landing").length, 0);
          expect(tasks).toBeLessThanOrEqual(GENERATED_JOB_TASKS);
        }
        // Every table of a source is in exactly one of its pipelines.
        const keys = eff.pipelines.flatMap((x) => x.tables.map((t) => `${x.source}/${t}`));
        expect(keys.sort()).toEqual(eff.tables.map((t) => t.key).sort());
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("more DAGs than one MWAA environment runs: a clear error, at once", () => {
    // It stops at the first source past the limit, not after every table asked for (~2 million).
    expect(() =>
      generateEstate({ hospitals: 16, sources: 3900, tablesPerSource: 500, seed: 1 }),
    ).toThrow(
      "this estate needs more than 3,960 Airflow DAGs per environment, the most one MWAA environment runs here (a generated pipeline runs at most 100 tasks, so a large source runs several): lower --sources or --tables-per-source",
    );
  });

  test("bad options are all reported at once", () => {
    expect(
      checkEstateOptions({ hospitals: 0, sources: 5000, tablesPerSource: 1.5, seed: 1 }),
    ).toEqual([
      "--hospitals must be a whole number from 1 to 64 (got 0)",
      "--sources must be a whole number from 1 to 3,960 (got 5000)",
      "--tables-per-source must be a whole number from 1 to 500 (got 1.5)",
    ]);
    expect(() => generateEstate({ hospitals: 0, sources: 1, tablesPerSource: 1, seed: 1 })).toThrow(
      "--hospitals",
    );
  });

  test("writes only into a new or empty directory, and then writes nothing", () => {
    const dir = tmp();
    try {
      writeFileSync(join(dir, "keep.txt"), "mine");
      const e = generateEstate({ hospitals: 1, sources: 1, tablesPerSource: 1, seed: 1 });
      expect(() => writeEstate(e, dir)).toThrow("is not empty");
      expect(readdirSync(dir)).toEqual(["keep.txt"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("groupByTasks", () => {
  test("groups under the tasks per job that hdp validate allows (100 of Databricks' 1,000, see sizing.ts)", () => {
    expect(GENERATED_JOB_TASKS).toBe(100);
    expect(GENERATED_JOB_TASKS).toBeLessThanOrEqual(MAX_JOB_TASKS);
  });

  test("consecutive groups of at most 100 tasks, none empty", () => {
    expect(groupByTasks([])).toEqual([]);
    expect(groupByTasks([3, 3, 3])).toEqual([3]);
    expect(groupByTasks(Array.from({ length: 50 }, () => 2))).toEqual([50]);
    expect(groupByTasks(Array.from({ length: 51 }, () => 2))).toEqual([50, 1]);
    expect(groupByTasks([60, 41, 59, 1])).toEqual([1, 2, 1]);
    expect(groupByTasks([100, 1])).toEqual([1, 1]);
  });
});

describe("planShards", () => {
  test("defines only its own names: the budget and the estimate are @hdp/config's, imported from it", () => {
    // No aliases of @hdp/config's DEFAULT_RESOURCE_BUDGET or sourceResources: one name each.
    expect(Object.keys(sizing).sort()).toEqual([
      "GENERATED_JOB_TASKS",
      "MAX_DAGS",
      "MWAA_CLASSES",
      "SHARD_FILL",
      "environmentClassFor",
      "groupByTasks",
      "planShards",
    ]);
    // Shards are filled below the budget every generated environment declares: headroom left.
    expect(SHARD_FILL).toBeLessThan(DEFAULT_RESOURCE_BUDGET);
  });
  test("no shards when everything fits one stack", () => {
    expect(planShards([{ id: "a-1", domain: "clinical", weight: 100 }], 400)).toEqual([]);
  });
  test("small domains share a shard; a large domain splits, the last part keeping the domain", () => {
    const big = Array.from({ length: 30 }, (_, i) => ({
      id: `ehr-${i}`,
      domain: "clinical",
      // Twenty of them fill a shard.
      weight: SHARD_FILL / 20,
    }));
    const small = [
      { id: "gl-1", domain: "financial", weight: 500 },
      { id: "hcm-1", domain: "workforce", weight: 500 },
    ];
    expect(planShards([...big, ...small], 400)).toEqual([
      { id: "clinical-2", domains: [], sources: big.slice(0, 20).map((s) => s.id) },
      { id: "clinical", domains: ["clinical"], sources: [] },
      { id: "financial-workforce", domains: ["financial", "workforce"], sources: [] },
    ]);
  });
});

describe("emitYaml", () => {
  test("any strings, numbers and booleans read back the same (property)", () => {
    const scalar = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constantFrom(
        "true",
        "no",
        "1e3",
        "0x1F",
        "- a",
        "a: b",
        "#x",
        " lead",
        "trail ",
        "null",
        "~",
      ),
    );
    const key = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,10}$/);
    const doc = fc.dictionary(
      key,
      fc.oneof(
        scalar,
        fc.array(scalar, { maxLength: 4 }),
        fc.array(fc.dictionary(key, scalar, { minKeys: 1, maxKeys: 3 }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.dictionary(key, scalar, { maxKeys: 3 }),
      ),
      { minKeys: 1, maxKeys: 6 },
    );
    fc.assert(
      fc.property(doc, (d) => expect(parse(emitYaml(d))).toEqual(d)),
      { numRuns: 300, seed: 3 },
    );
  });
});

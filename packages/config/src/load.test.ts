import { renameSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BASE_TREE, materialize } from "../../../test/support/fixture-tree";
import { loadEstate, loadEstateOrThrow } from "./load";
import { effectiveEstate } from "./overlay";
import { ConfigValidationError } from "./errors";

describe("loadEstate on the base tree", () => {
  const estate = loadEstateOrThrow(BASE_TREE);

  it("returns every entry, sorted, with origins", () => {
    expect(estate.sources.map((s) => s.id)).toEqual(["lab", "payroll"]);
    expect(estate.tables.map((t) => t.key)).toEqual([
      "lab/orders",
      "lab/results",
      "payroll/employees",
      "payroll/timesheets",
    ]);
    const orders = estate.tables[0];
    expect(orders.origin).toEqual({ file: "sources/lab/tables/orders.yaml", line: 1, column: 1 });
    expect(orders.columns.map((c) => [c.name, c.origin.line, c.origin.column])).toEqual([
      ["order_id", 5, 5],
      ["mrn", 8, 5],
      ["ordered_at", 11, 5],
    ]);
  });

  it("applies schema defaults", () => {
    const orders = estate.tables[0];
    expect(orders.layers).toEqual(["landing", "bronze", "silver"]);
    expect(orders.retention).toEqual({ landingDays: 30, days: 0 });
    expect(orders.columns[1]).toMatchObject({ nullable: true, classification: "phi" });
    expect(orders.columns[2].classification).toBe("internal");
    expect(estate.sources[0].schedule).toEqual({ cron: "0 2 * * *", timezone: "America/Chicago" });
  });

  it("resolves hospitals: all", () => {
    expect(estate.sources[0].hospitals).toEqual(["north-general", "south-medical"]);
  });

  it("derives pipelines: declared, per-table schedule and the source default, with implied dependencies", () => {
    expect(
      estate.pipelines.map((p) => ({
        key: p.key,
        kind: p.kind,
        tables: p.tables,
        dependsOn: p.dependsOn,
        dagId: p.dagId,
      })),
    ).toEqual([
      {
        key: "lab/ingest",
        kind: "default",
        tables: ["orders"],
        dependsOn: [],
        dagId: "lab__ingest",
      },
      {
        key: "lab/results",
        kind: "declared",
        tables: ["results"],
        dependsOn: ["lab/ingest"],
        dagId: "lab__results",
      },
      {
        key: "payroll/ingest",
        kind: "default",
        tables: ["employees"],
        dependsOn: [],
        dagId: "payroll__ingest",
      },
      {
        key: "payroll/timesheets",
        kind: "table",
        tables: ["timesheets"],
        dependsOn: [],
        dagId: "payroll__timesheets",
      },
    ]);
  });

  it("derives stacks from the sharding config", () => {
    const stacks = Object.fromEntries(
      estate.environments.map((e) => [e.name, e.stacks.map((s) => [s.name, s.sources])]),
    );
    expect(stacks).toEqual({
      dev: [["dev", ["lab", "payroll"]]],
      prod: [
        ["prod-core", []],
        ["prod-clinical", ["lab"]],
        ["prod-business", ["payroll"]],
      ],
    });
  });

  it("merges environment overlays", () => {
    const dev = effectiveEstate(estate, "dev");
    const prod = effectiveEstate(estate, "prod");
    const lab = (e: typeof dev) => e.sources.find((s) => s.id === "lab")!;
    expect(lab(dev).schedule.cron).toBe("0 4 * * 0");
    expect(lab(prod).schedule.cron).toBe("0 2 * * *");
    expect(lab(dev).secretName).toBe("hdp/lab/reader");
    const timesheets = (e: typeof dev) => e.tables.find((t) => t.key === "payroll/timesheets")!;
    expect(timesheets(dev).enabled).toBe(false);
    expect(timesheets(prod).enabled).toBe(true);
    // The source's schedule overlay moves its default and declared-without-schedule pipelines too.
    expect(dev.pipelines.map((p) => [p.key, p.schedule.cron, p.enabled])).toEqual([
      ["lab/ingest", "0 4 * * 0", true],
      ["lab/results", "0 4 * * 0", true],
      ["payroll/ingest", "0 3 * * *", true],
      ["payroll/timesheets", "@hourly", false],
    ]);
    expect(() => effectiveEstate(estate, "qa")).toThrow(
      'unknown environment "qa" (have: dev, prod)',
    );
  });

  it("is deterministic", () => {
    expect(JSON.stringify(loadEstateOrThrow(BASE_TREE))).toBe(JSON.stringify(estate));
  });
});

describe("stability of ids", () => {
  it("does not change ids when a file is renamed or entries are reordered", () => {
    const dir = materialize();
    try {
      renameSync(
        join(dir, "sources/lab/tables/orders.yaml"),
        join(dir, "sources/lab/tables/lab-orders-v2.yaml"),
      );
      renameSync(join(dir, "sources/payroll"), join(dir, "sources/hr-payroll"));
      const platform = join(dir, "platform.yaml");
      const text = readFileSync(platform, "utf8");
      // Swap the two hospitals.
      const [head, rest] = text.split("hospitals:\n");
      const [hospitals, tail] = rest.split("domains:\n");
      const entries = hospitals.split(/(?= {2}- id: )/);
      writeFileSync(platform, `${head}hospitals:\n${entries.reverse().join("")}domains:\n${tail}`);
      const moved = loadEstateOrThrow(dir);
      const base = loadEstateOrThrow(BASE_TREE);
      expect(moved.tables.map((t) => t.key)).toEqual(base.tables.map((t) => t.key));
      expect(moved.pipelines.map((p) => p.dagId)).toEqual(base.pipelines.map((p) => p.dagId));
      expect(moved.sources.map((s) => s.hospitals)).toEqual(base.sources.map((s) => s.hospitals));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("loadEstateOrThrow", () => {
  it("throws every error at once", () => {
    const dir = materialize();
    try {
      writeFileSync(join(dir, "sources/lab/tables/orders.yaml"), "id: Orders\n");
      let thrown: unknown;
      try {
        loadEstateOrThrow(dir);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ConfigValidationError);
      expect((thrown as ConfigValidationError).errors.map((e) => e.field)).toEqual([
        "classification",
        "columns",
        "description",
        "load",
        "id",
      ]);
      expect(loadEstate(dir).ok).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("schedules as Airflow accepts them", () => {
  it("loads @once, @yearly and @annually wherever a schedule goes", () => {
    const dir = materialize();
    try {
      const source = join(dir, "sources", "lab", "source.yaml");
      writeFileSync(
        source,
        readFileSync(source, "utf8")
          .replace('cron: "0 2 * * *"', 'cron: "@yearly"')
          .replace('cron: "0 4 * * 0"', 'cron: "@once"'),
      );
      const orders = join(dir, "sources", "lab", "tables", "orders.yaml");
      writeFileSync(
        orders,
        readFileSync(orders, "utf8").replace("load:\n", 'schedule:\n  cron: "@annually"\nload:\n'),
      );
      const r = loadEstate(dir);
      expect(r.errors).toEqual([]);
      expect(r.estate.sources[0].schedule.cron).toBe("@yearly");
      expect(effectiveEstate(r.estate, "dev").sources[0].schedule.cron).toBe("@once");
      expect(r.estate.pipelines.map((p) => p.schedule.cron)).toEqual(
        expect.arrayContaining(["@annually"]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

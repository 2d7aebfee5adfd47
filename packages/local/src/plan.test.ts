import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import { renderTableSpecs } from "@hdp/platform";
import { localSpec, runDates, sourceDags } from "./plan";

const estate = loadEstateOrThrow(join(__dirname, "..", "..", "..", "configs"));

describe("sourceDags", () => {
  it("orders a source's DAGs after the DAGs whose assets schedule them", () => {
    const dags = sourceDags(estate, "dev", "epic-clarity");
    expect(dags.map((d) => [d.model.pipeline, d.upstream])).toEqual([
      ["ingest", []], // the tables no declared pipeline names
      ["reference", []],
      ["patient-core", ["epic_clarity__reference"]],
      ["orders", ["epic_clarity__patient_core"]],
    ]);
  });

  it("puts each table after the tables it waits for, with its layers in data-flow order", () => {
    const [results, micro] = sourceDags(estate, "dev", "sunquest-lab");
    expect(results.model.pipeline).toBe("results");
    expect(micro.upstream).toEqual([results.model.dagId]);
    const cultures = micro.model.tables.find((t) => t.id === "micro_cultures")!;
    const susceptibilities = micro.model.tables.find((t) => t.id === "micro_susceptibilities")!;
    expect(cultures.layers).toEqual(["bronze", "silver"]);
    expect(susceptibilities.after).toContain("micro_cultures");
    const ids = results.model.tables.map((t) => t.id);
    expect(ids.indexOf("lab_orders")).toBeLessThan(ids.indexOf("lab_results"));
    const lab = results.model.tables.find((t) => t.id === "lab_results")!;
    expect(lab.layers).toEqual(["bronze", "silver", "gold"]);
    expect(lab.after).toContain("lab_orders");
  });
});

describe("localSpec", () => {
  it("changes only the landing path and the catalog of the platform's rendered spec", () => {
    const rendered = renderTableSpecs(estate, "dev").find(
      (s) => s.key === "sunquest-lab/lab_results",
    )!;
    const local = localSpec(rendered.spec, "/tmp/run/landing");
    expect(local.landing).toEqual({
      format: "hl7",
      path: "file:///tmp/run/landing/sunquest-lab/lab_results/",
    });
    expect(local.tables).toEqual({
      bronze: "spark_catalog.sunquest_lab_bronze.lab_results",
      silver: "spark_catalog.sunquest_lab_silver.lab_results",
      gold: "spark_catalog.sunquest_lab_gold.lab_results",
      quarantine: "spark_catalog.sunquest_lab_silver.lab_results__quarantine",
    });
    expect({ ...local, landing: rendered.spec.landing, tables: rendered.spec.tables }).toEqual(
      rendered.spec,
    );
    expect(rendered.spec.tables.bronze).toBe("shs_dev.sunquest_lab_bronze.lab_results");
  });
});

test("runDates counts days in UTC across a month end", () => {
  expect(runDates("2025-01-30", 3)).toEqual(["2025-01-30", "2025-01-31", "2025-02-01"]);
});

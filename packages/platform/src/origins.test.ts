import { recordAll, baseEstate, type RecordedStack } from "./__fixtures__";
import { resourceOrigins } from "./origins";

const estate = baseEstate();
let stacks: Map<string, RecordedStack>;
beforeAll(async () => {
  stacks = await recordAll(estate);
});

/** `file:line` of every resource of a stack, by logical name. */
function origins(stack: string): Map<string, string> {
  const resources = stacks.get(stack)?.resources ?? [];
  const found = resourceOrigins(estate, stack, resources);
  expect(found.size).toBe(resources.length);
  return new Map(
    resources.map((r) => {
      const o = found.get(r.urn);
      return [r.name, o === undefined ? "none" : `${o.file}:${o.line}`];
    }),
  );
}

const domain = (id: string) => estate.platform.domains.find((d) => d.id === id)?.origin;
const at = (o: { file: string; line: number } | undefined) => `${o?.file}:${o?.line}`;

describe("resourceOrigins", () => {
  it("points a domain's lake, pool and cluster policy (and all they contain) at the domain entry", () => {
    const core = origins("prod-core");
    const clinical = at(domain("clinical"));
    expect(clinical).toMatch(/^platform\.yaml:\d+$/);
    const lake = [...core].filter(([name]) => name.startsWith("clinical"));
    expect(lake.length).toBeGreaterThan(10);
    for (const [name, o] of lake) expect([name, o]).toEqual([name, clinical]);
  });

  it("points a source's ingest role and schemas at its source.yaml, a job at its pipeline", () => {
    const clinical = origins("prod-clinical");
    const source = estate.sources.find((s) => s.id === "lab");
    const pipeline = estate.pipelines.find((p) => p.source === "lab" && p.id === "results");
    expect(clinical.get("lab")).toBe(at(source?.origin));
    expect(clinical.get("lab-role")).toBe(at(source?.origin));
    expect(clinical.get("lab--results")).toBe(at(pipeline?.origin));
    expect(clinical.get("lab--results-job")).toBe(at(pipeline?.origin));
    expect(at(pipeline?.origin)).not.toBe(at(source?.origin));
  });

  it("points shared objects (keys, MWAA, catalog, providers) at the environment's file", () => {
    const core = origins("prod-core");
    const env = estate.environments.find((e) => e.name === "prod");
    for (const name of ["catalog-key", "airflow", "lake", "aws", "databricks"]) {
      expect([name, core.get(name)]).toEqual([name, at(env?.origin)]);
    }
  });

  it("knows no origins for a stack the estate does not have", () => {
    const dev = stacks.get("dev")?.resources ?? [];
    expect(dev.length).toBeGreaterThan(0);
    expect(resourceOrigins(estate, "nope", dev).size).toBe(0);
  });
});

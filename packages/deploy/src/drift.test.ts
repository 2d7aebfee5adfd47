import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import { fakeEngine } from "./__fixtures__/fake-engine";
import { KEY, LOGS, refreshPreviewEvents, VERSIONING } from "./__fixtures__/events";
import { stackTarget } from "./deploy";
import { detectDrift, driftExitCode, renderDriftMarkdown, renderDriftText } from "./drift";
import { deployGraph } from "./order";

const estate = loadEstateOrThrow(join(__dirname, "..", "..", "..", "configs"));
const clinical = estate.platform.domains.find((d) => d.id === "clinical")?.origin;

const drift = (spec: Parameters<typeof fakeEngine>[0]) => {
  const engine = fakeEngine(spec);
  return detectDrift({
    estate,
    environment: "prod",
    nodes: deployGraph(estate, "prod"),
    jobs: 2,
    engine,
    target: (s) => stackTarget("/repo", s, "prod"),
  }).then((report) => ({ report, engine }));
};

describe("detectDrift", () => {
  it("lists drifted resources per stack with the config entry behind each, and exits 1", async () => {
    const { report, engine } = await drift({ events: { "prod-core": refreshPreviewEvents } });
    expect(engine.calls.every((c) => c.op === "refreshPreview")).toBe(true);
    expect(engine.calls).toHaveLength(deployGraph(estate, "prod").length);
    const core = report.stacks.find((s) => s.stack === "prod-core");
    expect(clinical?.file).toBe("platform.yaml");
    expect(core?.drifted.map((d) => [d.op, d.urn, d.diffs, d.origin])).toEqual([
      ["create", LOGS, [], clinical],
      ["update", VERSIONING, ["versioningConfiguration"], clinical],
    ]);
    // The key changed outputs only: listed apart, not drift. Its origin is the environment file.
    expect(core?.outputOnly.map((d) => [d.urn, d.origin?.file])).toEqual([
      [KEY, "environments/prod.yaml"],
    ]);
    expect(driftExitCode(report)).toBe(1);
    const text = renderDriftText(report);
    expect(text).toContain(
      `prod-core: 2 drifted resource(s)\n  + create aws:s3/bucket:Bucket  clinical-logs  platform.yaml:${clinical?.line}:${clinical?.column}\n  ~ update aws:s3/bucketVersioning:BucketVersioning  clinical-bronze-versioning  (versioningConfiguration)  platform.yaml:${clinical?.line}:${clinical?.column}\n  1 resource(s) with output-only changes (not drift): prod-lake-key`,
    );
    expect(text).toContain("prod-clinical: no drift");
    expect(text).toContain("prod: drift in 1 of 4 stack(s).");
    expect(text).toContain("`preview --refresh --expect-no-changes` ignores output-only changes");
    const md = renderDriftMarkdown(report);
    expect(md).toContain("| `prod-core` | 2 | 1 | drift |");
    expect(md).toContain(
      `| update | \`aws:s3/bucketVersioning:BucketVersioning\` | clinical-bronze-versioning | versioningConfiguration | \`platform.yaml:${clinical?.line}\` |`,
    );
  });

  it("exits 0 when nothing drifted, even with output-only changes", async () => {
    const outputsOnly = refreshPreviewEvents.filter(
      (e) =>
        e.resourcePreEvent === undefined ||
        e.resourcePreEvent.metadata.op === "refresh" ||
        e.resourcePreEvent.metadata.op === "same",
    );
    const { report } = await drift({ events: { "prod-core": outputsOnly } });
    expect(report.stacks.every((s) => s.drifted.length === 0)).toBe(true);
    expect(report.stacks[0].outputOnly).toHaveLength(2);
    expect(driftExitCode(report)).toBe(0);
  });

  it("reports a stack it could not check, and exits 1", async () => {
    const { report } = await drift({ unreachable: ["prod-genomics"] });
    const g = report.stacks.find((s) => s.stack === "prod-genomics");
    expect(g).toMatchObject({ ran: false, error: "error: getting credentials: expired token" });
    expect(driftExitCode(report)).toBe(1);
    expect(renderDriftText(report)).toContain(
      "prod-genomics: could not check: error: getting credentials: expired token",
    );
  });
});

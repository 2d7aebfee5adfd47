import { errorOf, policyLineOf, stateResources, stepOf, urnName } from "./events";
import {
  exportedState,
  LAKE,
  LOGS,
  policyEvent,
  refreshPreviewEvents,
  VERSIONING,
} from "./__fixtures__/events";

describe("engine events", () => {
  it("reads every resourcePreEvent as a step: op, type, parent and top-level properties", () => {
    const steps = refreshPreviewEvents.map(stepOf).filter((s) => s !== undefined);
    expect(steps).toHaveLength(8);
    expect(steps.find((s) => s.urn === VERSIONING && s.op === "update")).toEqual({
      urn: VERSIONING,
      type: "aws:s3/bucketVersioning:BucketVersioning",
      op: "update",
      parent: LAKE,
      diffs: ["versioningConfiguration"],
    });
    // No `diffs`: the properties come from the detailed diff's paths.
    expect(steps.find((s) => s.op === "refresh" && s.type === "aws:kms/key:Key")?.diffs).toEqual([
      "description",
    ]);
    // A create has no old state: the parent comes from the new one.
    expect(steps.find((s) => s.urn === LOGS)?.parent).toBe(LAKE);
  });

  it("renders policy findings and error diagnostics as lines, ignoring other events", () => {
    expect(policyLineOf(policyEvent)).toBe(
      `health-data-platform/s3-access-log-encryption [mandatory] ${LOGS}: Access-log buckets must use SSE-S3.`,
    );
    expect(refreshPreviewEvents.map(errorOf).filter(Boolean)).toEqual([
      "error: no changes were expected but changes were proposed",
    ]);
    expect(policyLineOf(refreshPreviewEvents[0])).toBeUndefined();
    expect(
      errorOf({
        sequence: 1,
        timestamp: 1,
        diagnosticEvent: { message: "warn", color: "never", severity: "warning" },
      }),
    ).toBeUndefined();
  });

  it("reads an exported stack's resources with parents and provider references", () => {
    const rs = stateResources(exportedState);
    expect(rs).toHaveLength(7);
    expect(rs.find((r) => r.urn === LOGS)).toEqual({
      urn: LOGS,
      type: "aws:s3/bucket:Bucket",
      parent: LAKE,
      provider: expect.stringContaining("::pulumi:providers:aws::default_7_48_0::"),
    });
    expect(stateResources({ version: 3, deployment: {} })).toEqual([]);
    expect(() => stateResources({ deployment: { resources: {} } })).toThrow("not a list");
    expect(() => stateResources({ deployment: { resources: [{ type: "x" }] } })).toThrow(
      "resource 0 has no urn",
    );
  });

  it("takes the logical name from the end of a URN", () => {
    expect(urnName(VERSIONING)).toBe("clinical-bronze-versioning");
  });
});

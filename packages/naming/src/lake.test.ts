import { validateBucketName } from "./rules";
import { composeLakeBucketName } from "./lake";

describe("composeLakeBucketName", () => {
  it("joins the parts, with the suffix after the layer", () => {
    expect(
      composeLakeBucketName({
        prefix: "shs",
        environment: "prod",
        domain: "clinical",
        layer: "gold",
      }),
    ).toBe("shs-prod-clinical-gold");
    expect(
      composeLakeBucketName({
        prefix: "shs",
        environment: "prod",
        domain: "clinical",
        layer: "landing",
        suffix: "318745203961",
      }),
    ).toBe("shs-prod-clinical-landing-318745203961");
  });

  it("shortens only the head of a long name: it keeps its layer and suffix and stays valid", () => {
    const long = {
      prefix: "statewide-health-system-data-platform",
      environment: "production-east",
      domain: "clinical-research",
      layer: "landing",
      suffix: "318745203961",
    };
    const name = composeLakeBucketName(long);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.endsWith("-landing-318745203961")).toBe(true);
    expect(validateBucketName(name)).toEqual([]);
    expect(composeLakeBucketName({ ...long, domain: "clinical-research-2" })).not.toBe(name);
  });
});

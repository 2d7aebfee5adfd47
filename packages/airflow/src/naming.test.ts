import fc from "fast-check";
import { validateBucketName } from "@hdp/naming";
import { bucketArnFor, dagBucketName } from "./naming";

describe("dagBucketName", () => {
  it.each([
    [{ prefix: "hdp-acme", environment: "prod" }, "hdp-acme-prod-airflow-dags"],
    [{ prefix: "h", environment: "dev" }, "h-dev-airflow-dags"],
  ])("%o -> %s", (parts, name) => expect(dagBucketName(parts)).toBe(name));

  it.each([
    [{ prefix: "HDP", environment: "prod" }, 'prefix "HDP"'],
    [{ prefix: "hdp", environment: "prod_1" }, 'environment "prod_1"'],
    [{ prefix: "xn", environment: "" }, 'environment ""'],
  ])("rejects %o", (parts, message) => expect(() => dagBucketName(parts)).toThrow(message));

  it("is valid, stable, at most 63 characters and keeps its suffix", () => {
    const part = fc.stringMatching(/^[a-z0-9]{1,20}(-[a-z0-9]{1,20}){0,2}$/);
    fc.assert(
      fc.property(part, part, (prefix, environment) => {
        fc.pre(!prefix.startsWith("sthree-"));
        const name = dagBucketName({ prefix, environment });
        expect(name.length).toBeLessThanOrEqual(63);
        expect(name.endsWith("-airflow-dags")).toBe(true);
        expect(validateBucketName(name)).toEqual([]);
        expect(dagBucketName({ prefix, environment })).toBe(name);
      }),
    );
  });

  it("gives the ARN of a bucket before it exists", () => {
    expect(bucketArnFor("hdp-acme-prod-airflow-dags")).toBe(
      "arn:aws:s3:::hdp-acme-prod-airflow-dags",
    );
  });
});

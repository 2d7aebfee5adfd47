import { describeS3Error, parseS3Url, s3EndpointOf, s3Target } from "./s3-target";
import { TargetError } from "./sinks";

describe("s3 target", () => {
  test("s3://bucket/prefix URLs: bucket and prefix, trailing slashes dropped; others refused", () => {
    expect(parseS3Url("s3://landing")).toEqual({ bucket: "landing", prefix: "" });
    expect(parseS3Url("s3://landing/")).toEqual({ bucket: "landing", prefix: "" });
    expect(parseS3Url("s3://landing/raw/dev/")).toEqual({ bucket: "landing", prefix: "raw/dev" });
    for (const bad of [
      "s3://",
      "s3://Landing/x",
      "s3://landing//x",
      "https://landing/x",
      "s3://a/x",
    ])
      expect(parseS3Url(bad)).toBeUndefined();
    expect(() => s3Target("s3://Bad_Bucket/x")).toThrow(TargetError);
    expect(() => s3Target("s3://landing/x", { endpoint: "localhost:9000" })).toThrow(
      'the S3 endpoint must be an http(s):// URL (got "localhost:9000")',
    );
  });

  test("the endpoint: the option, else AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL", () => {
    const env = { AWS_ENDPOINT_URL_S3: "http://s3only:1", AWS_ENDPOINT_URL: "http://all:2" };
    expect(s3EndpointOf({ endpoint: "http://flag:3", env })).toBe("http://flag:3");
    expect(s3EndpointOf({ env })).toBe("http://s3only:1");
    expect(s3EndpointOf({ env: { AWS_ENDPOINT_URL: "http://all:2" } })).toBe("http://all:2");
    expect(s3EndpointOf({ env: {} })).toBeUndefined();
  });

  test("S3 failures read as one line that says what to fix", () => {
    const at = "s3://landing/raw";
    const err = (name: string, status?: number, extra: object = {}) =>
      Object.assign(new Error(`${name} happened\nsecond line`), {
        name,
        $metadata: { httpStatusCode: status },
        ...extra,
      });
    expect(describeS3Error(err("AccessDenied", 403), at, undefined)).toBe(
      "s3://landing/raw: access denied (the credentials may not list or write this bucket and prefix)",
    );
    expect(describeS3Error(err("UnknownError", 403), at, undefined)).toContain("access denied");
    expect(describeS3Error(err("NoSuchBucket", 404), at, undefined)).toBe(
      's3://landing/raw: bucket "landing" does not exist',
    );
    expect(describeS3Error(err("InvalidAccessKeyId", 403), at, undefined)).toBe(
      "s3://landing/raw: the AWS credentials were rejected (InvalidAccessKeyId)",
    );
    expect(describeS3Error(err("CredentialsProviderError"), at, undefined)).toMatch(
      /^no AWS credentials for s3:\/\/landing\/raw: /,
    );
    expect(
      describeS3Error(err("Error", undefined, { code: "ECONNREFUSED" }), at, "http://x:9"),
    ).toBe("s3://landing/raw: cannot reach http://x:9 (ECONNREFUSED)");
    const other = describeS3Error(err("SlowDown", 503), at, undefined);
    expect(other).toBe("s3://landing/raw: S3 error SlowDown (HTTP 503): SlowDown happened");
    expect(other).not.toContain("\n");
  });
});

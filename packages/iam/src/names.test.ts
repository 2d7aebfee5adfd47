import { record, valueOf } from "@hdp/testing";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import {
  checkKmsKeyArn,
  iamPolicyName,
  iamRoleName,
  kmsKeyArnInput,
  s3BucketArnInput,
} from "./names";
import { concatInputs, maxLengthOf, MAX_LENGTH, sizeHint } from "./size-hints";

describe("iamRoleName", () => {
  it("keeps valid short names", () => {
    expect(iamRoleName("hdp-prod-ingest-epic")).toBe("hdp-prod-ingest-epic");
  });

  it("shortens long names to 64 characters, stably and uniquely", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{65,120}$/), (name) => {
        const short = iamRoleName(name);
        expect(short.length).toBeLessThanOrEqual(64);
        expect(iamRoleName(name)).toBe(short);
        expect(iamRoleName(`${name}x`)).not.toBe(short);
      }),
    );
  });

  it("rejects characters IAM refuses", () => {
    expect(() => iamRoleName("hdp prod")).toThrow(
      'IAM role name "hdp prod" may contain only letters, digits and "+=,.@_-"',
    );
  });
});

describe("iamPolicyName", () => {
  it("names a role's n-th policy", () => {
    expect(iamPolicyName("hdp-prod-airflow", 2)).toBe("hdp-prod-airflow-policy-2");
  });
});

describe("ARN inputs", () => {
  it.each(["arn:aws:kms:us-east-2:123456789012:alias/hdp", "1234abcd-12ab-34cd-56ef-1234567890ab"])(
    "refuses %s as a KMS key ARN",
    (value) => {
      expect(() => kmsKeyArnInput(value)).toThrow("is not a KMS key ARN");
    },
  );

  it("hints the size of Output key ARNs (checked with checkKmsKeyArn once resolved)", () => {
    const out = kmsKeyArnInput(pulumi.output("arn:aws:kms:us-east-2:123456789012:key/x"));
    expect(maxLengthOf(out)).toBe(MAX_LENGTH.kmsKeyArn);
    expect(() => checkKmsKeyArn("k", "arn:aws:kms:us-east-2:123456789012:alias/x")).toThrow(
      "is not a KMS key ARN",
    );
  });

  it.each(["hdp-lake", "arn:aws:s3:::hdp-lake/x", "arn:aws:s3:::ab"])(
    "refuses %s as a bucket ARN",
    (value) => {
      expect(() => s3BucketArnInput(value)).toThrow("is not an S3 bucket ARN");
    },
  );
});

describe("size hints", () => {
  it("measures strings, hinted Outputs and unhinted Outputs", () => {
    expect(maxLengthOf("abc")).toBe(3);
    expect(maxLengthOf(pulumi.output("abc"))).toBe(2048);
    expect(maxLengthOf(sizeHint(pulumi.output("abc"), 5))).toBe(5);
  });

  it("keeps the largest of several hints", () => {
    const o = pulumi.output("abc");
    sizeHint(o, 40);
    sizeHint(o, 12);
    expect(maxLengthOf(o)).toBe(40);
  });

  it("concatenates to a plain string when every part is known", () => {
    expect(concatInputs(["arn:aws:iam::", { value: "123456789012", maxLength: 12 }, ":root"])).toBe(
      "arn:aws:iam::123456789012:root",
    );
  });

  it("hints a concatenation with the sum of its parts' bounds", async () => {
    const joined = concatInputs([
      "arn:aws:iam::",
      { value: pulumi.output("123456789012"), maxLength: 12 },
      ":root",
    ]);
    expect(maxLengthOf(joined)).toBe("arn:aws:iam::".length + 12 + ":root".length);
    const { result } = await record(() => valueOf(joined));
    expect(result).toBe("arn:aws:iam::123456789012:root");
  });

  it("documents worst-case ARN lengths that hold for the longest partition", () => {
    const longestRegion = "r".repeat(MAX_LENGTH.region);
    expect(
      `arn:aws-us-gov:kms:${longestRegion}:123456789012:key/mrk-0123456789abcdef0123456789abcdef`
        .length,
    ).toBe(MAX_LENGTH.kmsKeyArn);
    expect(`arn:aws-us-gov:s3:::${"b".repeat(63)}`.length).toBe(MAX_LENGTH.s3BucketArn);
    expect(`arn:aws-us-gov:iam::123456789012:role/${"r".repeat(64)}`.length).toBe(
      MAX_LENGTH.iamRoleArn,
    );
  });

  it("refuses a negative hint", () => {
    expect(() => sizeHint(pulumi.output("x"), -1)).toThrow("non-negative integer");
  });
});

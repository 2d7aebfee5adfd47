import {
  keyPolicyStatements,
  logDeliveryStatement,
  policyDocument,
  sortBySid,
  tlsOnlyStatement,
  validatePolicyStatements,
  type PolicyStatementInput,
} from "./policies";

describe("bucket policy statements", () => {
  it("denies every S3 action without TLS, on the bucket and its objects", () => {
    expect(tlsOnlyStatement("arn:aws:s3:::b")).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("lets only the logging service put logs, for the listed sources of the account", () => {
    const s = logDeliveryStatement({
      logBucketArn: "arn:aws:s3:::logs",
      sourceBucketArns: ["arn:aws:s3:::z", "arn:aws:s3:::a"],
      accountId: "111122223333",
    });
    expect(s).toEqual({
      Sid: "AllowS3ServerAccessLogs",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::logs/*",
      Condition: {
        ArnLike: { "aws:SourceArn": ["arn:aws:s3:::a", "arn:aws:s3:::z"] },
        StringEquals: { "aws:SourceAccount": "111122223333" },
      },
    });
  });

  it("renders a 2012-10-17 document in the given order; sortBySid makes order irrelevant", () => {
    const a = tlsOnlyStatement("arn:aws:s3:::a");
    const b = { ...a, Sid: "B" };
    const c = { ...a, Sid: "C" };
    expect(JSON.parse(policyDocument([a]))).toEqual({ Version: "2012-10-17", Statement: [a] });
    expect(policyDocument(sortBySid([c, b]))).toBe(policyDocument(sortBySid([b, c])));
  });
});

describe("validatePolicyStatements", () => {
  const ok: PolicyStatementInput = {
    Sid: "ReadForAnalytics",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::111122223333:role/analytics" },
    Action: ["s3:GetObject"],
    Resource: "arn:aws:s3:::b/*",
  };
  it("accepts a scoped statement", () => expect(validatePolicyStatements([ok])).toEqual([]));
  it.each<[string, PolicyStatementInput[], string]>([
    [
      "duplicate Sids",
      [ok, ok],
      "policyStatements[ReadForAnalytics]: Sid is used twice or is reserved",
    ],
    [
      "a reserved Sid",
      [{ ...ok, Sid: "DenyInsecureTransport" }],
      "Sid is used twice or is reserved",
    ],
    ["a bad Sid", [{ ...ok, Sid: "read-all" }], "Sid must be 1 to 100 letters or digits"],
    [
      "a public allow",
      [{ ...ok, Principal: "*" }],
      'Allow to principal "*" would make the bucket public',
    ],
  ])("rejects %s", (_what, statements, message) => {
    expect(validatePolicyStatements(statements).join("\n")).toContain(message);
  });
});

describe("keyPolicyStatements", () => {
  it("always keeps the account-root statement", () => {
    expect(keyPolicyStatements({ accountId: "111122223333" })).toEqual([
      {
        Sid: "EnableRootAccountAccess",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "kms:*",
        Resource: "*",
      },
    ]);
  });

  it("lets CloudWatch Logs of the region use the key for matching log groups only", () => {
    const [root, logs] = keyPolicyStatements({
      accountId: "111122223333",
      cloudWatchLogs: { region: "us-east-2", logGroupNamePattern: "airflow-hdp-prod-*" },
    });
    expect(root?.Sid).toBe("EnableRootAccountAccess");
    expect(logs).toEqual({
      Sid: "AllowCloudWatchLogs",
      Effect: "Allow",
      Principal: { Service: "logs.us-east-2.amazonaws.com" },
      Action: [
        "kms:Encrypt*",
        "kms:Decrypt*",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:Describe*",
      ],
      Resource: "*",
      Condition: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn":
            "arn:aws:logs:us-east-2:111122223333:log-group:airflow-hdp-prod-*",
        },
      },
    });
  });
});

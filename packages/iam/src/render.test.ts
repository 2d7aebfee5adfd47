import { record, valueOf } from "@hdp/testing";
import * as pulumi from "@pulumi/pulumi";
import { renderPolicyDocument, splitPolicyDocuments } from "./policy-document";
import type { PolicyStatement } from "./policy-types";
import { spawnSync } from "node:child_process";
import type { NormStatement } from "./normalize";
import { renderResolved } from "./render";
import { sizeHint } from "./size-hints";

/** Renders under mocks (Outputs resolve as in a real run) and returns the JSON. */
async function render(build: () => pulumi.Output<string>): Promise<unknown> {
  const { result } = await record(() => valueOf(build()));
  return JSON.parse(result);
}

describe("renderPolicyDocument", () => {
  it("renders a resource policy with principals, merged and sorted", async () => {
    const bucket = "arn:aws:s3:::hdp-prod-bronze";
    const statements: PolicyStatement[] = [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: ["s3:*"],
        Resource: [`${bucket}/*`, bucket],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Effect: "Allow",
        Principal: {
          AWS: ["arn:aws:iam::123456789012:role/b", "arn:aws:iam::123456789012:role/a"],
        },
        Action: ["s3:GetObject"],
        Resource: [`${bucket}/*`],
      },
    ];
    expect(await render(() => renderPolicyDocument(statements))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: {
            AWS: ["arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b"],
          },
          Action: "s3:GetObject",
          Resource: `${bucket}/*`,
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [bucket, `${bucket}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  it("sorts and deduplicates Output values once they resolve", async () => {
    const doc = await render(() =>
      renderPolicyDocument([
        {
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          Resource: [
            pulumi.output("arn:aws:kms:us-east-2:123456789012:key/b"),
            "arn:aws:kms:us-east-2:123456789012:key/b",
            pulumi.output("arn:aws:kms:us-east-2:123456789012:key/a"),
          ],
          Condition: {
            StringEquals: { "kms:ViaService": pulumi.output("s3.us-east-2.amazonaws.com") },
          },
        },
      ]),
    );
    expect(doc).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: [
            "arn:aws:kms:us-east-2:123456789012:key/a",
            "arn:aws:kms:us-east-2:123456789012:key/b",
          ],
          Condition: { StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" } },
        },
      ],
    });
  });

  it("rejects statements that mix resource-policy and identity-policy shapes", () => {
    expect(() =>
      renderPolicyDocument([
        { Effect: "Allow", Principal: "*", Action: ["s3:GetObject"], Resource: ["*"] },
        { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] },
      ]),
    ).toThrow("either every statement names principals (resource policy) or none does");
  });

  it("repeats every check on resolved values", () => {
    const resolved: NormStatement<string>[] = [
      { effect: "Allow", actions: ["*"], resources: ["*"] },
      { effect: "Allow", actions: ["s3:GetObject"], resources: ["hdp-bucket"] },
      { sid: "A", effect: "Allow", actions: ["s3:GetObject"], resources: ["*"] },
      { sid: "A", effect: "Deny", actions: ["s3:PutObject"], resources: ["*"] },
    ];
    expect(() => renderResolved(resolved, { label: "doc" })).toThrow(
      [
        "@hdp/iam: doc:",
        '  - statement 1: "*" action on "*" resource is never allowed',
        '  - statement 2: resource "hdp-bucket" is not an ARN (arn:partition:service:region:account:…) nor "*"',
        "  - sids used more than once: A",
      ].join("\n"),
    );
  });

  it("fails the run when an Output resolves to * with action * (outside jest)", () => {
    // jest intercepts rejections raised in apply(); a plain node run shows what `pulumi up` sees.
    const script = [
      'const pulumi = require("@pulumi/pulumi");',
      'const iam = require("@pulumi/aws/iam");',
      'const { record } = require("@hdp/testing");',
      'const { renderPolicyDocument } = require("./policy-document");',
      "record(() => { new iam.Policy('p', { policy: renderPolicyDocument(",
      "  [{ Effect: 'Allow', Action: ['*'], Resource: [pulumi.output('*')] }]) }); })",
      '  .then(() => { console.log("no error"); process.exit(0); },',
      '        (e) => { console.log("rejected: " + e.message); process.exit(3); });',
    ].join("\n");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--conditions=@hdp/source", "-e", script],
      { cwd: __dirname, encoding: "utf8" },
    );
    expect(run.stdout).toContain('"*" action on "*" resource is never allowed');
    expect(run.status).toBe(3);
  });

  it("rejects one sid on statements that cannot merge", () => {
    expect(() =>
      renderPolicyDocument([
        {
          Sid: "Read",
          Effect: "Allow",
          Action: ["s3:GetObject"],
          Resource: ["arn:aws:s3:::a/*"],
        },
        { Sid: "Read", Effect: "Allow", Action: ["s3:ListBucket"], Resource: ["arn:aws:s3:::a"] },
      ]),
    ).toThrow("sids used by statements that cannot merge: Read");
  });

  it("checks maxLength on known strings at construction", () => {
    const resources = Array.from({ length: 100 }, (_, i) => `arn:aws:s3:::hdp-lake/p${i}/*`);
    expect(() =>
      renderPolicyDocument([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: resources }], {
        maxLength: 1000,
        label: "bucket policy of hdp-lake",
      }),
    ).toThrow(
      /bucket policy of hdp-lake:\n {2}- the document is at least \d+ characters \(known strings alone\), over the limit of 1000/,
    );
  });
});

describe("renderPolicyDocumentPart", () => {
  it("fails when an Output resolved longer than its size hint", () => {
    const resource = `arn:aws:s3:::hdp-lake/${"x".repeat(200)}`;
    expect(() =>
      renderResolved([{ effect: "Allow", actions: ["s3:GetObject"], resources: [resource] }], {
        label: "managed policy p",
        maxLength: 150,
      }),
    ).toThrow(
      /managed policy p:\n {2}- the rendered document is \d+ characters, over the limit of 150 \(an Output resolved longer than its size hint\)/,
    );
  });

  it("sizes an unhinted Output at 2,048 characters", () => {
    const statements: PolicyStatement[] = [
      {
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: [1, 2, 3].map((i) => pulumi.output(`arn:aws:s3:::hdp-lake/${i}/*`)),
      },
    ];
    // Two unknowns of 2,048 fit in 6,144; three do not.
    expect(splitPolicyDocuments(statements)).toHaveLength(2);
    const hinted = statements.map((s) => ({
      ...s,
      Resource: s.Resource.map((r) => sizeHint(r, 90)),
    }));
    expect(splitPolicyDocuments(hinted)).toHaveLength(1);
  });
});

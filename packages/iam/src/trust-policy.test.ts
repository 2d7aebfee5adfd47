import { record, valueOf } from "@hdp/testing";
import * as pulumi from "@pulumi/pulumi";
import type { TrustStatement } from "./policy-types";
import { sizeHint } from "./size-hints";
import { renderResolved } from "./render";
import { renderTrustPolicy, trustPolicyMaxLength } from "./trust-policy";

async function render(statements: TrustStatement[]): Promise<unknown> {
  const { result } = await record(() => valueOf(renderTrustPolicy(statements)));
  return JSON.parse(result);
}

describe("renderTrustPolicy", () => {
  it("merges statements that differ only in principals", async () => {
    expect(
      await render([
        { Principal: { Service: "airflow.amazonaws.com" } },
        { Principal: { Service: ["airflow-env.amazonaws.com"] } },
      ]),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: ["airflow-env.amazonaws.com", "airflow.amazonaws.com"] },
          Action: "sts:AssumeRole",
        },
      ],
    });
  });

  it("keeps statements with different conditions apart", async () => {
    const doc = (await render([
      {
        Principal: { AWS: "arn:aws:iam::111111111111:role/a" },
        Condition: { StringEquals: { "sts:ExternalId": "x" } },
      },
      { Principal: { AWS: "arn:aws:iam::111111111111:role/b" } },
    ])) as { Statement: unknown[] };
    expect(doc.Statement).toHaveLength(2);
  });

  it.each<[string, TrustStatement, string]>([
    ["anyone", { Principal: "*" as never }, 'principal "*" would let anyone assume the role'],
    [
      "any AWS principal",
      { Principal: { AWS: "*" } },
      'AWS principal "*" would let anyone assume the role',
    ],
    [
      "a non-sts action",
      { Principal: { Service: "ec2.amazonaws.com" }, Action: ["s3:GetObject"] },
      'trust policies allow only sts: actions, got "s3:GetObject"',
    ],
    [
      "a malformed service",
      { Principal: { Service: "ec2" } },
      'service principal "ec2" is not of the form <service>.amazonaws.com',
    ],
    [
      "an AWS principal that is no ARN",
      { Principal: { AWS: "role/x" } },
      'AWS principal "role/x" is not an ARN, an account id or "*"',
    ],
  ])("rejects %s", (_name, statement, message) => {
    expect(() => renderTrustPolicy([statement], { roleName: "r" })).toThrow(message);
  });

  it("rejects an AWS principal that resolves to * once known", () => {
    expect(() =>
      renderResolved(
        [{ effect: "Allow", principals: { AWS: ["*"] }, actions: ["sts:AssumeRole"] }],
        { label: "trust", trust: true },
      ),
    ).toThrow('AWS principal "*" would let anyone assume the role');
  });

  it("validates the 2,048-character limit at construction, Outputs at their hint", () => {
    const externalId = pulumi.output("0f6a3c1e-0000-4000-8000-000000000000");
    const statements = (id: pulumi.Input<string>): TrustStatement[] => [
      {
        Principal: {
          AWS: "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL",
        },
        Condition: { StringEquals: { "sts:ExternalId": id } },
      },
    ];
    // Unhinted, the id counts as 2,048 characters: over the limit.
    expect(() => renderTrustPolicy(statements(externalId), { roleName: "uc" })).toThrow(
      /trust policy of role "uc":\n {2}- is up to \d+ characters \(Outputs at their size hint, or 2048 without one\), over the limit of 2048/,
    );
    expect(() => renderTrustPolicy(statements(sizeHint(externalId, 64)))).not.toThrow();
    expect(trustPolicyMaxLength(statements(sizeHint(pulumi.output("x"), 64)))).toBeLessThan(400);
  });

  it("accepts a raised quota through maxLength", () => {
    const many: TrustStatement[] = Array.from({ length: 15 }, (_, i) => ({
      Principal: { AWS: `arn:aws:iam::123456789012:role/role-number-${i}` },
      Condition: { StringEquals: { "sts:ExternalId": `id-${i}` } },
    }));
    expect(() => renderTrustPolicy(many)).toThrow("over the limit of 2048");
    expect(() => renderTrustPolicy(many, { maxLength: 4096 })).not.toThrow();
  });
});

import { check, rows, uncovered, type RuleCase } from "../__fixtures__/cases";
import { ACCOUNT, KEY_ARN, managedPolicy, role } from "../__fixtures__/resources";
import { iamAccessPolicies } from "./iam-access";

const allow = (Action: unknown, Resource: unknown, extra: object = {}) => ({
  Effect: "Allow",
  Action,
  Resource,
  ...extra,
});

const cases: RuleCase[] = [
  {
    rule: "iam-no-full-service-access",
    title: "named actions",
    resources: [managedPolicy([allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::b/*")])],
  },
  {
    rule: "iam-no-full-service-access",
    title: "a read wildcard of one service",
    resources: [managedPolicy([allow("s3:Get*", "arn:aws:s3:::b/*")])],
  },
  {
    rule: "iam-no-full-service-access",
    title: "iam:* on one role",
    resources: [managedPolicy([allow("iam:*", `arn:aws:iam::${ACCOUNT}:role/x`)])],
    violation: {
      name: "ingest-policy-1",
      message: /allows iam:\* \(every action of the service\)/,
    },
  },
  {
    rule: "iam-no-full-service-access",
    title: "dynamodb:* in a role's inline policy",
    resources: [
      role({
        inlinePolicies: [
          {
            name: "oops",
            policy: JSON.stringify({
              Version: "2012-10-17",
              Statement: [allow("dynamodb:*", "arn:aws:dynamodb:us-east-2:123456789012:table/t")],
            }),
          },
        ],
      }),
    ],
    violation: { name: "ingest-role", message: /inline policy oops: .*dynamodb:\*/ },
  },
  {
    rule: "iam-no-kms-decrypt-all-keys",
    title: "decrypt with the domain's key",
    resources: [managedPolicy([allow("kms:Decrypt", KEY_ARN)])],
  },
  {
    rule: "iam-no-kms-decrypt-all-keys",
    title: "decrypt any key, but only through S3",
    resources: [
      managedPolicy([
        allow("kms:Decrypt", "*", {
          Condition: { StringEquals: { "kms:ViaService": "s3.us-east-2.amazonaws.com" } },
        }),
      ]),
    ],
  },
  {
    rule: "iam-no-kms-decrypt-all-keys",
    title: "kms:Decrypt on *",
    resources: [managedPolicy([allow("kms:Decrypt", "*")])],
    violation: { name: "ingest-policy-1", message: /allows kms:Decrypt on \* \(every key\)/ },
  },
  {
    rule: "iam-no-kms-decrypt-all-keys",
    title: "kms:ReEncrypt* on every key of the account",
    resources: [managedPolicy([allow("kms:ReEncrypt*", `arn:aws:kms:*:${ACCOUNT}:key/*`)])],
    violation: { name: "ingest-policy-1", message: /kms:ReEncryptFrom on arn:aws:kms/ },
  },
  {
    // One finding: the KMS rule's (not also the full-access rule's).
    rule: "iam-no-kms-decrypt-all-keys",
    title: "kms:* on *",
    resources: [managedPolicy([allow("kms:*", "*")])],
    violation: { name: "ingest-policy-1", message: /kms:Decrypt, kms:ReEncryptFrom on \*/ },
  },
];

describe("IAM access rules", () => {
  test.each(rows(cases))("%s", (_, c) => check(c));
  it("have a compliant and a non-compliant case each", () => {
    expect(uncovered(iamAccessPolicies, cases)).toEqual([]);
  });
});

import { check, rows, uncovered, type RuleCase } from "../__fixtures__/cases";
import {
  ACCOUNT,
  HOUSE_TAGS,
  OTHER_ACCOUNT,
  doc,
  managedPolicy,
  readObjects,
  res,
  role,
  trust,
} from "../__fixtures__/resources";
import { iamPolicies } from "./iam";

const allow = (Action: unknown, Resource: unknown, extra: object = {}) => ({
  Effect: "Allow",
  Action,
  Resource,
  ...extra,
});
const provider = res("pulumi:providers:aws", "aws", {
  region: "us-east-2",
  allowedAccountIds: ["210987654321"],
});

const cases: RuleCase[] = [
  {
    rule: "iam-no-admin-statements",
    title: "scoped statements",
    resources: [managedPolicy([readObjects])],
  },
  {
    rule: "iam-no-admin-statements",
    title: "* on * in a managed policy",
    resources: [managedPolicy([{ Sid: "Admin", ...allow("*", "*") }])],
    violation: { name: "ingest-policy-1", message: /policy: statement Admin allows "\*" on "\*"/ },
  },
  {
    rule: "iam-no-admin-statements",
    title: "* on * in a role's inline policy",
    resources: [role({ inlinePolicies: [{ name: "oops", policy: doc(allow(["*"], ["*"])) }] })],
    violation: {
      name: "ingest-role",
      message: /inline policy oops: a statement allows "\*" on "\*"/,
    },
  },
  {
    rule: "iam-no-admin-statements",
    title: "* on an ARN pattern that matches every ARN",
    resources: [managedPolicy([{ Sid: "AllArns", ...allow("*", "arn:aws:*:*:*:*") }])],
    violation: {
      name: "ingest-policy-1",
      message: /statement AllArns allows \* on arn:aws:\*:\*:\*:\*: every action on every resource/,
    },
  },
  {
    rule: "iam-no-admin-statements",
    title: "NotAction (everything but a few actions) on *",
    resources: [
      managedPolicy([
        {
          Sid: "AllButIam",
          Effect: "Allow",
          NotAction: ["iam:*", "organizations:*"],
          Resource: "*",
        },
      ]),
    ],
    violation: {
      name: "ingest-policy-1",
      message: /statement AllButIam allows every action but iam:\*, organizations:\* \(NotAction\)/,
    },
  },
  {
    rule: "iam-no-admin-statements",
    title: "a wildcard of one service's reads on its resources (not every resource)",
    resources: [managedPolicy([allow("s3:Get*", "arn:aws:s3:::*")])],
  },
  {
    // Not administrator access, but every action of S3: the full-access rule's finding.
    rule: "iam-no-full-service-access",
    title: "s3:* on one service's resources",
    resources: [managedPolicy([allow("s3:*", "arn:aws:s3:::*")])],
    violation: { name: "ingest-policy-1", message: /allows s3:\* \(every action of the service\)/ },
  },
  {
    rule: "iam-no-passrole-wildcard",
    title: "PassRole on a name prefix",
    resources: [managedPolicy([allow("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/hdp-prod-*`)])],
  },
  {
    rule: "iam-no-passrole-wildcard",
    title: "PassRole on *",
    resources: [managedPolicy([allow("iam:PassRole", "*")])],
    violation: { name: "ingest-policy-1", message: /allows iam:PassRole on \*/ },
  },
  {
    rule: "iam-no-passrole-wildcard",
    title: "iam:Pass* on every role of the account",
    resources: [managedPolicy([allow(["iam:Pass*"], `arn:aws:iam::${ACCOUNT}:role/*`)])],
    violation: {
      name: "ingest-policy-1",
      message: /allows iam:PassRole on arn:aws:iam::123456789012:role\/\*/,
    },
  },
  { rule: "iam-cross-account-external-id", title: "same-account principal", resources: [role()] },
  {
    rule: "iam-cross-account-external-id",
    title: "another account with an external id",
    resources: [
      role({
        assumeRolePolicy: trust(
          { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
          { StringEquals: { "sts:ExternalId": "x-1" } },
        ),
      }),
    ],
  },
  {
    rule: "iam-cross-account-external-id",
    title: "the provider's allowed account is the environment's",
    resources: [
      provider,
      {
        ...role({ assumeRolePolicy: trust({ AWS: "210987654321" }) }),
        provider: `${provider.urn}::id-1`,
      },
    ],
  },
  {
    rule: "iam-cross-account-external-id",
    title: "a service principal",
    resources: [role({ assumeRolePolicy: trust({ Service: "airflow.amazonaws.com" }) })],
  },
  {
    rule: "iam-cross-account-external-id",
    title: "another account without an external id",
    resources: [
      role({ assumeRolePolicy: trust({ AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/extract` }) }),
    ],
    violation: {
      name: "ingest-role",
      message:
        /trusts arn:aws:iam::999988887777:role\/extract \(another account\) without an sts:ExternalId/,
    },
  },
  {
    rule: "iam-cross-account-external-id",
    title: "everyone",
    resources: [
      role({ assumeRolePolicy: trust("*", { StringEquals: { "sts:ExternalId": "x-1" } }) }),
    ],
    violation: { name: "ingest-role", message: /trusts principal "\*"/ },
  },
  {
    rule: "iam-document-size",
    title: "small documents",
    resources: [role(), managedPolicy([readObjects])],
  },
  {
    rule: "iam-document-size",
    title: "whitespace is not counted",
    resources: [
      res("aws:iam/policy:Policy", "p", { policy: `${" ".repeat(7000)}{}`, tags: HOUSE_TAGS }),
    ],
  },
  {
    rule: "iam-document-size",
    title: "managed policy over 6,144",
    resources: [
      managedPolicy(
        Array.from({ length: 60 }, (_, i) =>
          allow(
            "s3:GetObject",
            `arn:aws:s3:::hdp-acme-prod-landing/source-${i}/table-with-a-long-name/*`,
          ),
        ),
      ),
    ],
    violation: {
      name: "ingest-policy-1",
      message:
        /the managed policy is \d+ characters \(whitespace not counted\), over the limit of 6144/,
    },
  },
  {
    rule: "iam-document-size",
    title: "trust policy over 2,048",
    resources: [
      role({
        assumeRolePolicy: trust({
          AWS: Array.from(
            { length: 45 },
            (_, i) => `arn:aws:iam::${ACCOUNT}:role/hdp-prod-ingest-${i}`,
          ),
        }),
      }),
    ],
    violation: {
      name: "ingest-role",
      message: /the trust policy is \d+ characters .* over the limit of 2048/,
    },
  },
];

describe("IAM rules", () => {
  test.each(rows(cases))("%s", (_, c) => check(c));
  it("have a compliant and a non-compliant case each", () => {
    expect(uncovered(iamPolicies, cases)).toEqual([]);
  });
});

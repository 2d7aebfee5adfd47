import { check, rows, uncovered, type RuleCase } from "../__fixtures__/cases";
import {
  ACCOUNT,
  DBX,
  PROD,
  bucketSet,
  contextFor,
  job,
  managedPolicy,
  readObjects,
  res,
  retag,
  role,
  schema,
  trust,
} from "../__fixtures__/resources";
import { stackPolicies } from "./stack";

const PROD_ACCOUNT = "774219386501";
const dev = contextFor("dev", { realPhiAccountIds: [PROD_ACCOUNT] });
const attachment = (i: number) =>
  res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", `ingest-attachment-${i}`, {
    role: "hdp-prod-ingest-epic",
    policyArn: `arn:aws:iam::${ACCOUNT}:policy/p-${i}`,
  });

const cases: RuleCase[] = [
  // stack-phi-boundary
  {
    rule: "stack-phi-boundary",
    title: "PHI-classified objects with synthetic data in dev",
    resources: retag([schema("epic_gold", "phi")], "dev"),
    context: dev,
  },
  {
    rule: "stack-phi-boundary",
    title: "real PHI in prod",
    resources: [schema("epic_gold", "phi")],
    context: { ...PROD, realPhiAccountIds: [PROD_ACCOUNT] },
  },
  {
    rule: "stack-phi-boundary",
    title: "a PHI schema where the environment allows none",
    resources: retag([schema("epic_gold", "phi")], "qa"),
    context: contextFor("qa", { phi: "none" }),
    violation: {
      name: "epic_gold-schema",
      message: /classified phi in qa, which allows no PHI \(phi: none\)/,
    },
  },
  {
    rule: "stack-phi-boundary",
    title: "a dev role trusted by the production account",
    resources: retag(
      [
        role({
          assumeRolePolicy: trust(
            { AWS: `arn:aws:iam::${PROD_ACCOUNT}:role/extract` },
            { StringEquals: { "sts:ExternalId": "x-1" } },
          ),
        }),
      ],
      "dev",
    ),
    context: dev,
    violation: {
      name: "ingest-role",
      message: /refers to account 774219386501, which holds real PHI, from dev \(phi: synthetic\)/,
    },
  },
  {
    rule: "stack-phi-boundary",
    title: "the production account named deep inside the first of two dev resources only",
    resources: retag(
      [
        res("aws:s3/bucketPolicy:BucketPolicy", "landing-policy", {
          bucket: "hdp-dev-landing",
          policy: { Statement: [{ Principal: { AWS: [`arn:aws:iam::${PROD_ACCOUNT}:root`] } }] },
        }),
        role(),
      ],
      "dev",
    ),
    context: dev,
    violation: {
      name: "landing-policy",
      message: /refers to account 774219386501, which holds real PHI, from dev \(phi: synthetic\)/,
    },
  },
  {
    rule: "stack-phi-boundary",
    title: "real PHI configured for development",
    resources: [],
    context: contextFor("dev", { phi: "real" }),
    violation: {
      name: undefined,
      message: /dev is a development environment configured with phi: real/,
    },
  },
  // stack-service-quotas
  {
    rule: "stack-service-quotas",
    title: "well within quotas",
    resources: [...bucketSet("gold"), role(), job()],
  },
  {
    rule: "stack-service-quotas",
    title: "S3 buckets over the quota, with usage elsewhere",
    resources: [...bucketSet("gold"), ...bucketSet("silver")],
    context: { ...PROD, usage: { s3BucketsPerAccount: 9_999 } },
    violation: {
      name: undefined,
      message: /10001 S3 buckets in the account, over the quota of 10000 \(s3BucketsPerAccount\)/,
    },
  },
  {
    rule: "stack-service-quotas",
    title: "IAM roles over a lowered limit",
    resources: [
      role(),
      { ...role({ name: "hdp-prod-ingest-lab" }), name: "lab-role", urn: "urn:lab-role" },
    ],
    context: { ...PROD, limits: { iamRolesPerAccount: 1 } },
    violation: {
      name: undefined,
      message: /2 IAM roles in the account, over the quota of 1 \(iamRolesPerAccount\)/,
    },
  },
  {
    rule: "stack-service-quotas",
    title: "managed policies in the account",
    resources: [managedPolicy([readObjects])],
    context: { ...PROD, usage: { iamManagedPoliciesPerAccount: 1_500 } },
    violation: {
      name: undefined,
      message: /1501 IAM managed policies in the account, over the quota of 1500/,
    },
  },
  {
    rule: "stack-service-quotas",
    title: "eleven policies on one role",
    resources: [role(), ...Array.from({ length: 11 }, (_, i) => attachment(i))],
    violation: {
      name: "ingest-role",
      message: /11 managed policies attached, over the quota of 10 \(managedPoliciesPerRole\)/,
    },
  },
  {
    rule: "stack-service-quotas",
    title: "Databricks jobs in the workspace",
    resources: [job()],
    context: { ...PROD, usage: { databricksJobsPerWorkspace: 12_000 } },
    violation: {
      name: undefined,
      message: /12001 Databricks jobs in the workspace, over the quota of 12000/,
    },
  },
  {
    rule: "stack-service-quotas",
    title: "tables of a schema from config",
    resources: [schema("epic_bronze", "phi")],
    context: { ...PROD, tablesPerSchema: { epic_bronze: 10_001 } },
    violation: {
      name: "epic_bronze-schema",
      message: /schema epic_bronze will hold 10001 tables, over the limit of 10000/,
    },
  },
  {
    rule: "stack-service-quotas",
    title: "tables created by Pulumi count too",
    resources: [
      schema("epic_bronze", "phi"),
      res(DBX.table, "t1", { catalogName: "hdp_prod", schemaName: "epic_bronze", name: "t1" }),
    ],
    context: { ...PROD, tablesPerSchema: { epic_bronze: 10_000 } },
    violation: { name: "epic_bronze-schema", message: /will hold 10001 tables/ },
  },
];

describe("stack rules", () => {
  test.each(rows(cases))("%s", (_, c) => check(c));
  it("have a compliant and a non-compliant case each", () => {
    expect(uncovered(stackPolicies, cases)).toEqual([]);
  });
});

import { check, rows, uncovered, type RuleCase } from "../__fixtures__/cases";
import { HOUSE_TAGS, PROD, job, kmsKey, pool, res, schema } from "../__fixtures__/resources";
import { tagsPolicies } from "./tags";

const { "cost-center": _, ...withoutCostCenter } = HOUSE_TAGS;
const { environment: __, ...withoutEnvironment } = HOUSE_TAGS;
const provider = res("pulumi:providers:aws", "aws", {
  region: "us-east-2",
  defaultTags: { tags: { environment: "prod", "managed-by": "pulumi" } },
});

const cases: RuleCase[] = [
  { rule: "tags-required", title: "AWS tags", resources: [kmsKey()] },
  { rule: "tags-required", title: "pool customTags, job tags", resources: [pool(), job()] },
  {
    rule: "tags-required",
    title: "schema properties hdp.*",
    resources: [schema("epic_gold", "phi")],
  },
  {
    rule: "tags-required",
    title: "the provider's default tags count",
    resources: [
      provider,
      { ...kmsKey({ tags: withoutEnvironment }), provider: `${provider.urn}::id-1` },
    ],
  },
  {
    rule: "tags-required",
    title: "untaggable resources are not checked",
    resources: [res("aws:kms/alias:Alias", "lake-alias", { name: "alias/x", targetKeyId: "k" })],
  },
  {
    rule: "tags-required",
    title: "a key without cost-center",
    resources: [kmsKey({ tags: withoutCostCenter })],
    violation: { name: "lake-key", message: /^missing tag\(s\) cost-center$/ },
  },
  {
    rule: "tags-required",
    title: "a job without tags",
    resources: [job({ tags: undefined })],
    violation: {
      name: "epic-ingest-job",
      message: /missing tag\(s\) owner, domain, data-classification, environment, cost-center/,
    },
  },
  {
    rule: "tags-required",
    title: "an unlisted AWS type that has tags",
    resources: [res("aws:sqs/queue:Queue", "q", { tags: { owner: "x" } })],
    violation: {
      name: "q",
      message: /missing tag\(s\) domain, data-classification, environment, cost-center/,
    },
  },
  {
    rule: "tags-required",
    title: "tagged for another environment",
    resources: [kmsKey({ tags: { ...HOUSE_TAGS, environment: "dev" } })],
    violation: {
      name: "lake-key",
      message: /tag environment is "dev" but the resource goes to prod/,
    },
  },
];

describe("tag rules", () => {
  test.each(rows(cases))("%s", (_, c) => check(c));
  it("have a compliant and a non-compliant case each", () => {
    expect(uncovered(tagsPolicies, cases)).toEqual([]);
  });
  it("take the required tags from the context", () => {
    check({
      rule: "tags-required",
      title: "",
      resources: [kmsKey()],
      context: { ...PROD, requiredTags: ["owner", "data-steward"] },
      violation: { name: "lake-key", message: /^missing tag\(s\) data-steward$/ },
    });
  });
});

import fc from "fast-check";
import { ingestRoleName, type NameContext } from "@hdp/config";
import { validateBucketName, validateIamRoleName } from "@hdp/naming";
import {
  catalogBucketName,
  catalogKeyAlias,
  clusterPolicyName,
  domainLogBucketName,
  ingestJobName,
  ingestRoleArnPattern,
  pipelineLogicalName,
} from "./names";

const c: NameContext = { org: "shs", env: "prod", accountId: "774219386501" };
const kebab = fc.stringMatching(/^[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,6}){0,3}$/);
/** Ids up to the 32 characters the config schema allows for an org or environment. */
const longKebab = fc.stringMatching(/^[a-z][a-z0-9]{0,15}(-[a-z0-9]{1,14})?$/);
const account = fc.stringMatching(/^\d{12}$/);

describe("names the platform adds", () => {
  test.each([
    [domainLogBucketName(c, "clinical"), "shs-prod-clinical-access-logs-774219386501"],
    [catalogBucketName(c), "shs-prod-catalog-774219386501"],
    [catalogKeyAlias(c), "alias/shs/prod/catalog"],
    [clusterPolicyName(c, "clinical", "phi"), "shs-prod-clinical-phi"],
    [ingestJobName(c, "epic-clarity", "patient-core"), "shs-prod-epic_clarity__patient_core"],
    [ingestRoleArnPattern(c), "arn:aws:iam::774219386501:role/shs-prod-ingest-*"],
    [ingestRoleName(c, "epic-clarity"), "shs-prod-ingest-epic-clarity"],
  ])("%s", (name, expected) => {
    expect(name).toBe(expected);
  });

  it("bucket names stay valid S3 (and Unity Catalog) names for any org, environment and domain", () => {
    fc.assert(
      fc.property(kebab, kebab, kebab, account, (org, env, domain, accountId) => {
        const ctx = { org, env, accountId };
        for (const n of [domainLogBucketName(ctx, domain), catalogBucketName(ctx)]) {
          expect(validateBucketName(n)).toEqual([]);
        }
      }),
    );
  });

  it("the ingest-role ARN pattern covers every ingest role of the environment, shortened or not", () => {
    fc.assert(
      fc.property(
        longKebab,
        longKebab,
        fc.array(kebab, { minLength: 1, maxLength: 6 }),
        account,
        (org, env, parts, accountId) => {
          const ctx = { org, env, accountId };
          const source = parts.join("-");
          const role = ingestRoleName(ctx, source);
          const arn = `arn:aws:iam::${accountId}:role/${role}`;
          expect(arn.startsWith(ingestRoleArnPattern(ctx).slice(0, -1))).toBe(true);
          expect(validateIamRoleName(role)).toEqual([]);
        },
      ),
    );
  });

  it("pipeline logical names never collide between different (source, pipeline) pairs", () => {
    fc.assert(
      fc.property(kebab, kebab, kebab, kebab, (s1, p1, s2, p2) => {
        fc.pre(s1 !== s2 || p1 !== p2);
        expect(pipelineLogicalName(s1, p1)).not.toBe(pipelineLogicalName(s2, p2));
      }),
    );
  });
});

import { BUCKET_TYPES } from "./rules/buckets";
import { JOB } from "./rules/clusters";
import { ACCOUNT_QUOTA_TYPES, QUOTA_DEFAULTS, accountQuotasExceeded } from "./quotas";

describe("accountQuotasExceeded", () => {
  it("counts the types the rules know as buckets and jobs", () => {
    expect(ACCOUNT_QUOTA_TYPES.s3BucketsPerAccount).toEqual(BUCKET_TYPES);
    expect(ACCOUNT_QUOTA_TYPES.databricksJobsPerWorkspace).toEqual([JOB]);
  });

  it("adds usage from elsewhere to the counts and reports each quota passed", () => {
    const limits = { ...QUOTA_DEFAULTS, iamRolesPerAccount: 10, s3BucketsPerAccount: 5 };
    const counts = {
      "aws:iam/role:Role": 8,
      "aws:s3/bucket:Bucket": 3,
      "aws:s3/bucketV2:BucketV2": 2,
    };
    expect(accountQuotasExceeded(counts, limits)).toEqual([]);
    expect(
      accountQuotasExceeded(counts, limits, { iamRolesPerAccount: 3, s3BucketsPerAccount: 1 }),
    ).toEqual([
      {
        key: "s3BucketsPerAccount",
        message: "6 S3 buckets in the account, over the quota of 5 (s3BucketsPerAccount)",
      },
      {
        key: "iamRolesPerAccount",
        message: "11 IAM roles in the account, over the quota of 10 (iamRolesPerAccount)",
      },
    ]);
  });
});

import fc from "fast-check";
import {
  lifecycleRules,
  validateLifecyclePolicy,
  type LifecyclePolicy,
  type TransitionRule,
} from "./lifecycle";

const base: LifecyclePolicy = {
  noncurrentVersionExpirationDays: 7,
  abortIncompleteMultipartUploadDays: 3,
};
const genomics: TransitionRule = {
  id: "genomics-raw",
  prefix: "genomics/raw/",
  transitions: [
    { days: 30, storageClass: "GLACIER_IR" },
    { days: 180, storageClass: "DEEP_ARCHIVE" },
  ],
};
const imaging: TransitionRule = {
  id: "imaging",
  prefix: "imaging/",
  transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
};

describe("lifecycleRules", () => {
  it("expires noncurrent versions and delete markers and aborts multipart uploads", () => {
    expect(lifecycleRules(base)).toEqual([
      {
        id: "abort-multipart",
        status: "Enabled",
        filter: { prefix: "" },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 3 },
      },
      {
        id: "noncurrent-versions",
        status: "Enabled",
        filter: { prefix: "" },
        noncurrentVersionExpiration: { noncurrentDays: 7 },
        expiration: { expiredObjectDeleteMarker: true },
      },
    ]);
  });

  it("expires current objects when asked, without the delete-marker flag (S3 forbids both)", () => {
    const rules = lifecycleRules({ ...base, expirationDays: 400 });
    expect(rules.map((r) => r.id)).toEqual([
      "abort-multipart",
      "expire-current",
      "noncurrent-versions",
    ]);
    expect(rules.find((r) => r.id === "expire-current")?.expiration).toEqual({ days: 400 });
    expect(rules.find((r) => r.id === "noncurrent-versions")?.expiration).toBeUndefined();
  });

  it("adds transition rules by prefix, e.g. raw genomics to Glacier classes", () => {
    const rules = lifecycleRules({ ...base, transitionRules: [genomics] });
    expect(rules.find((r) => r.id === "genomics-raw")).toEqual({
      id: "genomics-raw",
      status: "Enabled",
      filter: { prefix: "genomics/raw/" },
      transitions: [
        { days: 30, storageClass: "GLACIER_IR" },
        { days: 180, storageClass: "DEEP_ARCHIVE" },
      ],
    });
  });

  it("does not depend on the order of the caller's rules", () => {
    const rule = fc.record({
      id: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
      prefix: fc.stringMatching(/^[a-z]{1,8}\/$/),
      transitions: fc.constant([{ days: 90, storageClass: "GLACIER" as const }]),
    });
    fc.assert(
      fc.property(fc.uniqueArray(rule, { selector: (r) => r.id, maxLength: 6 }), (rules) => {
        const forward = lifecycleRules({ ...base, transitionRules: rules });
        const backward = lifecycleRules({ ...base, transitionRules: [...rules].reverse() });
        expect(backward).toEqual(forward);
      }),
    );
  });
});

describe("validateLifecyclePolicy", () => {
  it("accepts the defaults and sensible transitions", () => {
    expect(validateLifecyclePolicy({ ...base, transitionRules: [genomics, imaging] })).toEqual([]);
  });

  it.each<[string, LifecyclePolicy, string]>([
    [
      "zero noncurrent days",
      { ...base, noncurrentVersionExpirationDays: 0 },
      "lifecycle.noncurrentVersionExpirationDays is 0",
    ],
    [
      "fractional abort days",
      { ...base, abortIncompleteMultipartUploadDays: 1.5 },
      "lifecycle.abortIncompleteMultipartUploadDays is 1.5",
    ],
    ["negative expiration", { ...base, expirationDays: -1 }, "lifecycle.expirationDays is -1"],
    [
      "duplicate rule ids",
      { ...base, transitionRules: [genomics, genomics] },
      "transitionRules[genomics-raw]: id is used twice or is reserved",
    ],
    [
      "reserved rule id",
      { ...base, transitionRules: [{ ...imaging, id: "abort-multipart" }] },
      "id is used twice or is reserved",
    ],
    [
      "bad rule id",
      { ...base, transitionRules: [{ ...imaging, id: "has space" }] },
      "id must be 1 to 200",
    ],
    [
      "leading slash",
      { ...base, transitionRules: [{ ...imaging, prefix: "/imaging/" }] },
      'prefix must not start with "/"',
    ],
    [
      "no transitions",
      { ...base, transitionRules: [{ ...imaging, transitions: [] }] },
      "needs at least one transition",
    ],
    [
      "STANDARD_IA before 30 days",
      {
        ...base,
        transitionRules: [{ ...imaging, transitions: [{ days: 10, storageClass: "STANDARD_IA" }] }],
      },
      "at least 30 days before STANDARD_IA",
    ],
    [
      "days not increasing",
      {
        ...base,
        transitionRules: [
          {
            ...genomics,
            transitions: [
              { days: 90, storageClass: "GLACIER_IR" },
              { days: 90, storageClass: "DEEP_ARCHIVE" },
            ],
          },
        ],
      },
      "days must increase",
    ],
    [
      "against the waterfall",
      {
        ...base,
        transitionRules: [
          {
            ...genomics,
            transitions: [
              { days: 30, storageClass: "GLACIER" },
              { days: 90, storageClass: "GLACIER_IR" },
            ],
          },
        ],
      },
      "GLACIER_IR after GLACIER goes against",
    ],
  ])("rejects %s", (_what, policy, message) => {
    expect(validateLifecyclePolicy(policy).join("\n")).toContain(message);
  });

  it("names the field it was given", () => {
    expect(
      validateLifecyclePolicy({ ...base, noncurrentVersionExpirationDays: 0 }, "layers.gold"),
    ).toEqual([
      "layers.gold.noncurrentVersionExpirationDays is 0; it must be a whole number of days, at least 1",
    ]);
  });
});

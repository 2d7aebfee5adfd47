import fc from "fast-check";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import {
  PROD,
  bucketSet,
  contextFor,
  kmsKey,
  mwaa,
  patch,
  replace,
  retag,
} from "./__fixtures__/resources";
import {
  blockingResults,
  environmentTier,
  evaluate,
  policyPackConfig,
  resolveContext,
  summarizeResults,
  unusedRelaxations,
  type HdpPolicy,
  type PolicyContext,
} from "./index";
import { stackPolicy } from "./define";
import { s3BucketVersioning } from "./rules/s3";
import { ENGINE_UNKNOWN } from "./values";

const rotationOff = () => kmsKey({ enableKeyRotation: false });
const brief = (ctx: PolicyContext, resources = [rotationOff()]) =>
  evaluate(resources, ctx).map((r) => [r.rule, r.level, r.message]);

describe("enforcement per environment", () => {
  test.each([
    ["dev", "dev"],
    ["dev-eu", "dev"],
    ["development", "stage"], // only `dev` and `dev-…` are development
    ["stage", "stage"],
    ["qa", "stage"],
    ["prod", "prod"],
    ["prod-core", "prod"],
  ])("%s is %s", (env, tier) => {
    expect(environmentTier(env)).toBe(tier);
  });

  test.each([
    ["dev", "advisory"],
    ["stage", "mandatory"],
    ["prod", "mandatory"],
  ] as const)("%s reports at the environment's enforcement (%s)", (env, level) => {
    const results = evaluate(retag([rotationOff()], env), contextFor(env));
    expect(results.map((r) => [r.rule, r.level])).toEqual([["kms-key-rotation", level]]);
    expect(blockingResults(results)).toHaveLength(level === "mandatory" ? 1 : 0);
  });

  it("keeps the PHI boundary mandatory where the environment is advisory (a breach is never advice)", () => {
    const prodAccount = "774219386501";
    const ctx = contextFor("dev", { realPhiAccountIds: [prodAccount] });
    const reachesProd = kmsKey({
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${prodAccount}:root` },
            Action: "kms:Decrypt",
            Resource: "*",
          },
        ],
      }),
    });
    const results = evaluate(retag([reachesProd], "dev"), ctx, {
      rules: ["stack-phi-boundary", "kms-key-rotation"],
    });
    expect(results.map((r) => [r.rule, r.level])).toEqual([["stack-phi-boundary", "mandatory"]]);
    const relaxed = evaluate(
      retag([reachesProd], "dev"),
      {
        ...ctx,
        relaxations: [
          {
            rule: "stack-phi-boundary",
            resource: results[0].name ?? "",
            reason: "reviewed exception (SEC-9)",
            approvedBy: "ciso@example.org",
            expires: "2099-12-31",
          },
        ],
      },
      { rules: ["stack-phi-boundary"] },
    );
    expect(relaxed.map((r) => r.level)).toEqual(["advisory"]);
    expect(policyPackConfig(ctx)["stack-phi-boundary"].enforcementLevel).toBe("mandatory");
    expect(policyPackConfig(ctx)["kms-key-rotation"].enforcementLevel).toBe("advisory");
  });

  it("reads the environment from the context: rules that differ by tier follow it", () => {
    const publicUi = mwaa({ webserverAccessMode: "PUBLIC_ONLY" });
    expect(evaluate(retag([publicUi], "dev"), contextFor("dev"))).toEqual([]);
    expect(evaluate([publicUi], PROD).map((r) => r.rule)).toEqual(["mwaa-private-webserver"]);
  });
});

describe("relaxations", () => {
  const reason = "legacy key of the 2019 archive; rotation needs a re-encryption (SEC-412)";
  const relaxed = (resource: string, rule = "kms-key-rotation"): PolicyContext => ({
    ...PROD,
    relaxations: [
      { rule, resource, reason, approvedBy: "ciso@example.org", expires: "2099-12-31" },
    ],
  });

  it("turn a violation into an advisory result that says why", () => {
    const [r, ...rest] = evaluate([rotationOff()], relaxed("lake-key"));
    expect(rest).toEqual([]);
    expect(r).toMatchObject({
      rule: "kms-key-rotation",
      level: "advisory",
      relaxed: reason,
      name: "lake-key",
      message: `relaxed: ${reason} — enableKeyRotation is not true: the key material never rotates`,
    });
    expect(summarizeResults([r])).toEqual({ mandatory: 0, advisory: 1, relaxed: 1 });
  });

  it("relax nothing once expired: the violation is mandatory again", () => {
    const ctx: PolicyContext = {
      ...PROD,
      relaxations: [
        {
          rule: "kms-key-rotation",
          resource: "lake-key",
          reason,
          approvedBy: "ciso@example.org",
          expires: "2020-01-31",
        },
      ],
    };
    expect(brief(ctx)).toEqual([
      ["kms-key-rotation", "mandatory", expect.stringMatching(/^enableKeyRotation/)],
    ]);
  });

  it("match the resource by logical name or URN", () => {
    const key = rotationOff();
    expect(evaluate([key], relaxed(key.urn))[0]?.relaxed).toBe(reason);
  });

  it("apply only to the rule and the resource they name", () => {
    expect(brief(relaxed("other-key"))).toEqual([
      ["kms-key-rotation", "mandatory", expect.stringMatching(/^enableKeyRotation/)],
    ]);
    expect(brief(relaxed("lake-key", "kms-key-deletion-window"))).toEqual([
      ["kms-key-rotation", "mandatory", expect.stringMatching(/^enableKeyRotation/)],
    ]);
  });

  it("relax stack-wide findings by the stack's or the environment's name", () => {
    const ctx = { ...PROD, usage: { s3BucketsPerAccount: 10_000 } };
    const buckets = bucketSet("gold");
    expect(brief(ctx, buckets)).toEqual([
      ["stack-service-quotas", "mandatory", expect.stringMatching(/10001 S3 buckets/)],
    ]);
    for (const resource of ["prod-core", "prod"]) {
      const r = evaluate(buckets, {
        ...ctx,
        relaxations: [
          {
            rule: "stack-service-quotas",
            resource,
            reason: "quota raise QR-77 pending",
            approvedBy: "ciso@example.org",
            expires: "2099-12-31",
          },
        ],
      });
      expect(r.map((x) => [x.level, x.urn, x.relaxed])).toEqual([
        ["advisory", undefined, "quota raise QR-77 pending"],
      ]);
    }
  });

  it("that relax nothing are listed for review", () => {
    const ctx: PolicyContext = {
      ...PROD,
      relaxations: [
        {
          rule: "kms-key-rotation",
          resource: "lake-key",
          reason,
          approvedBy: "ciso@example.org",
          expires: "2099-12-31",
        },
        {
          rule: "kms-key-rotation",
          resource: "gone-key",
          reason,
          approvedBy: "ciso@example.org",
          expires: "2099-12-31",
        },
      ],
    };
    expect(unusedRelaxations(evaluate([rotationOff()], ctx), ctx)).toEqual([
      {
        rule: "kms-key-rotation",
        resource: "gone-key",
        reason,
        approvedBy: "ciso@example.org",
        expires: "2099-12-31",
      },
    ]);
  });
});

describe("evaluate", () => {
  it("skips values that are unknown before the update (the plan's mark)", () => {
    expect(evaluate([kmsKey({ enableKeyRotation: "[unknown]" })], PROD)).toEqual([]);
    expect(evaluate([kmsKey({ enableKeyRotation: "?" })], PROD, { unknownValue: "?" })).toEqual([]);
  });

  it("runs only the rules asked for", () => {
    const resources = [rotationOff(), kmsKey({ enableKeyRotation: false, tags: {} })];
    const only = evaluate(resources, PROD, { rules: ["tags-required"] });
    expect(new Set(only.map((r) => r.rule))).toEqual(new Set(["tags-required"]));
  });

  it("gives the same results in the same order whatever the order of the resources", () => {
    const resources = [
      ...replace(bucketSet("gold"), "gold-versioning", undefined),
      ...replace(bucketSet("silver"), "silver-ownership", (r) =>
        patch(r, { rule: { objectOwnership: "ObjectWriter" } }),
      ),
      rotationOff(),
      mwaa({ kmsKey: undefined, webserverAccessMode: "PUBLIC_ONLY" }),
    ];
    const expected = evaluate(resources, PROD);
    expect(expected.map((r) => r.rule)).toEqual([
      "s3-bucket-versioning",
      "s3-bucket-ownership-enforced",
      "kms-key-rotation",
      "mwaa-private-webserver",
      "mwaa-kms-key",
    ]);
    fc.assert(
      fc.property(fc.shuffledSubarray(resources, { minLength: resources.length }), (shuffled) => {
        expect(evaluate(shuffled, PROD)).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  it("refuses asynchronous policies (results would be lost)", () => {
    const asyncPolicy = {
      ...stackPolicy(
        {
          name: "async-rule",
          description: "d",
          remediation: "r",
          resourceTypes: ["*"],
          hipaa: [],
          awsConfig: [],
          severity: "low",
        },
        () => [],
      ),
      validateStack: () => Promise.resolve(),
    } as HdpPolicy;
    expect(() => evaluate([], PROD, { policies: [asyncPolicy] })).toThrow(
      "policy async-rule returned a promise",
    );
  });
});

describe("the policies with the engine's arguments", () => {
  // @pulumi/policy's unknown-checking proxy is internal: no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (o: object) => object };

  /** A StackValidationPolicy argument as the engine builds it in a preview that creates all. */
  function previewArgs(resources: PolicyResource[], config: object): StackValidationArgs {
    return {
      resources,
      stackTags: new Map(),
      getConfig: <T extends object>() => config as T,
      notApplicable: (reason?: string): never => {
        throw new Error(reason);
      },
    };
  }
  const resource = (type: string, name: string, props: object): PolicyResource => ({
    type,
    name,
    urn: `urn:pulumi:prod::hdp::${type}::${name}`,
    props: proxy.unknownCheckingProxy(props),
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  });

  it("tie a setting whose bucket id is unknown to its bucket through property dependencies", () => {
    const bucket = resource("aws:s3/bucket:Bucket", "gold-bucket", {
      bucket: "hdp-gold",
      arn: ENGINE_UNKNOWN,
    });
    const versioning = resource("aws:s3/bucketVersioning:BucketVersioning", "gold-versioning", {
      bucket: ENGINE_UNKNOWN,
      versioningConfiguration: { status: "Suspended" },
    });
    versioning.propertyDependencies = { bucket: [bucket] };
    const reported: unknown[][] = [];
    void s3BucketVersioning.validateStack(
      previewArgs([bucket, versioning], { environment: "prod" }),
      (...args: unknown[]) => reported.push(args),
    );
    expect(reported).toEqual([
      ['bucket "hdp-gold" has versioning Suspended, not Enabled', bucket.urn],
    ]);
  });

  it("read props behind the engine's proxy without tripping on unknown values", () => {
    const bucket = resource("aws:s3/bucket:Bucket", "gold-bucket", { bucket: ENGINE_UNKNOWN });
    const reported: unknown[] = [];
    expect(() =>
      s3BucketVersioning.validateStack(previewArgs([bucket], {}), (m: unknown) => reported.push(m)),
    ).not.toThrow();
    // The bucket has no versioning at all: reported even though its name is unknown.
    expect(reported).toEqual(["bucket gold-bucket has no aws.s3.BucketVersioning"]);
  });
});

describe("resolveContext", () => {
  it("defaults to the strictest reading when nothing is configured", () => {
    const ctx = resolveContext({});
    expect(ctx).toMatchObject({ environment: "prod", tier: "prod", phi: "real", relaxations: [] });
    expect(ctx.limits.s3BucketsPerAccount).toBe(10_000);
    expect(ctx.requiredTags).toEqual([
      "owner",
      "domain",
      "data-classification",
      "environment",
      "cost-center",
    ]);
  });

  it("ignores malformed values instead of trusting them", () => {
    const ctx = resolveContext({
      environment: 7,
      phi: "maybe",
      relaxations: [{ rule: "x" }, "y"],
      limits: { s3BucketsPerAccount: -1, iamRolesPerAccount: 5 },
      maxWorkers: 0,
    });
    expect(ctx).toMatchObject({
      environment: "prod",
      phi: "real",
      relaxations: [],
      maxWorkers: 1000,
    });
    expect(ctx.limits).toMatchObject({ s3BucketsPerAccount: 10_000, iamRolesPerAccount: 5 });
  });
});

/**
 * The HIPAA audit and hardening objects of a stack: the trail over exactly the PHI buckets,
 * the workspace's settings from config, and jobs running as the configured service principal.
 */
import { findResource, ofType } from "@hdp/testing";
import type { Estate } from "@hdp/config";
import { baseEstate, recordAll, type RecordedStack } from "./__fixtures__";
import { auditRecordLocation, phiBucketNames } from "./audit";
import { planStack } from "./plan";

const SP = "6f1c2a3e-8d4b-4c1a-9e2f-3b5d7a9c0e11";

/** The base estate with prod's workspace hardened as the sample prod config does. */
function hardened(base: Estate): Estate {
  return {
    ...base,
    environments: base.environments.map((e) =>
      e.name !== "prod"
        ? e
        : {
            ...e,
            databricks: {
              ...e.databricks,
              hardening: {
                ...e.databricks.hardening,
                ipAccessList: ["10.40.0.0/16"],
                jobsRunAs: SP,
              },
            },
          },
    ),
  };
}

let stacks: Map<string, RecordedStack>;
beforeAll(async () => {
  stacks = await recordAll(hardened(baseEstate()));
});
const stack = (name: string): RecordedStack => {
  const s = stacks.get(name);
  if (s === undefined) throw new Error(`no recording of ${name}`);
  return s;
};

describe("the audit trail", () => {
  it("records object-level access to every PHI bucket and nothing else", () => {
    const plan = planStack(baseEstate(), "prod-core");
    const names = phiBucketNames(plan);
    // clinical is PHI (four layers) plus the catalog's managed storage; workforce is not PHI.
    expect(names).toHaveLength(5);
    expect(names.filter((n) => n.includes("workforce"))).toEqual([]);
    const trail = findResource(
      stack("prod-core").resources,
      "aws:cloudtrail/trail:Trail",
      "audit-trail",
    );
    const selectors = trail.inputs.advancedEventSelectors as {
      fieldSelectors: { field: string; startsWith?: string[] }[];
    }[];
    const arns = selectors[1]?.fieldSelectors.find((f) => f.field === "resources.ARN")?.startsWith;
    expect(arns).toEqual(names.map((n) => `arn:aws:s3:::${n}/`));
  });

  it("locks prod's records for six years, dev's for a week", () => {
    const lock = (s: string) =>
      findResource(
        stack(s).resources,
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "audit-bucket-object-lock",
      ).inputs.rule;
    expect(lock("prod-core")).toEqual({ defaultRetention: { mode: "COMPLIANCE", days: 2192 } });
    expect(lock("dev")).toEqual({ defaultRetention: { mode: "COMPLIANCE", days: 7 } });
  });

  it("is only in the core stack, and says where reads of PHI are recorded", () => {
    expect(ofType(stack("prod-clinical").resources, "aws:cloudtrail/trail:Trail")).toEqual([]);
    const where = auditRecordLocation(planStack(baseEstate(), "prod-core"));
    expect(where.logLocation).toMatch(
      /^s3:\/\/.*-prod-audit-.*\/AWSLogs\/222222222222\/CloudTrail\/$/,
    );
    expect(where.lockedDays).toBe(2192);
  });

  it("lets the access-log bucket take the audit bucket's logs", () => {
    const policy = JSON.parse(
      findResource(
        stack("prod-core").resources,
        "aws:s3/bucketPolicy:BucketPolicy",
        "access-logs-policy",
      ).inputs.policy as string,
    ) as { Statement: { Sid: string; Condition?: { ArnLike?: Record<string, string[]> } }[] };
    const sources = policy.Statement.find((s) => s.Sid === "AllowS3ServerAccessLogs")?.Condition
      ?.ArnLike?.["aws:SourceArn"];
    expect(sources?.some((a) => /-prod-audit-/.test(a))).toBe(true);
  });
});

describe("workspace hardening", () => {
  it("turns the compliance security profile on where real PHI is processed", () => {
    const csp = (s: string) =>
      ofType(
        stack(s).resources,
        "databricks:index/complianceSecurityProfileWorkspaceSetting:ComplianceSecurityProfileWorkspaceSetting",
      );
    expect(csp("prod-core")).toHaveLength(1);
    expect(csp("dev")).toEqual([]);
  });

  it("applies the configured IP access list", () => {
    const list = findResource(
      stack("prod-core").resources,
      "databricks:index/ipAccessList:IpAccessList",
      "workspace-ip-access-list",
    );
    expect(list.inputs.ipAddresses).toEqual(["10.40.0.0/16"]);
  });

  it("runs every prod job as the configured service principal, dev jobs as before", () => {
    const jobs = ofType(stack("prod-clinical").resources, "databricks:index/job:Job");
    expect(jobs.length).toBeGreaterThan(0);
    for (const j of jobs) expect(j.inputs.runAs).toEqual({ servicePrincipalName: SP });
    const devJobs = ofType(stack("dev").resources, "databricks:index/job:Job");
    expect(devJobs.length).toBeGreaterThan(0);
    for (const j of devJobs) expect(j.inputs.runAs).toBeUndefined();
  });
});

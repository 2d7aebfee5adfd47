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
  it("records object-level access to every bucket but the log buckets and itself", () => {
    const plan = planStack(baseEstate(), "prod-core");
    const phi = phiBucketNames(plan);
    // clinical's four layers, the catalog's storage and the DAG bucket; workforce is not PHI.
    expect(phi).toHaveLength(6);
    expect(phi.filter((n) => n.includes("workforce"))).toEqual([]);
    const trail = findResource(
      stack("prod-core").resources,
      "aws:cloudtrail/trail:Trail",
      "audit-trail",
    );
    const selectors = trail.inputs.advancedEventSelectors as {
      fieldSelectors: { field: string; notStartsWith?: string[] }[];
    }[];
    const excluded =
      selectors[1]?.fieldSelectors.find((f) => f.field === "resources.ARN")?.notStartsWith ?? [];
    // The access-log buckets (environment and both domains) and the audit bucket.
    expect(excluded).toHaveLength(4);
    expect(excluded.filter((a) => /access-logs|-audit-/.test(a))).toEqual(excluded);
    for (const b of phi) expect(excluded).not.toContain(`arn:aws:s3:::${b}/`);
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

describe("the off-account copy", () => {
  it("selects every PHI-tagged bucket of prod's account and copies it to the configured vault", () => {
    const selection = findResource(
      stack("prod-core").resources,
      "aws:backup/selection:Selection",
      "phi-copy-selection",
    );
    expect(selection.inputs.resources).toEqual(["arn:aws:s3:::*"]);
    expect(selection.inputs.conditions).toEqual([
      { stringEquals: [{ key: "aws:ResourceTag/data-classification", value: "phi" }] },
    ]);
    const plan = findResource(
      stack("prod-core").resources,
      "aws:backup/plan:Plan",
      "phi-copy-plan",
    );
    expect(JSON.stringify(plan.inputs.rules)).toContain(
      "arn:aws:backup:us-east-2:333333333333:backup-vault:phi-copy",
    );
    expect(ofType(stack("dev").resources, "aws:backup/plan:Plan")).toEqual([]);
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

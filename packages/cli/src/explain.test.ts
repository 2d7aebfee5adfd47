import { join } from "node:path";
import { run } from "./program";

const ROOT = join(__dirname, "../../..");
const BASE = join(ROOT, "test/fixtures/base");
const FAST = ["--no-cache", "--jobs", "0"];

async function hdp(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: ROOT,
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("hdp explain: where reads of a table are recorded", () => {
  it("says where reads of a PHI table are recorded in prod: the trail, its locked bucket, Databricks", async () => {
    const r = await hdp("explain", "lab/results", "--configs", BASE, "--env", "prod", ...FAST);
    expect(r.code).toBe(0);
    const audit = r.stdout.slice(r.stdout.indexOf("Where reads are recorded:"));
    expect(audit.split("\n")[1]).toBe("lab/results in prod (phi)");
    expect(r.stdout).toContain(
      "CloudTrail data events, trail arn:aws:cloudtrail:us-east-2:222222222222:trail/",
    );
    expect(r.stdout).toMatch(
      /kept in: +s3:\/\/[a-z0-9-]+-prod-audit-222222222222\/AWSLogs\/222222222222\/CloudTrail\/ \(object lock COMPLIANCE, 2192 days; log-file validation on\)/,
    );
    expect(r.stdout).toMatch(
      /lands in +landing s3:\/\/[a-z0-9-]+-prod-clinical-landing-222222222222\/lab\/results\//,
    );
    expect(r.stdout).toMatch(
      /^Databricks reads \(every environment above\): .*system\.access\.audit/m,
    );
  });

  it("explains every environment without --env, with dev's shorter lock", async () => {
    const r = await hdp("explain", "lab/results", "--configs", BASE, ...FAST);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^lab\/results in \w+/gm)).toEqual([
      "lab/results in dev",
      "lab/results in prod",
    ]);
    expect(r.stdout).toContain("COMPLIANCE, 7 days");
  });

  it("adds no audit section for a source (only tables have one)", async () => {
    const r = await hdp("explain", "lab", "--configs", BASE, "--env", "prod", ...FAST);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("Where reads are recorded:");
  });
});

import { join } from "node:path";
import { run } from "./program";

const ROOT = join(__dirname, "../../..");
const BASE = join(ROOT, "test/fixtures/base");

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

describe("hdp explain", () => {
  it("says where reads of a PHI table are recorded in prod: the trail, its locked bucket, Databricks", async () => {
    const r = await hdp("explain", "lab/results", "--configs", BASE, "--env", "prod");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("lab/results in prod (phi)");
    expect(r.stdout).toContain(
      "CloudTrail data events, trail arn:aws:cloudtrail:us-east-2:222222222222:trail/",
    );
    expect(r.stdout).toMatch(
      /kept in: +s3:\/\/[a-z0-9-]+-prod-audit-222222222222\/AWSLogs\/222222222222\/CloudTrail\/ \(object lock COMPLIANCE, 2192 days; log-file validation on\)/,
    );
    expect(r.stdout).toMatch(
      /objects: +s3:\/\/[a-z0-9-]+-prod-clinical-landing-222222222222\/lab\/results\//,
    );
    expect(r.stdout).toContain("system.access.audit");
  });

  it("explains every environment without --env, with dev's shorter lock", async () => {
    const r = await hdp("explain", "lab/results", "--configs", BASE);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^lab\/results in \w+/gm)).toEqual([
      "lab/results in dev",
      "lab/results in prod",
    ]);
    expect(r.stdout).toContain("COMPLIANCE, 7 days");
  });

  it("refuses an unknown table with exit 2, naming the expected form", async () => {
    const r = await hdp("explain", "lab/nope", "--configs", BASE);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown table "lab\/nope" \(give <source>\/<table>/);
  });
});

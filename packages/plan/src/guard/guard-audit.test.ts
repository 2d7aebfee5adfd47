/** The audit trail is stateful: the guard blocks deleting the trail, the audit bucket or its lock. */
import { loadEstateOrThrow, type Estate } from "@hdp/config";
import { diffInventories } from "../inventory/diff";
import { GUARDED_TYPES, guardChanges } from "./guard";
import { inventoryResource, stackInventoryOf } from "../__fixtures__/inventory";
import { tree, type Tree } from "../__fixtures__/trees";

const TRAIL = "aws:cloudtrail/trail:Trail";
const LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";
const BUCKET = "aws:s3/bucket:Bucket";
const ENV: Record<string, string> = { dev: "dev", "prod-core": "prod" };

// Not protected on purpose: the types alone must be enough (a program could drop `protect`).
const audit = (stack: string) =>
  [
    [TRAIL, "audit-trail", "hdp:lake:AuditTrail"],
    [BUCKET, "audit-bucket-bucket", "hdp:lake:AuditTrail$hdp:lake:SecureBucket"],
    [LOCK, "audit-bucket-object-lock", "hdp:lake:AuditTrail$hdp:lake:SecureBucket"],
  ].map(([type, name, chain]) =>
    inventoryResource(stack, type, name, {
      urn: `urn:pulumi:${stack}::p::${chain}$${type}::${name}`,
      protect: false,
      retainOnDelete: false,
      inputs: {},
    }),
  );

function diff(stack: string, keep: (type: string) => boolean) {
  const before = audit(stack);
  const after = before.filter((r) => keep(r.type));
  return diffInventories(
    new Map([[stack, stackInventoryOf(stack, before, ENV[stack] ?? stack)]]),
    new Map([[stack, stackInventoryOf(stack, after, ENV[stack] ?? stack)]]),
  );
}

let t: Tree;
let estate: Estate;
beforeEach(() => {
  t = tree();
  estate = loadEstateOrThrow(t.configs);
});
afterEach(() => t.cleanup());

describe("the audit trail in the destructive-change guard", () => {
  it("names the trail and the object lock as stateful types", () => {
    expect(GUARDED_TYPES).toEqual(expect.arrayContaining([TRAIL, LOCK, BUCKET]));
  });

  it.each([
    ["the trail", TRAIL, /no longer be recorded/],
    ["the object lock", LOCK, /no longer be locked/],
    ["the audit bucket", BUCKET, /objects would be deleted/],
  ])("blocks deleting %s in prod", (_, type, why) => {
    const r = guardChanges(
      diff("prod-core", (x) => x !== type),
      estate,
      estate,
    );
    expect(r.findings.map((f) => [f.kind, f.type])).toEqual([["delete", type]]);
    expect(r.findings[0]?.why).toMatch(why);
  });

  it("lets dev delete its trail (dev is not guarded)", () => {
    const r = guardChanges(
      diff("dev", () => false),
      estate,
      estate,
    );
    expect(r.findings).toEqual([]);
  });
});

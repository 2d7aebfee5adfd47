import fc from "fast-check";
import { loadEstateOrThrow, type Estate } from "@hdp/config";
import { diffInventories, type PlanDiff } from "../inventory/diff";
import { GUARDED_TYPES, guardChanges, type GuardReport } from "./guard";
import { findingMessage, guardMarkdown, guardText } from "../report/guard-report";
import { isStateful } from "../inventory/identity";
import type { InventoryResource, StackInventory } from "../inventory/inventory";
import { inventoryResource, stackInventoryOf } from "../__fixtures__/inventory";
import { tree, type Tree } from "../__fixtures__/trees";

const BUCKET = "aws:s3/bucket:Bucket";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const KEY = "aws:kms/key:Key";
const ROLE = "aws:iam/role:Role";
const JOB = "databricks:index/job:Job";
const SECURE = "hdp:lake:SecureBucket";

interface Res {
  readonly type: string;
  readonly name: string;
  readonly inputs?: Record<string, unknown>;
  /** Parent type chain (components), e.g. `hdp:lake:SecureBucket`. */
  readonly chain?: string;
  readonly protect?: boolean;
}

const res = (stack: string, r: Res): InventoryResource =>
  inventoryResource(stack, r.type, r.name, {
    urn: `urn:pulumi:${stack}::p::${r.chain !== undefined ? `${r.chain}$` : ""}${r.type}::${r.name}`,
    protect: r.protect ?? false,
    retainOnDelete: r.protect ?? false,
    inputs: r.inputs ?? {},
  });

const STACK_ENV: Record<string, string> = {
  dev: "dev",
  "prod-core": "prod",
  "prod-business": "prod",
  "prod-clinical": "prod",
};

/** Inventories by stack -> a diff; every stack the test names is on both sides. */
function diffOf(
  before: Record<string, readonly Res[]>,
  after: Record<string, readonly Res[]>,
): PlanDiff {
  const inv = (side: Record<string, readonly Res[]>): Map<string, StackInventory> =>
    new Map(
      Object.entries(side).map(([stack, rs]) => [
        stack,
        stackInventoryOf(
          stack,
          rs.map((r) => res(stack, r)),
          STACK_ENV[stack] ?? stack,
        ),
      ]),
    );
  return diffInventories(inv(before), inv(after));
}

let t: Tree;
let base: Estate;
beforeEach(() => {
  t = tree();
  base = loadEstateOrThrow(t.configs);
});
afterEach(() => t.cleanup());

const load = (): Estate => loadEstateOrThrow(t.configs);

/** Adds `policies.allowDestroy` entries to an environment of the tree. */
function allow(env: string, ...resources: string[]): void {
  t.edit(
    `environments/${env}.yaml`,
    (s) =>
      `${s}policies:\n  allowDestroy:\n${resources
        .map(
          (r) =>
            `    - resource: ${JSON.stringify(r)}\n      reason: "reviewed in CHG-${r.length}: archived"\n`,
        )
        .join("")}`,
  );
}

const bucket = (name: string, extra: Partial<Res> = {}): Res => ({
  type: BUCKET,
  name,
  inputs: { bucket: `tst-${name}` },
  ...extra,
});

const brief = (r: GuardReport) => ({
  findings: r.findings.map((f) => `${f.stack} ${f.kind} ${f.type} ${f.name}`),
  allowed: r.allowed.map((a) => `${a.stack} ${a.kind} ${a.name} by ${a.allowedBy}`),
  unused: r.unusedAllowances.map((u) => `${u.file} ${u.resource}`),
});

describe("resources", () => {
  it("blocks deleting a bucket in prod and not in dev", () => {
    const d = diffOf(
      { dev: [bucket("a-bucket")], "prod-core": [bucket("a-bucket")] },
      { dev: [], "prod-core": [] },
    );
    const r = guardChanges(d, load(), base);
    expect(brief(r).findings).toEqual([`prod-core delete ${BUCKET} a-bucket`]);
    expect(r.environments).toEqual([
      { name: "dev", tier: "dev", guarded: false, configFrom: "head" },
      { name: "prod", tier: "prod", guarded: true, configFrom: "head" },
    ]);
    const [f] = r.findings;
    expect(f.environment).toBe("prod");
    expect(f.urn).toBe(`urn:pulumi:prod-core::p::${BUCKET}::a-bucket`);
    expect(f.why).toMatch(/^S3 bucket: its objects would be deleted; prod protects stateful/);
    expect(f.fix).toEqual({
      file: "environments/prod.yaml",
      resource: "a-bucket",
      yaml: [
        "policies:",
        "  allowDestroy:",
        "    - resource: a-bucket",
        '      reason: "<why the data may go: the change ticket, where the data was archived>"',
      ].join("\n"),
    });
  });

  it("lets non-stateful deletes and updates through", () => {
    const d = diffOf(
      {
        "prod-business": [
          { type: ROLE, name: "payroll-role", inputs: { name: "r" } },
          { type: JOB, name: "payroll--x-job", inputs: { name: "j" } },
        ],
        "prod-core": [bucket("kept", { inputs: { bucket: "b", forceDestroy: false } })],
      },
      {
        "prod-business": [],
        "prod-core": [bucket("kept", { inputs: { bucket: "b", forceDestroy: true } })],
      },
    );
    expect(guardChanges(d, load(), base)).toMatchObject({
      findings: [],
      allowed: [],
      unusedAllowances: [],
    });
  });

  it("treats anything protected as stateful, and folds a bucket's protected settings into it", () => {
    const settings = (p: string): Res[] => [
      bucket(`${p}-bucket`, { chain: SECURE, protect: true }),
      { type: VERSIONING, name: `${p}-versioning`, chain: SECURE, protect: true },
      { type: ROLE, name: `${p}-role`, chain: SECURE, protect: false },
    ];
    const d = diffOf(
      {
        "prod-core": [
          ...settings("x"),
          { type: ROLE, name: "guarded-role", protect: true, inputs: { name: "g" } },
        ],
      },
      { "prod-core": [] },
    );
    const r = guardChanges(d, load(), base);
    expect(r.findings.map((f) => [f.type, f.name, f.with])).toEqual([
      [ROLE, "guarded-role", []],
      [BUCKET, "x-bucket", ["x-versioning"]],
    ]);
    expect(r.findings[0].why).toMatch(/^protected by the program/);
    expect(findingMessage(r.findings[1])).toContain(
      "deleting aws:s3/bucket:Bucket x-bucket (with x-versioning) is blocked",
    );
  });

  it("reports a logical-name change of a stateful resource as a replacement, and how to keep it", () => {
    const d = diffOf(
      { "prod-core": [bucket("old-bucket", { inputs: { bucket: "same" } })] },
      { "prod-core": [bucket("new-bucket", { inputs: { bucket: "same" } })] },
    );
    const r = guardChanges(d, load(), base);
    expect(brief(r).findings).toEqual([`prod-core replace ${BUCKET} old-bucket`]);
    const [f] = r.findings;
    expect(f.to).toEqual({
      stack: "prod-core",
      name: "new-bucket",
      urn: `urn:pulumi:prod-core::p::${BUCKET}::new-bucket`,
    });
    expect(f.why).toContain(`aliases: ["urn:pulumi:prod-core::p::${BUCKET}::old-bucket"]`);
    expect(findingMessage(f)).toMatch(/replacing aws:s3\/bucket:Bucket old-bucket -> new-bucket/);
  });

  it("follows a stateful resource moved to another stack of the environment", () => {
    const schema = {
      type: "databricks:index/schema:Schema",
      name: "payroll-bronze",
      inputs: { catalogName: "c", name: "payroll_bronze" },
    };
    const d = diffOf(
      { "prod-business": [schema], "prod-clinical": [] },
      { "prod-business": [], "prod-clinical": [schema] },
    );
    const r = guardChanges(d, load(), base);
    expect(r.findings.map((f) => [f.kind, f.stack, f.name, f.to?.stack])).toEqual([
      ["replace", "prod-business", "payroll-bronze", "prod-clinical"],
    ]);
    expect(r.findings[0].why).toMatch(/^Unity Catalog schema: its tables are dropped/);
  });

  it("describes every intrinsically stateful type", () => {
    for (const type of GUARDED_TYPES) {
      expect(isStateful({ type, protect: false, retainOnDelete: false })).toBe(true);
    }
    expect(GUARDED_TYPES).toEqual(
      expect.arrayContaining([BUCKET, KEY, "aws:mwaa/environment:Environment"]),
    );
  });
});

describe("allow entries", () => {
  it.each([
    ["the logical name", "a-bucket"],
    ["the URN", `urn:pulumi:prod-core::p::${BUCKET}::a-bucket`],
  ])("allow a delete by %s", (_, entry) => {
    allow("prod", entry, "something-else");
    const d = diffOf(
      { "prod-core": [bucket("a-bucket"), bucket("b-bucket")] },
      { "prod-core": [] },
    );
    const r = guardChanges(d, load(), base);
    expect(brief(r)).toEqual({
      findings: [`prod-core delete ${BUCKET} b-bucket`],
      allowed: [`prod-core delete a-bucket by ${entry}`],
      unused: ["environments/prod.yaml something-else"],
    });
    expect(r.allowed[0].reason).toBe(`reviewed in CHG-${entry.length}: archived`);
  });

  it.each(["old-bucket", "new-bucket"])("allow a replacement by its %s name", (entry) => {
    allow("prod", entry);
    const d = diffOf(
      { "prod-core": [bucket("old-bucket", { inputs: { bucket: "same" } })] },
      { "prod-core": [bucket("new-bucket", { inputs: { bucket: "same" } })] },
    );
    expect(brief(guardChanges(d, load(), base))).toEqual({
      findings: [],
      allowed: [`prod-core replace old-bucket by ${entry}`],
      unused: [],
    });
  });

  it("only count in their own environment; dev entries are reported unused", () => {
    allow("dev", "a-bucket");
    const d = diffOf(
      { dev: [bucket("a-bucket")], "prod-core": [bucket("a-bucket")] },
      { dev: [], "prod-core": [] },
    );
    const r = guardChanges(d, load(), base);
    expect(brief(r).findings).toEqual([`prod-core delete ${BUCKET} a-bucket`]);
    expect(r.unusedAllowances).toEqual([
      {
        environment: "dev",
        file: "environments/dev.yaml",
        resource: "a-bucket",
        reason: "reviewed in CHG-8: archived",
        note: "dev is a dev environment: it is not guarded",
      },
    ]);
  });

  it("of environments the diff does not touch are not judged", () => {
    allow("prod", "lab");
    const d = diffOf({ dev: [bucket("a-bucket")] }, { dev: [] });
    expect(brief(guardChanges(d, load(), base))).toEqual({ findings: [], allowed: [], unused: [] });
  });
});

describe("tables", () => {
  const prodStacks = { "prod-business": [], "prod-clinical": [], "prod-core": [] };
  const planProd = (): GuardReport => guardChanges(diffOf(prodStacks, prodStacks), load(), base);

  it("blocks a table removed from prod, naming its Unity Catalog tables", () => {
    t.remove("sources/payroll/tables/employees.yaml");
    const r = planProd();
    expect(brief(r).findings).toEqual(["prod-business table table payroll/employees"]);
    const [f] = r.findings;
    expect(f.why).toContain("removed or renamed");
    expect(f.why).toContain("tst_prod.payroll_bronze.employees");
    expect(f.why).toContain("written by the ingest jobs, not by Pulumi");
    expect(f.fix.yaml).toContain("- resource: payroll/employees");
  });

  it("blocks a renamed table id (remove + add) and allows it by its old key", () => {
    const text = t.read("sources/payroll/tables/timesheets.yaml");
    t.remove("sources/payroll/tables/timesheets.yaml");
    t.write(
      "sources/payroll/tables/time_entries.yaml",
      text.replace("id: timesheets", "id: time_entries"),
    );
    expect(brief(planProd()).findings).toEqual(["prod-business table table payroll/timesheets"]);
    allow("prod", "payroll/timesheets");
    expect(brief(planProd())).toEqual({
      findings: [],
      allowed: ["prod-business table payroll/timesheets by payroll/timesheets"],
      unused: [],
    });
  });

  it("blocks a table disabled in prod, and every table of a removed source", () => {
    t.edit(
      "sources/lab/tables/orders.yaml",
      (s) => `${s}environments:\n  prod:\n    enabled: false\n`,
    );
    t.remove("sources/payroll");
    const r = planProd();
    expect(brief(r).findings).toEqual([
      "prod-business table table payroll/employees",
      "prod-business table table payroll/timesheets",
      "prod-clinical table table lab/orders",
    ]);
    expect(r.findings[2].why).toContain("disabled in prod");
    expect(r.findings[0].why).toContain("its source payroll is removed");
  });

  it("does not guard dev, nor stacks that were not planned", () => {
    // employees is in prod-business (not planned here) and in dev (not guarded).
    t.remove("sources/payroll/tables/employees.yaml");
    const d = diffOf({ dev: [], "prod-clinical": [] }, { dev: [], "prod-clinical": [] });
    expect(guardChanges(d, load(), base).findings).toEqual([]);
    const withBusiness = diffOf({ "prod-business": [] }, { "prod-business": [] });
    expect(guardChanges(withBusiness, load(), base).findings).toHaveLength(1);
  });
});

describe("an environment only in the base revision", () => {
  it("is guarded with the base's config, and says so", () => {
    // The base carries the allowance for one bucket; the head drops the whole environment.
    allow("prod", "a-bucket");
    const withAllowance = load();
    t.remove("environments/prod.yaml");
    const head = load();
    const d = diffOf({ "prod-core": [bucket("a-bucket"), bucket("b-bucket")] }, {});
    const r = guardChanges(d, head, withAllowance);
    expect(r.environments).toEqual([
      { name: "prod", tier: "prod", guarded: true, configFrom: "base" },
    ]);
    expect(brief(r)).toEqual({
      findings: [`prod-core delete ${BUCKET} b-bucket`],
      allowed: ["prod-core delete a-bucket by a-bucket"],
      unused: [],
    });
    expect(findingMessage(r.findings[0])).toContain(
      "environment prod is not in the working tree, so it is guarded with its config at the base revision",
    );
  });
});

describe("reports", () => {
  it("text and markdown list blocked, allowed and unused entries", () => {
    allow("prod", "a-bucket", "stale-one");
    const d = diffOf(
      { "prod-core": [bucket("a-bucket"), bucket("b-bucket")] },
      { "prod-core": [] },
    );
    const r = guardChanges(d, load(), base);
    expect(guardText(r)).toEqual([
      "destructive-change guard: 1 blocked, 1 allowed, 1 unused allow entry",
      `  blocked  prod-core  delete   ${BUCKET} b-bucket`,
      "  to allow it, add to environments/prod.yaml (reviewed, each with its real reason):",
      "    policies:",
      "      allowDestroy:",
      "        - resource: b-bucket",
      '          reason: "<why the data may go: the change ticket, where the data was archived>"',
      `  allowed  prod-core  delete   ${BUCKET} a-bucket: allowed by policies.allowDestroy in environments/prod.yaml: reviewed in CHG-8: archived`,
      '  unused   environments/prod.yaml: allowDestroy entry "stale-one" allowed nothing in this plan: remove it if it is stale',
      "",
    ]);
    const md = guardMarkdown(r).join("\n");
    expect(md).toContain("#### Destructive-change guard");
    expect(md).toContain(`- \`prod-core\` delete \`${BUCKET}\` b-bucket: S3 bucket: its objects`);
    expect(md).toContain("```yaml\npolicies:\n  allowDestroy:\n    - resource: b-bucket\n");
    expect(md).toContain(
      "allowed by `policies.allowDestroy` in `environments/prod.yaml`: reviewed in CHG-8: archived",
    );
    expect(md).toContain("`stale-one`");
    expect(guardMarkdown(r, 0).join("\n")).toContain("…and 1 more");
  });

  it("give one YAML block per file for several findings, and say where for a removed environment", () => {
    t.remove("sources/payroll/tables/employees.yaml");
    const d = diffOf(
      { "prod-core": [bucket("a-bucket")], "prod-business": [] },
      { "prod-core": [], "prod-business": [] },
    );
    const text = guardText(guardChanges(d, load(), base));
    expect(text.slice(0, 8)).toEqual([
      "destructive-change guard: 2 blocked, 0 allowed, 0 unused allow entries",
      "  blocked  prod-business  drop     table payroll/employees",
      `  blocked  prod-core  delete   ${BUCKET} a-bucket`,
      "  to allow them, add to environments/prod.yaml (reviewed, each with its real reason):",
      "    policies:",
      "      allowDestroy:",
      "        - resource: payroll/employees",
      '          reason: "<why the data may go: the change ticket, where the data was archived>"',
    ]);
    expect(text[8]).toBe("        - resource: a-bucket");

    t.remove("environments/prod.yaml");
    const gone = guardText(
      guardChanges(diffOf({ "prod-core": [bucket("a-bucket")] }, {}), load(), base),
    );
    expect(gone[2]).toBe(
      "  environment prod is not in the working tree, so it is guarded with its config at the base revision: to allow it, environments/prod.yaml must hold this there first (merge it before removing the environment):",
    );
  });

  it("say nothing when there is nothing to say", () => {
    const r = guardChanges(diffOf({ dev: [] }, { dev: [] }), load(), base);
    expect([guardText(r), guardMarkdown(r)]).toEqual([[], []]);
  });

  it("the problem message says what, why and how to allow it", () => {
    const d = diffOf({ "prod-core": [bucket("a-bucket")] }, { "prod-core": [] });
    const [f] = guardChanges(d, load(), base).findings;
    expect(findingMessage(f).split("\n")).toEqual([
      `stack prod-core (prod): deleting ${BUCKET} a-bucket is blocked by the destructive-change guard`,
      `  why: ${f.why}`,
      "  to allow it, add a reviewed entry under policies.allowDestroy in environments/prod.yaml:",
      "    - resource: a-bucket",
      '      reason: "<why the data may go: the change ticket, where the data was archived>"',
    ]);
  });
});

describe("properties", () => {
  it("blocks exactly the stateful deletes of prod; allow entries move exactly the named ones", () => {
    const head = load();
    const arb = fc.uniqueArray(
      fc.record({
        name: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
        stateful: fc.boolean(),
        allowed: fc.boolean(),
      }),
      { selector: (x) => x.name, maxLength: 12 },
    );
    fc.assert(
      fc.property(arb, (items) => {
        const rs: Res[] = items.map((x) =>
          x.stateful ? { type: KEY, name: x.name } : { type: ROLE, name: x.name },
        );
        const d = diffOf({ "prod-core": rs }, { "prod-core": [] });
        const entries = items.filter((x) => x.allowed).map((x) => x.name);
        const env = head.environments.find((e) => e.name === "prod");
        if (env === undefined) throw new Error("no prod");
        const withEntries: Estate = {
          ...head,
          environments: head.environments.map((e) =>
            e === env
              ? {
                  ...e,
                  policies: {
                    ...e.policies,
                    allowDestroy: entries.map((resource) => ({ resource, reason: "r" })),
                  },
                }
              : e,
          ),
        };
        const r = guardChanges(d, withEntries, base);
        const sorted = (xs: string[]): string[] => [...xs].sort();
        expect(sorted(r.findings.map((f) => f.name))).toEqual(
          sorted(items.filter((x) => x.stateful && !x.allowed).map((x) => x.name)),
        );
        expect(sorted(r.allowed.map((f) => f.name))).toEqual(
          sorted(items.filter((x) => x.stateful && x.allowed).map((x) => x.name)),
        );
        expect(sorted(r.unusedAllowances.map((u) => u.resource))).toEqual(
          sorted(items.filter((x) => !x.stateful && x.allowed).map((x) => x.name)),
        );
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * The pack over the sample estate under configs/: the context each environment's config gives,
 * the committed `--policy-pack-config` files, and the platform's real stacks evaluated as `hdp
 * plan` would.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatPackConfig, isPrettierClean } from "../scripts/format-pack-config";
import * as pulumi from "@pulumi/pulumi";
import { loadEstateOrThrow, schemas } from "@hdp/config";
import { buildStack } from "@hdp/platform";
import { record, valueOf } from "@hdp/testing";
import {
  contextFromEstate,
  evaluate,
  policyPackConfig,
  ruleNames,
  type PolicyResult,
} from "./index";
import { packConfigFiles } from "./pack-config-files";
import { QUOTA_DEFAULTS, QUOTA_KEYS } from "./quotas";
import { resolveContext } from "./context";

const { QUOTA_LIMIT_KEYS } = schemas;

const ROOT = join(__dirname, "..", "..", "..");
const estate = loadEstateOrThrow(join(ROOT, "configs"));
/** The account mocked resources' outputs (role ARNs…) carry under @hdp/testing. */
const MOCK_ACCOUNT = "123456789012";

describe("contextFromEstate", () => {
  it("takes enforcement, PHI mode, account and relaxations from the environment", () => {
    const dev = contextFromEstate(estate, "dev", { stack: "dev" });
    expect(dev).toMatchObject({
      environment: "dev",
      enforcement: "advisory",
      phi: "synthetic",
      stack: "dev",
      accountIds: ["318745203961"],
      realPhiAccountIds: ["502864197320", "774219386501"],
      maxWorkers: 8,
      relaxations: [],
    });
    expect(contextFromEstate(estate, "prod")).toMatchObject({
      enforcement: "mandatory",
      phi: "real",
    });
  });

  it("forwards the environment's reviewed relaxations", () => {
    const relaxation = {
      rule: "kms-key-rotation",
      resource: "archive-key-key",
      reason: "archive key, SEC-412",
      approvedBy: "ciso@example.org",
      expires: "2099-12-31",
    };
    const withRelaxation = {
      ...estate,
      environments: estate.environments.map((e) =>
        e.name === "prod"
          ? { ...e, policies: { relaxations: [relaxation], allowDestroy: [], quotas: {} } }
          : e,
      ),
    };
    const ctx = contextFromEstate(withRelaxation, "prod");
    expect(ctx.relaxations).toEqual([relaxation]);
    expect(policyPackConfig(ctx)["kms-key-rotation"]?.relaxations).toEqual([relaxation]);
  });

  it("takes raised quotas from the environment, and the defaults otherwise", () => {
    expect(contextFromEstate(estate, "prod").limits).toBeUndefined();
    const raised = {
      ...estate,
      environments: estate.environments.map((e) =>
        e.name === "prod"
          ? { ...e, policies: { ...e.policies, quotas: { iamRolesPerAccount: 5000 } } }
          : e,
      ),
    };
    const ctx = contextFromEstate(raised, "prod");
    expect(ctx.limits).toEqual({ iamRolesPerAccount: 5000 });
    expect(resolveContext(policyPackConfig(ctx)["stack-service-quotas"]).limits).toEqual({
      ...QUOTA_DEFAULTS,
      iamRolesPerAccount: 5000,
    });
  });

  it("names the same quotas as the environment config", () => {
    expect([...QUOTA_LIMIT_KEYS].sort()).toEqual([...QUOTA_KEYS].sort());
  });

  it("counts the DAGs and the tables per schema the environment enables", () => {
    const prod = contextFromEstate(estate, "prod");
    expect(prod.dagCount).toBeGreaterThan(0);
    const tables = Object.values(prod.tablesPerSchema ?? {});
    expect(tables.length).toBeGreaterThan(0);
    expect(
      Object.keys(prod.tablesPerSchema ?? {}).every((s) =>
        /^[a-z0-9_]+_(bronze|silver|gold)$/.test(s),
      ),
    ).toBe(true);
  });
});

describe("policyPackConfig", () => {
  it("gives every policy the environment's level and only the relaxations naming it", () => {
    const config = policyPackConfig({
      environment: "prod",
      enforcement: "mandatory",
      relaxations: [
        {
          rule: "kms-key-rotation",
          resource: "k",
          reason: "archive key, SEC-412",
          approvedBy: "ciso@example.org",
          expires: "2099-12-31",
        },
      ],
    });
    expect(Object.keys(config)).toEqual(ruleNames);
    expect(new Set(Object.values(config).map((c) => c.enforcementLevel))).toEqual(
      new Set(["mandatory"]),
    );
    expect(config["kms-key-rotation"]?.relaxations).toEqual([
      {
        rule: "kms-key-rotation",
        resource: "k",
        reason: "archive key, SEC-412",
        approvedBy: "ciso@example.org",
        expires: "2099-12-31",
      },
    ]);
    expect(config["kms-key-deletion-window"]?.relaxations).toEqual([]);
  });

  it("is committed for every environment and up to date (regenerate: scripts/write-pack-config.ts)", () => {
    const files = Object.entries(packConfigFiles(estate));
    expect(files.map(([name]) => name)).toEqual(["dev.json", "prod.json", "stage.json"]);
    for (const [name, text] of files) {
      const path = join(__dirname, "..", "config", name);
      const committed = readFileSync(path, "utf8");
      expect([name, JSON.parse(committed)]).toEqual([name, JSON.parse(text)]);
      // Byte for byte what the script writes, which Prettier leaves as it is.
      expect([name, committed]).toEqual([name, formatPackConfig(path, text)]);
      expect([name, isPrettierClean(path)]).toEqual([name, true]);
    }
  });
});

describe("the platform's stacks of configs/", () => {
  async function recordStack(
    stack: string,
    stackOutputs: Record<string, Record<string, unknown>> = {},
    of: typeof estate = estate,
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      const { resources, result } = await record(() => buildStack(of, stack), {
        project: "health-data-platform",
        stack,
        stackOutputs,
      });
      return {
        resources,
        exports: (await valueOf(pulumi.output(result))) as Record<string, unknown>,
      };
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
  const show = (results: readonly PolicyResult[]) =>
    results.map((r) => `${r.level} ${r.rule} ${r.name ?? "(stack)"}: ${r.message}`);
  const context = (env: string, stack: string) =>
    contextFromEstate(estate, env, { stack, extraAccountIds: [MOCK_ACCOUNT] });

  it("dev has no violation", async () => {
    const { resources } = await recordStack("dev");
    expect(show(evaluate(resources, context("dev", "dev")))).toEqual([]);
    // The rules did see the stack: a quota of one bucket is exceeded.
    const tight = { ...context("dev", "dev"), limits: { s3BucketsPerAccount: 1 } };
    expect(show(evaluate(resources, tight))).toEqual([
      expect.stringMatching(
        /^advisory stack-service-quotas \(stack\): \d+ S3 buckets in the account/,
      ),
    ]);
  });

  it("dev without Airflow's service principal: every job is reported, as a DAG run would fail", async () => {
    const without = {
      ...estate,
      environments: estate.environments.map((e) =>
        e.name === "dev"
          ? {
              ...e,
              databricks: {
                ...e.databricks,
                hardening: { ...e.databricks.hardening, airflowPrincipal: undefined },
              },
            }
          : e,
      ),
    };
    const { resources } = await recordStack("dev", {}, without);
    const jobs = resources.filter((r) => r.type === "databricks:index/job:Job");
    expect(jobs.length).toBeGreaterThan(5);
    const found = evaluate(resources, context("dev", "dev"));
    expect(found.map((r) => `${r.rule} ${r.name ?? ""}`).sort()).toEqual(
      jobs.map((j) => `databricks-job-trigger-access ${j.name}`).sort(),
    );
  });

  it("prod-core and a prod shard have no violation", async () => {
    const core = await recordStack("prod-core");
    expect(show(evaluate(core.resources, context("prod", "prod-core")))).toEqual([]);
    const shard = await recordStack("prod-clinical", {
      "organization/health-data-platform/prod-core": core.exports,
    });
    expect(show(evaluate(shard.resources, context("prod", "prod-clinical")))).toEqual([]);
  });
});

/**
 * The root program on the whole sample estate (configs/): every stack builds under Pulumi's
 * mocks (cores first, their exports served to the shards' StackReference), prod's stateful
 * resources are protected, logical names survive renamed files and reordered entries, and
 * stacks/ has exactly one config file per stack.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { loadEstateOrThrow, type Estate } from "@hdp/config";
import { allStacks, buildStack } from "@hdp/platform";
import { record } from "@hdp/testing";
import {
  engineUrns,
  recordAll,
  STATEFUL_TYPES,
  type RecordedStack,
} from "../packages/platform/src/__fixtures__";

const ROOT = join(__dirname, "..");
const CONFIGS = join(ROOT, "configs");

let estate: Estate;
let stacks: Map<string, RecordedStack>;
beforeAll(async () => {
  estate = loadEstateOrThrow(CONFIGS);
  stacks = await recordAll(estate);
});

const stackNames = () => allStacks(estate).map((s) => s.name);

describe("the sample estate", () => {
  it("has the stacks the environments declare", () => {
    expect(stackNames()).toEqual([
      "dev",
      "prod-core",
      "prod-clinical",
      "prod-genomics",
      "prod-business",
      "stage",
    ]);
  });

  it("builds every stack, each within its environment's resource budget and with unique URNs", () => {
    for (const s of allStacks(estate)) {
      const { resources } = stacks.get(s.name)!;
      const budget = estate.environments.find((e) => e.name === s.environment)!.sharding
        .resourceBudget;
      expect(resources.length).toBeGreaterThan(0);
      expect(resources.length).toBeLessThanOrEqual(budget);
      const urns = engineUrns(resources);
      expect(new Set(urns).size).toBe(urns.length);
    }
  });

  it("puts each enabled source's objects in exactly one stack of its environment", () => {
    for (const env of ["dev", "stage", "prod"]) {
      const roles = allStacks(estate)
        .filter((s) => s.environment === env)
        .flatMap((s) => stacks.get(s.name)!.resources)
        .filter((r) => r.type === "hdp:iam:SourceIngestRole")
        .map((r) => r.name);
      expect(new Set(roles).size).toBe(roles.length);
      expect(roles.length).toBeGreaterThan(0);
    }
  });

  it("protects and retains every stateful resource in prod", () => {
    const prod = allStacks(estate).filter((s) => s.environment === "prod");
    let checked = 0;
    for (const s of prod) {
      for (const r of stacks.get(s.name)!.resources) {
        if (!(STATEFUL_TYPES as readonly string[]).includes(r.type)) continue;
        expect([r.urn, r.protect, r.retainOnDelete]).toEqual([r.urn, true, true]);
        checked++;
      }
    }
    // Lakes, keys and the catalog in prod-core; schemas in every shard.
    expect(checked).toBeGreaterThan(100);
    for (const s of prod.filter((x) => x.shard !== "core")) {
      expect(
        stacks.get(s.name)!.resources.some((r) => r.type === "databricks:index/schema:Schema"),
      ).toBe(true);
    }
  });

  it("keeps every URN when a source directory and a table file are renamed and entries reordered", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hdp-configs-"));
    try {
      cpSync(CONFIGS, dir, { recursive: true });
      renameSync(join(dir, "sources", "epic-clarity"), join(dir, "sources", "clarity-reporting"));
      renameSync(
        join(dir, "sources", "clarity-reporting", "tables", "patients.yaml"),
        join(dir, "sources", "clarity-reporting", "tables", "zz_patient_master.yaml"),
      );
      const moved = loadEstateOrThrow(dir);
      const reordered: Estate = {
        ...moved,
        sources: [...moved.sources].reverse(),
        tables: [...moved.tables].reverse(),
        pipelines: [...moved.pipelines]
          .reverse()
          .map((p) => ({ ...p, tables: [...p.tables].reverse() })),
        platform: { ...moved.platform, domains: [...moved.platform.domains].reverse() },
        environments: [...moved.environments].reverse(),
      };
      const again = await recordAll(reordered);
      for (const name of stackNames()) {
        expect(engineUrns(again.get(name)!.resources).sort()).toEqual(
          engineUrns(stacks.get(name)!.resources).sort(),
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the root program", () => {
  it("stacks/ holds exactly one config file per stack, with nothing secret in it", () => {
    const files = readdirSync(join(ROOT, "stacks")).sort();
    expect(files).toEqual(
      stackNames()
        .map((n) => `Pulumi.${n}.yaml`)
        .sort(),
    );
    for (const f of files) {
      const text = readFileSync(join(ROOT, "stacks", f), "utf8");
      expect(text).toMatch(/^# /);
      expect(text).not.toMatch(/secure:|secretsprovider|encryptedkey/i);
      expect(load(text)).toEqual({ config: { "pulumi:disable-default-providers": ["*"] } });
    }
  });

  it("Pulumi.yaml runs index.ts as TypeScript with workspace packages from source", () => {
    expect(load(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"))).toMatchObject({
      name: "health-data-platform",
      runtime: {
        name: "nodejs",
        options: { typescript: true, packagemanager: "pnpm", nodeargs: "--conditions=@hdp/source" },
      },
      stackConfigDir: "stacks",
    });
  });

  it("index.ts builds the stack Pulumi names, from configs/ next to it", async () => {
    // A shard: the program must also hand Pulumi's organization and project to the StackReference.
    const core = stacks.get("prod-core")!.exports;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      const { resources, result } = await record(
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program is a CommonJS module that runs on load
        () => require("../index") as unknown,
        {
          project: "health-data-platform",
          stack: "prod-clinical",
          organization: "acme",
          stackOutputs: { "acme/health-data-platform/prod-core": core },
        },
      );
      const ref = resources.find((r) => r.type === "pulumi:pulumi:StackReference");
      expect(ref?.inputs.name).toBe("acme/health-data-platform/prod-core");
      expect(engineUrns(resources).sort()).toEqual(
        engineUrns(stacks.get("prod-clinical")!.resources).sort(),
      );
      expect(Object.keys(result as object)).toEqual(
        Object.keys(stacks.get("prod-clinical")!.exports),
      );
    } finally {
      Error.stackTraceLimit = limit;
    }
  });

  it("buildStack refuses a stack the estate does not have", () => {
    expect(() => buildStack(estate, "prod")).toThrow(
      'unknown stack "prod": the estate has the stacks dev, prod-core, prod-clinical, prod-genomics, prod-business, stage',
    );
  });
});

/**
 * The insecure corpus (issue #5): every case under test/fixtures/insecure/ is an insecure config
 * change or component usage on the valid base tree, and `hdp plan` must catch it: exit 1, the
 * rule named in the report, a mandatory finding of that rule in the case's stack, and no
 * mandatory finding of any other rule (each case shows exactly its own mistake; the base tree
 * plans clean). See test/support/insecure-corpus.ts for the shape of a case.
 */
import { rmSync } from "node:fs";
import type * as PlanModule from "@hdp/plan";
import { ruleNames } from "@hdp/policy";
import { BASE_TREE, materialize } from "./support/fixture-tree";
import { hdp } from "./support/hdp";
import {
  CASE_ENTRIES,
  INSECURE_CASES,
  insecureCases,
  readCase,
  type InsecureCase,
} from "./support/insecure-corpus";

// `run()` returns the exit code only: keep each plan's structured result as `hdp plan` makes it,
// so one in-process plan per case gives the exit code, the text and the findings.
const mockResults: PlanModule.PlanResult[] = [];
jest.mock("@hdp/plan", () => {
  const actual = jest.requireActual<typeof PlanModule>("@hdp/plan");
  return {
    ...actual,
    plan: async (options: PlanModule.PlanOptions) => {
      const result = await actual.plan(options);
      mockResults.push(result);
      return result;
    },
  };
});

/** `hdp plan` of `configs` in this process, without the cache; the report and the plan. */
async function hdpPlan(configs: string, stacks: readonly string[], program?: string) {
  mockResults.length = 0;
  const r = await hdp(process.cwd(), [
    "plan",
    "--configs",
    configs,
    ...stacks.flatMap((s) => ["--stack", s]),
    "--jobs",
    "0",
    "--no-cache",
    ...(program !== undefined ? ["--program", program] : []),
  ]);
  expect(mockResults).toHaveLength(1);
  return { ...r, result: mockResults[0] };
}

const show = (f: PlanModule.PolicyFinding): string =>
  `${f.level} ${f.rule} ${f.stack} ${f.name ?? "(the stack)"}: ${f.message}`;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Problems with a case's directory and case.yaml (empty when it is well-formed). */
function caseProblems(c: InsecureCase): string[] {
  const problems: string[] = [];
  const spec = (c.spec ?? {}) as unknown as Record<string, unknown>;
  const extra = c.entries.filter((e) => !(CASE_ENTRIES as readonly string[]).includes(e));
  if (extra.length > 0) problems.push(`unexpected entries ${extra.join(", ")}`);
  if (!c.entries.includes("case.yaml")) problems.push("no case.yaml");
  if (!["files", "program.ts", "remove.txt"].some((e) => c.entries.includes(e))) {
    problems.push("neither files/, remove.txt nor program.ts: nothing differs from the base tree");
  }
  const keys = Object.keys(spec).sort();
  if (keys.join(",") !== "description,rules,stack") {
    problems.push(`case.yaml keys are ${keys.join(", ")}; want description, stack, rules`);
  }
  const d = spec.description;
  if (typeof d !== "string" || d.trim() === "" || d.includes("\n")) {
    problems.push("description must be one non-empty line");
  }
  if (typeof spec.stack !== "string" || spec.stack === "") problems.push("stack must be a name");
  const rules = spec.rules;
  if (!Array.isArray(rules) || rules.length === 0) problems.push("rules must be a non-empty list");
  else {
    for (const r of rules as unknown[]) {
      if (typeof r !== "string" || !ruleNames.includes(r)) {
        problems.push(`unknown rule ${String(r)}`);
      }
    }
    if (new Set(rules).size !== rules.length) problems.push("rules lists a rule twice");
  }
  return problems;
}

describe("the insecure corpus", () => {
  const cases = insecureCases();

  it("holds at least 25 cases under test/fixtures/insecure", () => {
    expect(INSECURE_CASES).toMatch(/test[/\\]fixtures[/\\]insecure$/);
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases)("%s is a well-formed case", (name) => {
    expect(caseProblems(readCase(name))).toEqual([]);
  });

  it("has a case for every rule of the pack", () => {
    const covered = new Set(cases.flatMap((n) => readCase(n).spec.rules ?? []));
    expect(ruleNames.filter((r) => !covered.has(r))).toEqual([]);
  });

  it("starts from a base tree whose every stack plans with no policy finding", async () => {
    const r = await hdpPlan(BASE_TREE, []);
    expect(r.result.policy.stacks).toEqual(["dev", "prod-business", "prod-clinical", "prod-core"]);
    expect(r.result.policy.findings.map(show)).toEqual([]);
    expect(r.result.problems).toEqual([]);
    expect(r.code).toBe(0);
  });

  it.each(cases)("%s: hdp plan reports its rule as mandatory and exits 1", async (name) => {
    const c = readCase(name);
    const { stack, rules } = c.spec;
    const dir = materialize(c.dir);
    try {
      const r = await hdpPlan(dir, [stack], c.program);
      // The plan itself worked (no program failure, no budget problem): the exit is the policy's.
      expect(r.result.problems.map((p) => p.message)).toEqual([]);
      expect(r.result.policy.stacks).toContain(stack);

      const mandatory = r.result.policy.findings.filter((f) => f.level === "mandatory");
      const missing = rules.filter(
        (rule) => !mandatory.some((f) => f.rule === rule && f.stack === stack),
      );
      expect({
        missing,
        findings: missing.length > 0 ? r.result.policy.findings.map(show) : [],
      }).toEqual({
        missing: [],
        findings: [],
      });
      const others = mandatory.filter((f) => !rules.includes(f.rule)).map(show);
      expect(others).toEqual([]);
      expect(r.result.policy.blocking).toBe(mandatory.length);

      for (const rule of rules) {
        expect(r.stdout).toMatch(new RegExp(`^ {2}${escape(rule)} — .*\\d+ mandatory\\)$`, "m"));
      }
      expect(r.stdout).toMatch(/^policy: \d+ mandatory, .* must be fixed$/m);
      expect(r.code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderRuleTable } from "./index";
import { policies } from "./policies";

/** A markdown table as rows of trimmed cells (prettier pads the README's columns). */
const cells = (table: string): string[][] =>
  table
    .trim()
    .split("\n")
    .filter((line) => !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );

describe("the README's rule table", () => {
  it("is the one the rules render (regenerate with renderRuleTable())", () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    const table = /<!-- rules:start -->([\s\S]*?)<!-- rules:end -->/.exec(readme)?.[1] ?? "";
    expect(cells(table)).toEqual(cells(renderRuleTable()));
  });
});

describe("every rule", () => {
  it.each(policies.map((p) => [p.name, p]))(
    "%s is kebab-case and documented (description, remediation, a reference or a quota)",
    (name, p) => {
      expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.description.length).toBeGreaterThan(20);
      expect(p.doc.remediation.length).toBeGreaterThan(20);
      expect(p.remediationSteps).toBe(p.doc.remediation);
      for (const h of p.doc.hipaa)
        expect(h).toMatch(/^§164\.\d{3}\([a-z]\)(\(\d+\))?(\([ivx]+\))?(\([A-Z]\))?$/);
      expect(p.doc.resourceTypes.length).toBeGreaterThan(0);
    },
  );

  it("has a unique name", () => {
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

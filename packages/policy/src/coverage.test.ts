import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HIPAA_CONFORMANCE_PACK } from "./anchor-packs";
import { ANCHOR_RULES, anchorIdsOf, coverage, renderCoverageTable } from "./coverage";
import { policies } from "./policies";

/** A markdown table as rows of trimmed cells (prettier pads the README's columns). */
const cells = (text: string): string[][] =>
  text
    .trim()
    .split("\n")
    .filter((line) => line.startsWith("|") && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );

describe("the README's coverage table", () => {
  it("is the one the rules' metadata renders (regenerate with renderCoverageTable())", () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    const table = /<!-- coverage:start -->([\s\S]*?)<!-- coverage:end -->/.exec(readme)?.[1] ?? "";
    expect(cells(renderCoverageTable()).length).toBeGreaterThan(20);
    expect(cells(table)).toEqual(cells(renderCoverageTable()));
  });
});

describe("the anchors", () => {
  it("catalogue every anchor rule a rule names (AWS Config: those of the HIPAA pack)", () => {
    const catalogued = new Set(ANCHOR_RULES.map((a) => `${a.anchor} ${a.id}`));
    const named = policies.flatMap((p) =>
      anchorIdsOf(p)
        .filter((x) => x.anchor !== "aws-config" || HIPAA_CONFORMANCE_PACK.includes(x.id))
        .map((x) => `${x.anchor} ${x.id} (${p.name})`),
    );
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((n) => !catalogued.has(n.replace(/ \(.*\)$/, "")))).toEqual([]);
  });

  it("list each anchor rule once, AWS Config's from the pack, cdk-nag's by their ids", () => {
    const keys = ANCHOR_RULES.map((a) => `${a.anchor} ${a.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const a of ANCHOR_RULES.filter((x) => x.anchor === "aws-config"))
      expect(HIPAA_CONFORMANCE_PACK).toContain(a.id);
    for (const a of ANCHOR_RULES.filter((x) => x.anchor === "cdk-nag"))
      expect(a.id).toMatch(/^HIPAA\.Security-[A-Z][A-Za-z0-9]+$/);
  });

  it("give a reason for everything not fully covered, and no reason where a rule covers it", () => {
    const rows = coverage();
    expect(rows.length).toBe(ANCHOR_RULES.length);
    for (const r of rows) {
      if (r.status === "covered") expect([r.id, r.rules.length]).not.toEqual([r.id, 0]);
      else expect([r.id, r.reason.length > 10]).toEqual([r.id, true]);
      const catalogued = ANCHOR_RULES.find((a) => a.anchor === r.anchor && a.id === r.id);
      // A catalogue reason for a rule that is covered after all is stale.
      if (r.rules.length > 0)
        expect(catalogued?.notApplicable ?? catalogued?.notCovered).toBeUndefined();
    }
  });

  it("no longer count s3-bucket-level-public-access-prohibited as part of the HIPAA pack", () => {
    // AWS removed it in January 2025 (awslabs/aws-config-rules d51caec).
    expect(HIPAA_CONFORMANCE_PACK).toHaveLength(130);
    expect(HIPAA_CONFORMANCE_PACK).not.toContain("s3-bucket-level-public-access-prohibited");
  });
});

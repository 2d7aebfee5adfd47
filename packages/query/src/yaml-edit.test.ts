import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "yaml";
import { editYaml } from "./yaml-edit";

const CONFIGS = join(__dirname, "../../../configs");

/** Lines of `after` that differ from `before`, by index (same line count assumed). */
const changedLines = (before: string, after: string): number[] => {
  const a = before.split("\n");
  const b = after.split("\n");
  return a.flatMap((l, i) => (l === b[i] ? [] : [i]));
};

const TABLE = `# yaml-language-server: $schema=../table.schema.json
# Why this table exists.
id: orders
description: "Lab orders" # quoted on purpose
classification: phi
columns:
  - name: order_id   # the key
    type: bigint
    nullable: false
  - name: mrn
    type: string
    classification: phi
load:
  mode: cdc
  keys: [order_id]
layers: [landing, bronze]

# Trailing note.
`;

describe("editYaml", () => {
  it("changes a scalar in place, keeping its quotes, its comment and every other byte", () => {
    const r = editYaml(TABLE, [{ op: "set", path: ["description"], value: "Orders" }]);
    expect(r.text).toBe(TABLE.replace('"Lab orders"', '"Orders"'));
    expect(r.reformatted).toBe(false);
  });

  it("edits a list item found by a field, and keeps the flow style of a list it replaces", () => {
    const r = editYaml(TABLE, [
      {
        op: "set",
        path: ["columns", { key: "name", value: "mrn" }, "classification"],
        value: "pii",
      },
      { op: "set", path: ["load", "keys"], value: ["order_id", "mrn"] },
    ]);
    expect(r.text).toBe(
      TABLE.replace("classification: phi\nload", "classification: pii\nload").replace(
        "keys: [order_id]",
        "keys: [order_id, mrn]",
      ),
    );
  });

  it("creates missing maps (an environment overlay) and prunes them when emptied", () => {
    const added = editYaml(TABLE, [
      { op: "set", path: ["environments", "dev", "enabled"], value: false },
    ]).text;
    expect(parse(added)).toMatchObject({ environments: { dev: { enabled: false } } });
    expect(added.startsWith(TABLE.trimEnd().replace(/\n\n# Trailing note\.$/, ""))).toBe(true);
    const removed = editYaml(added, [
      { op: "delete", path: ["environments", "dev", "enabled"] },
    ]).text;
    expect(removed).toBe(TABLE);
  });

  it("deletes a list item by field and a scalar item by value", () => {
    const r = editYaml(TABLE, [
      { op: "delete", path: ["columns", { key: "name", value: "mrn" }] },
      { op: "delete", path: ["layers", { value: "bronze" }] },
    ]);
    expect(parse(r.text)).toMatchObject({ columns: [{ name: "order_id" }], layers: ["landing"] });
    expect(r.text).toContain("  - name: order_id   # the key\n");
  });

  it("refuses a list item that is not there", () => {
    expect(() =>
      editYaml(TABLE, [
        { op: "set", path: ["columns", { key: "name", value: "nope" }, "type"], value: "x" },
      ]),
    ).toThrow('no item name "nope" under columns');
  });

  it("keeps lines the renderer would respell (padded flow maps) byte for byte", () => {
    const source = `id: lab\nowner: { team: clinical-data, email: a@example.org }\nhospitals: [ a, b ]\nname: Lab\n`;
    const r = editYaml(source, [{ op: "set", path: ["name"], value: "Laboratory" }]);
    expect(r.text).toBe(source.replace("name: Lab", "name: Laboratory"));
    expect(r.reformatted).toBe(false);
  });

  it("changes exactly one line of any sample config when one scalar changes (property)", () => {
    const files = readdirSync(CONFIGS, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".yaml"))
      .sort();
    const leaves = files.flatMap((file) => {
      const text = readFileSync(join(CONFIGS, file), "utf8");
      const data = parse(text) as Record<string, unknown>;
      return Object.entries(data)
        .filter(([, v]) => typeof v === "string" || typeof v === "number")
        .map(([key]) => ({ text, key }));
    });
    expect(leaves.length).toBeGreaterThan(200);
    fc.assert(
      fc.property(
        fc.constantFrom(...leaves),
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,20}[a-z]$/),
        ({ text, key }, value) => {
          const before = parse(text) as Record<string, unknown>;
          fc.pre(before[key] !== value);
          const after = editYaml(text, [{ op: "set", path: [key], value }]).text;
          expect(parse(after)).toEqual({ ...before, [key]: value });
          expect(changedLines(text, after)).toHaveLength(1);
        },
      ),
      { numRuns: 60 },
    );
  });
});

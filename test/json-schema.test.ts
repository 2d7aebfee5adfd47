/**
 * The editor JSON Schemas are generated from the zod schemas. This test fails when the committed
 * files are stale, and checks every sample file with an independent validator (ajv), so the two
 * definitions cannot drift apart.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { renderJsonSchema, SCHEMA_FILES } from "@hdp/config";

const ROOT = join(__dirname, "..");
const SCHEMA_DIR = join(ROOT, "packages/config/schema");
type SchemaName = keyof typeof SCHEMA_FILES;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return name.endsWith(".yaml") ? [p] : [];
  });
}

function schemaFor(file: string): SchemaName {
  if (file.endsWith("platform.yaml")) return "platform.schema.json";
  if (file.includes("/environments/")) return "environment.schema.json";
  if (file.endsWith("/source.yaml")) return "source.schema.json";
  return "table.schema.json";
}

describe("JSON Schema for editors", () => {
  const names = Object.keys(SCHEMA_FILES) as SchemaName[];

  it.each(names)("%s is up to date (run `pnpm schema` to regenerate)", (name) => {
    expect(readFileSync(join(SCHEMA_DIR, name), "utf8")).toBe(renderJsonSchema(name));
  });

  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validators = Object.fromEntries(
    names.map((n) => [
      n,
      ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, n), "utf8")) as object),
    ]),
  ) as Record<SchemaName, ReturnType<typeof ajv.compile>>;

  const samples = [
    ...yamlFiles(join(ROOT, "configs")),
    ...yamlFiles(join(ROOT, "test/fixtures/base")),
  ];

  it("has sample files to check", () => {
    expect(samples.length).toBeGreaterThan(90);
  });

  it.each(samples.map((f) => relative(ROOT, f)))("%s is valid against its JSON Schema", (file) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    const validate = validators[schemaFor(file)];
    const ok = validate(parse(text));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each(samples.filter((f) => f.includes("/configs/")).map((f) => relative(ROOT, f)))(
    "%s points editors at its schema",
    (file) => {
      const first = readFileSync(join(ROOT, file), "utf8").split("\n")[0];
      const expected = relative(join(ROOT, file, ".."), join(SCHEMA_DIR, schemaFor(file)));
      expect(first).toBe(`# yaml-language-server: $schema=${expected}`);
    },
  );

  it("rejects what the loader rejects for shape: an unknown key", () => {
    const table = parse(
      readFileSync(join(ROOT, "test/fixtures/base/sources/lab/tables/orders.yaml"), "utf8"),
    ) as Record<string, unknown>;
    expect(validators["table.schema.json"]({ ...table, colums: [] })).toBe(false);
    expect(validators["table.schema.json"]({ ...table, load: { mode: "cdc" } })).toBe(false);
  });
});

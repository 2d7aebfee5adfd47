// Regenerates packages/config/schema/*.schema.json from the zod schemas: `pnpm schema`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderJsonSchema, SCHEMA_FILES } from "../src/json-schema";

const dir = join(__dirname, "..", "schema");
mkdirSync(dir, { recursive: true });
for (const name of Object.keys(SCHEMA_FILES) as (keyof typeof SCHEMA_FILES)[]) {
  writeFileSync(join(dir, name), renderJsonSchema(name));
  console.log(`wrote ${join("packages/config/schema", name)}`);
}

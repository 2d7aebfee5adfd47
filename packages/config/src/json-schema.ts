/**
 * JSON Schemas for editors (yaml-language-server), generated from the zod schemas so the two
 * cannot drift: a test fails when the committed files are stale.
 */
import { z } from "zod";
import { environment, platform, source, table } from "./schema";

/** The schema files, by file name under `packages/config/schema/`. */
export const SCHEMA_FILES = {
  "platform.schema.json": { schema: platform, title: "health-data-platform: platform.yaml" },
  "environment.schema.json": {
    schema: environment,
    title: "health-data-platform: environments/<env>.yaml",
  },
  "source.schema.json": {
    schema: source,
    title: "health-data-platform: sources/<source>/source.yaml",
  },
  "table.schema.json": {
    schema: table,
    title: "health-data-platform: sources/<source>/tables/<table>.yaml",
  },
} as const;

/** Renders one schema as stable, pretty JSON text. Cross-field rules live in the loader only. */
export function renderJsonSchema(name: keyof typeof SCHEMA_FILES): string {
  const { schema, title } = SCHEMA_FILES[name];
  const json = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  });
  return `${JSON.stringify({ ...json, title }, null, 2)}\n`;
}

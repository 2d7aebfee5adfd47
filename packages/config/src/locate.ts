/** The position of a field in a config file, for tools that point engineers at a line. */
import type { Origin } from "./errors";
import { readYamlFile } from "./yaml-file";

/**
 * Where `field` is in `configs/<file>` (the nearest existing parent when it is missing; line 1
 * when the file cannot be read). A `{ id }` segment is the list item whose `id` is that.
 */
export function locateField(
  configs: string,
  file: string,
  field: readonly (string | number | { readonly id: string })[],
): Origin {
  const r = readYamlFile(configs, file);
  if (!r.ok) return { file, line: 1, column: 1 };
  const path: PropertyKey[] = [];
  let node: unknown = r.parsed.data;
  for (const seg of field) {
    let key: PropertyKey = typeof seg === "object" ? -1 : seg;
    if (typeof seg === "object" && Array.isArray(node)) {
      key = node.findIndex((x) => (x as { id?: unknown } | null)?.id === seg.id);
    }
    if (key === -1) break;
    path.push(key);
    node = (node as Record<PropertyKey, unknown> | undefined)?.[key];
  }
  return { file, ...r.parsed.locate(path) };
}

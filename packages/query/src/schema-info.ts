/** What `hdp query --schema` lists: every table and column with its description. */
import { TABLES } from "./catalog";
import type { ColumnType } from "./define";

export interface ColumnSchema {
  readonly name: string;
  readonly type: ColumnType;
  readonly writable: boolean;
  /** Where a written value goes in the entry's YAML, e.g. `load.keys`. */
  readonly yamlPath?: string;
  readonly description: string;
}

export interface TableSchema {
  readonly name: string;
  readonly description: string;
  readonly key: readonly string[];
  /** What DELETE does, when it is allowed. */
  readonly delete?: string;
  readonly columns: readonly ColumnSchema[];
}

const DELETES = {
  file: "DELETE removes the table's file (and the table from declared pipelines)",
  entry: "DELETE removes the entry from its file",
} as const;

/** The tables in the order they are listed, as plain data. */
export function schemaOf(): TableSchema[] {
  return TABLES.map((t) => ({
    name: t.name,
    description: t.description,
    key: t.key,
    ...(t.delete !== undefined ? { delete: DELETES[t.delete] } : {}),
    columns: t.columns.map((c) => ({
      name: c.name,
      type: c.type,
      writable: c.writable,
      ...(c.write !== undefined
        ? {
            yamlPath: [
              ...(t.name.startsWith("effective_") ? ["environments.<env>"] : []),
              ...c.write.path,
            ].join("."),
          }
        : {}),
      description: c.description,
    })),
  }));
}

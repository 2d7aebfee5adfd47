/** Every SQL table, in the order `--schema` lists them, and the DDL that creates them. */
import type { SqlTable } from "./define";
import { domains, environments, hospitals } from "./tables-platform";
import { effectivePipelines, effectiveSources, pipelines, sources } from "./tables-sources";
import { columns, effectiveTables, tables } from "./tables-tables";

export const TABLES: readonly SqlTable[] = [
  hospitals,
  domains,
  environments,
  sources,
  tables,
  columns,
  pipelines,
  effectiveSources,
  effectiveTables,
  effectivePipelines,
];

const byName = new Map(TABLES.map((t) => [t.name, t]));

/** The table called `name` (case-insensitive), if any. */
export const tableNamed = (name: string): SqlTable | undefined => byName.get(name.toLowerCase());

/** The attached in-memory database the tables live in (`estate.tables` always means all rows). */
export const SCHEMA = "estate";

const SQL_TYPES = { text: "TEXT", integer: "INTEGER", boolean: "BOOLEAN", json: "TEXT" } as const;

/** Quotes an identifier for SQLite. */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** CREATE TABLE of one table (indexes come after its rows: building them once is cheaper). */
export function createTableSql(t: SqlTable): string {
  const cols = t.columns.map((c) => `${ident(c.name)} ${SQL_TYPES[c.type]}`).join(", ");
  return `CREATE TABLE ${SCHEMA}.${ident(t.name)} (${cols});`;
}

/** CREATE INDEX statements of one table: its natural key and its declared indexes. */
export function createIndexSql(t: SqlTable): string {
  return [t.key, ...t.indexes]
    .map(
      (cols, i) =>
        `CREATE INDEX ${SCHEMA}.${ident(`${t.name}_i${i}`)} ON ${ident(t.name)} (${cols.map(ident).join(", ")});`,
    )
    .join("\n");
}

/** Drops the indexes {@link createIndexSql} makes (those that exist). */
export function dropIndexSql(t: SqlTable): string {
  return [t.key, ...t.indexes]
    .map((_, i) => `DROP INDEX IF EXISTS ${SCHEMA}.${ident(`${t.name}_i${i}`)};`)
    .join("\n");
}

/** What a statement may be, and the errors and hints of the guard rails around the engine. */
import type * as Config from "@hdp/config";
import { TABLES } from "./catalog";
import { QueryError } from "./errors";

/** Statements a read may start with. */
export const READ_KINDS: ReadonlySet<string> = new Set(["SELECT", "WITH", "VALUES", "EXPLAIN"]);
/** Statements `--write` runs (a SELECT among them changes nothing). */
export const WRITE_KINDS: ReadonlySet<string> = new Set(["UPDATE", "DELETE", "WITH", "SELECT"]);

export const readOnly = (kind: string): QueryError =>
  new QueryError(`${kind || "this statement"} changes data, and hdp query is read-only`, {
    kind: "read-only",
    hint: "add --write to apply UPDATE or DELETE to the YAML files (--dry-run shows the diff only)",
  });

export function unsupportedStatement(kind: string): QueryError {
  const hint =
    kind === "INSERT" || kind === "REPLACE"
      ? "to add a table or source, create its YAML file under configs/"
      : "hdp query reads with SELECT; --write applies UPDATE and DELETE to the YAML";
  return new QueryError(`${kind || "this statement"} is not supported by hdp query`, {
    kind: "unsupported",
    hint,
  });
}

const ALL_COLUMNS = [...new Set(TABLES.flatMap((t) => t.columns.map((c) => c.name)))];
const TABLE_NAMES = TABLES.map((t) => t.name);

/** A hint for an engine message: the column or table meant, or how to disambiguate. */
export function hintFor(msg: string): { hint?: string } {
  const col = /^no such column: (?:.*\.)?(\S+)$/.exec(msg);
  const table = /^no such table: (?:.*\.)?(\S+)$/.exec(msg);
  const ambiguous = /^ambiguous column name: (\S+)$/.exec(msg);
  const suggest = (word: string, from: readonly string[]) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: an error's hint only
    (require("@hdp/config") as typeof Config).didYouMean(word, from).replace(/^; /, "");
  let hint = "";
  if (col !== null) hint = suggest(col[1], ALL_COLUMNS) || "hdp query --schema lists every column";
  else if (table !== null)
    hint = suggest(table[1], TABLE_NAMES) || `tables: ${TABLE_NAMES.join(", ")}`;
  else if (ambiguous !== null) hint = `qualify it with its table, e.g. tables.${ambiguous[1]}`;
  return hint === "" ? {} : { hint };
}

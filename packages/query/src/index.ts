// @hdp/query: SQL over the config tree; UPDATE writes back to YAML.
export {
  DIGEST,
  EstateDatabase,
  type OpenOptions,
  type QueryResult,
  type RowChange,
  type SavedDatabase,
  type TableDigests,
} from "./database";
export { TABLES, tableNamed } from "./catalog";
export type { ColumnInfo, ColumnType, SqlTable, SqlValue, WriteSpec } from "./define";
export { formatQueryError, QueryError, type QueryErrorKind } from "./errors";
export { schemaOf, type ColumnSchema, type TableSchema } from "./schema-info";
import type * as WriteBack from "./write-back";
import type * as YamlEditor from "./yaml-edit";
export type { FileChange, WriteBackOptions, WriteBackResult, WriteStatus } from "./write-back";
export type { EditedText, YamlEdit } from "./yaml-edit";

// Writing back (the YAML editor, diff, the loader) is loaded when first used: a read query on
// `hdp query`'s saved database needs none of it.

/** Applies UPDATE/DELETE statements to the YAML files (see write-back.ts). */
export const writeBack: typeof WriteBack.writeBack = (...args) =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see above
  (require("./write-back") as typeof WriteBack).writeBack(...args);

/** Edits YAML text in place, keeping comments and layout (see yaml-edit.ts). */
export const editYaml: typeof YamlEditor.editYaml = (...args) =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: see above
  (require("./yaml-edit") as typeof YamlEditor).editYaml(...args);

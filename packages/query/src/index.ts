// @hdp/query: SQL over the config tree; UPDATE writes back to YAML.
export { EstateDatabase, type OpenOptions, type QueryResult, type RowChange } from "./database";
export { TABLES, tableNamed } from "./catalog";
export type { ColumnInfo, ColumnType, SqlTable, SqlValue, WriteSpec } from "./define";
export { formatQueryError, QueryError, type QueryErrorKind } from "./errors";
export { schemaOf, type ColumnSchema, type TableSchema } from "./schema-info";
export {
  writeBack,
  type FileChange,
  type WriteBackOptions,
  type WriteBackResult,
  type WriteStatus,
} from "./write-back";
export { editYaml, type EditedText, type YamlEdit } from "./yaml-edit";

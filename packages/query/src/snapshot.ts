/**
 * Saving the filled database as an SQLite file and opening it again, for `hdp query`'s cache.
 *
 * sql.js keeps every database in Emscripten's in-memory file system and exposes only the bytes
 * of a connection's main file (`export()`) and a constructor from bytes. So the rows of a
 * database that may be saved live in the main file of a second connection (the holder),
 * attached by the path SQLite reports for it as `estate`; saving exports the holder's bytes.
 * Opening constructs a holder from the bytes and attaches it the same way: the very layout of
 * a database built from the estate (an empty main database, the rows in `estate`), so queries,
 * `sqlite_master` included, cannot tell the two apart.
 */
import type initSqlJs from "sql.js";
import { SCHEMA, TABLES } from "./catalog";

/** The path of a connection's main database file, as an SQL string literal. */
export const fileLiteral = (db: initSqlJs.Database): string =>
  `'${mainFile(db).replaceAll("'", "''")}'`;

/** The path of a connection's main database file, as SQLite reports it. */
function mainFile(db: initSqlJs.Database): string {
  const rows = db.exec("SELECT file FROM pragma_database_list WHERE name = 'main'");
  const file = rows[0]?.values[0]?.[0];
  if (typeof file !== "string" || file === "") {
    throw new Error("sql.js: the main database has no file to attach");
  }
  return file;
}

/**
 * A connection with the snapshot `bytes` attached as `estate`, and the connection that holds
 * the file open (close both). Throws when the bytes are not an SQLite file with every table.
 */
export function attachSnapshot(
  SQL: initSqlJs.SqlJsStatic,
  bytes: Uint8Array,
): { holder: initSqlJs.Database; db: initSqlJs.Database } {
  const holder = new SQL.Database(bytes);
  const db = new SQL.Database();
  try {
    db.exec(`ATTACH DATABASE ${fileLiteral(holder)} AS ${SCHEMA}; PRAGMA temp_store = MEMORY;`);
    // Reads the schema (a file that is no database fails here) and checks every table is there.
    const names = new Set(
      (
        db.exec(`SELECT name FROM ${SCHEMA}.sqlite_master WHERE type = 'table'`)[0]?.values ?? []
      ).map((r) => String(r[0])),
    );
    const missing = TABLES.filter((t) => !names.has(t.name)).map((t) => t.name);
    if (missing.length > 0) throw new Error(`not a snapshot: no table ${missing.join(", ")}`);
    return { holder, db };
  } catch (e) {
    db.close();
    holder.close();
    throw e;
  }
}

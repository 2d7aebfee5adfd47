import { writeFileSync } from "node:fs";
import { loadEstate } from "@hdp/config";
import { EstateDatabase } from "@hdp/query";
import initSqlJs from "sql.js";
async function main() {
  let t = Date.now();
  const r = loadEstate("/tmp/hs");
  console.log("load", Date.now() - t);
  t = Date.now();
  const db = await EstateDatabase.open(r.estate);
  db.loadAll();
  console.log("fill", Date.now() - t);
  const inner = (db as unknown as { db: initSqlJs.Database }).db;
  const SQL = await initSqlJs();
  const holder = new SQL.Database();
  const file = holder.exec("PRAGMA database_list")[0].values[0][2] as string;
  console.log("holder file", file);
  t = Date.now();
  inner.exec("PRAGMA query_only = OFF");
  inner.exec(`VACUUM estate INTO '${file}'`);
  const bytes = holder.export();
  console.log("vacuum+export", Date.now() - t, bytes.length);
  writeFileSync("/tmp/warmidx-proto.sqlite", bytes);
}
void main();

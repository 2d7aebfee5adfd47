import { readFileSync } from "node:fs";
import initSqlJs from "sql.js";
async function main() {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync("/tmp/warmidx-proto.sqlite"));
  try { console.log(JSON.stringify(db.exec("SELECT name, count(*)*4096/1048576 AS mb FROM dbstat GROUP BY name ORDER BY 2 DESC")[0].values)); } catch (e) { console.log("no dbstat", String(e)); }
  console.log(JSON.stringify(db.exec("SELECT rowid, key FROM tables LIMIT 3")[0].values));
}
void main();

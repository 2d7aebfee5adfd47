import { readFileSync } from "node:fs";
import { EstateDatabase } from "@hdp/query";
async function main() {
  const t0 = Date.now(); const c0 = process.cpuUsage();
  const bytes = readFileSync("/tmp/warmidx-proto.sqlite");
  console.log("read", Date.now() - t0);
  const db = await EstateDatabase.openSnapshot(bytes, ["dev", "prod", "stage"], { env: "dev" });
  console.log("open", Date.now() - t0);
  for (const q of ["SELECT count(*) FROM tables", "SELECT key, file, line FROM tables WHERE id = 't_12' AND source = 'bed-board-1'", "SELECT count(*) FROM columns WHERE name LIKE '%ssn%'", "SELECT count(*) FROM effective_tables WHERE enabled", "SELECT count(*) FROM estate.sqlite_master"]) {
    const t = Date.now(); console.log(JSON.stringify(db.query(q).rows).slice(0, 100), Date.now() - t);
  }
  const cu = process.cpuUsage(c0);
  console.log("total", Date.now() - t0, "cpu", (cu.user + cu.system) / 1000 | 0, "rss", process.memoryUsage().rss / 2 ** 20 | 0);
}
void main();

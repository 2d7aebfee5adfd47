import { loadEstate } from "@hdp/config";
const dir = process.argv[2]!;
for (let i = 0; i < 3; i++) {
  const t = Date.now();
  const r = loadEstate(dir);
  console.log(r.ok, r.estate.tables.length, Date.now() - t, "ms");
}

import initSqlJs from "sql.js";
async function main() {
  const SQL = await initSqlJs();
  const fill = (db: initSqlJs.Database, schema: string) => {
    db.exec(`CREATE TABLE ${schema}.t (a TEXT, b INTEGER, c TEXT)`);
    db.exec("BEGIN");
    const st = db.prepare(`INSERT INTO ${schema}.t VALUES (?, ?, ?)`);
    for (let i = 0; i < 300000; i++) { st.bind([`key-${i}-${"x".repeat(100)}`, i, "y".repeat(150)]); st.step(); }
    st.free();
    db.exec(`CREATE INDEX ${schema}.ti ON t (a)`);
    db.exec("COMMIT");
  };
  let t = Date.now();
  const a = new SQL.Database(); a.exec("ATTACH ':memory:' AS estate"); fill(a, "estate"); console.log(":memory:", Date.now() - t);
  t = Date.now();
  const out = new SQL.Database(); const f = out.exec("PRAGMA database_list")[0].values[0][2];
  a.exec(`VACUUM estate INTO '${f}'`); const bytes = out.export(); console.log("vacuum+export", Date.now() - t, bytes.length);
  t = Date.now();
  const b = new SQL.Database(); b.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; PRAGMA locking_mode = EXCLUSIVE"); fill(b, "main"); console.log("main memfs nojournal", Date.now() - t);
  t = Date.now(); const b2 = b.export(); console.log("export", Date.now() - t, b2.length);
  t = Date.now();
  const c = new SQL.Database(); fill(c, "main"); console.log("main memfs default", Date.now() - t);
}
void main();

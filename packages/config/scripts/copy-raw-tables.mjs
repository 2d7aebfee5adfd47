// prepack: copies the ingest code's raw parsers manifest (`pipelines/src/hdp_pipelines/
// raw_tables.json` of the repository) into this package as `pipelines/raw_tables.json`, so a
// packed @hdp/config validates raw-format tables against the same list (`rawTablesCandidates`
// looks there first). Usage: node scripts/copy-raw-tables.mjs [DEST_PACKAGE_DIR]
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const from = join(pkg, "..", "..", "pipelines", "src", "hdp_pipelines", "raw_tables.json");
const to = join(resolve(process.argv[2] ?? pkg), "pipelines", "raw_tables.json");
if (!existsSync(from)) {
  console.error(`copy-raw-tables: no manifest at ${from}`);
  process.exit(1);
}
mkdirSync(dirname(to), { recursive: true });
copyFileSync(from, to);
// stderr: `pnpm pack --json` prints its JSON on stdout, after lifecycle scripts.
console.error(`copy-raw-tables: ${from} -> ${to}`);

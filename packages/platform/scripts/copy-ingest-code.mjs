// prepack: copies the ingest code (`pipelines/src/hdp_pipelines/**/*.py` of the repository) into
// this package as `pipelines/hdp_pipelines/`, so a packed @hdp/platform deploys the same files
// (`ingestCodeDir` looks there first). Usage: node scripts/copy-ingest-code.mjs [DEST_PACKAGE_DIR]
import { cpSync, existsSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const from = join(pkg, "..", "..", "pipelines", "src", "hdp_pipelines");
const to = join(resolve(process.argv[2] ?? pkg), "pipelines", "hdp_pipelines");
if (!existsSync(join(from, "entry.py"))) {
  console.error(`copy-ingest-code: no ingest code at ${from}`);
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, {
  recursive: true,
  filter: (src) => !src.includes("__pycache__") && !src.endsWith(".pyc"),
});
// stderr: `pnpm pack --json` prints its JSON on stdout, after lifecycle scripts.
console.error(`copy-ingest-code: ${from} -> ${to}`);

/**
 * `hdp validate` end to end at the health-system preset's size: cold (`--no-cache`) against
 * warm (answered from the cache of file content hashes), in the same run; target warm < 2 s.
 *
 *   pnpm bench:validate [CONFIGS_DIR]   (default: generates the preset into a temp dir)
 *
 * Run `pnpm build` first to time the published entry (dist) as well as the repo's launcher.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { coldVersusWarm, machine, presetEstate } from "./end-to-end";

const estate = presetEstate(process.argv[2]);
try {
  const source = readdirSync(join(estate.dir, "sources")).sort()[0];
  const table = readdirSync(join(estate.dir, "sources", source, "tables")).sort()[0];
  coldVersusWarm("validate", estate.dir, ["validate"], `sources/${source}/tables/${table}`);
  console.log(`\n${machine()}`);
} finally {
  estate.cleanup();
}

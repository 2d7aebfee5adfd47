// Regenerates packages/policy/config/<env>.json from configs/environments:
//   npx tsx --conditions=@hdp/source packages/policy/scripts/write-pack-config.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import { packConfigFiles } from "../src/pack-config-files";

const dir = join(__dirname, "..", "config");
mkdirSync(dir, { recursive: true });
const files = packConfigFiles(loadEstateOrThrow(join(__dirname, "..", "..", "..", "configs")));
for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(dir, name), text);
  console.log(`wrote ${join("packages/policy/config", name)}`);
}

// Regenerates packages/policy/config/<env>.json from configs/environments, formatted as Prettier
// formats them (the repository's .prettierrc):
//   npx tsx --conditions=@hdp/source packages/policy/scripts/write-pack-config.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import { packConfigFiles } from "../src/pack-config-files";
import { formatPackConfig } from "./format-pack-config";

function main(): void {
  const dir = join(__dirname, "..", "config");
  mkdirSync(dir, { recursive: true });
  const files = packConfigFiles(loadEstateOrThrow(join(__dirname, "..", "..", "..", "configs")));
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, formatPackConfig(path, text));
    console.log(`wrote ${join("packages/policy/config", name)}`);
  }
}

main();

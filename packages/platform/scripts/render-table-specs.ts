// Writes every environment's table specs: <out>/<env>/specs/<source>/<table>.json.
//   tsx --conditions=@hdp/source packages/platform/scripts/render-table-specs.ts --configs configs --out DIR
// The pipelines' pytest suite runs it to check that the Python spec loader accepts every spec.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { loadEstateOrThrow } from "@hdp/config";
import { renderTableSpecs } from "../src/table-spec";

const { values } = parseArgs({
  options: { configs: { type: "string", default: "configs" }, out: { type: "string" } },
});
if (values.out === undefined) {
  console.error("usage: render-table-specs.ts --configs DIR --out DIR");
  process.exit(2);
}
const estate = loadEstateOrThrow(values.configs);
let count = 0;
for (const env of estate.environments) {
  for (const spec of renderTableSpecs(estate, env.name)) {
    const file = join(values.out, env.name, spec.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, spec.content);
    count += 1;
  }
}
console.log(`wrote ${count} table specs under ${values.out}`);

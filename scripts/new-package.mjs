// Scaffolds packages/<name> with the house layout (package.json, tsconfigs, src/index.ts).
// Usage: node scripts/new-package.mjs <name> "<description>" [dep ...]
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import * as prettier from "prettier";

/** Writes `value` as JSON the way the repository's Prettier settings format it (the test
 * command's format check then passes: `JSON.stringify` alone spreads short arrays over lines). */
async function writeJson(file, value) {
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(value), { ...options, filepath: file }));
}

const [name, description, ...deps] = process.argv.slice(2);
if (!name || !description) {
  console.error('usage: node scripts/new-package.mjs <name> "<description>" [dep ...]');
  process.exit(2);
}
const dir = join("packages", name);
if (existsSync(dir)) {
  console.error(`${dir} exists`);
  process.exit(1);
}
mkdirSync(join(dir, "src"), { recursive: true });
const internal = deps.filter((d) => d.startsWith("@hdp/"));
const pkg = {
  name: `@hdp/${name}`,
  version: "0.1.0",
  description,
  license: "UNLICENSED",
  main: "./dist/index.js",
  types: "./dist/index.d.ts",
  exports: {
    ".": {
      "@hdp/source": "./src/index.ts",
      types: "./dist/index.d.ts",
      default: "./dist/index.js",
    },
    "./package.json": "./package.json",
  },
  files: ["dist", "!dist/**/*.test.*", "!dist/**/*.tsbuildinfo", "README.md"],
  publishConfig: {
    exports: {
      ".": { types: "./dist/index.d.ts", default: "./dist/index.js" },
      "./package.json": "./package.json",
    },
  },
  scripts: { build: "tsc -b tsconfig.build.json" },
  dependencies: Object.fromEntries(internal.map((d) => [d, "workspace:*"])),
};
await writeJson(join(dir, "package.json"), pkg);
await writeJson(join(dir, "tsconfig.json"), {
  extends: "../../tsconfig.base.json",
  compilerOptions: { noEmit: true, customConditions: ["@hdp/source"] },
  include: ["src"],
});
await writeJson(join(dir, "tsconfig.build.json"), {
  extends: "../../tsconfig.base.json",
  compilerOptions: {
    composite: true,
    rootDir: "src",
    outDir: "dist",
    tsBuildInfoFile: "dist/.tsbuildinfo",
  },
  include: ["src"],
  exclude: ["src/**/*.test.ts", "src/**/__fixtures__/**"],
  references: internal.map((d) => ({ path: `../${d.slice(5)}/tsconfig.build.json` })),
});
writeFileSync(join(dir, "src", "index.ts"), `// @hdp/${name}: ${description}\nexport {};\n`);
console.log(`created ${dir}`);

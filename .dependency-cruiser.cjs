// The import rules of the house, checked by `pnpm lint` (dependency-cruiser; see README "Layout"):
//   no-cycle            no import cycle anywhere, type-only imports included;
//   no-package-internals a package reaches another only through a door its package.json
//                        exports (`@hdp/<name>`, or a declared subpath such as `@hdp/policy/quotas`);
//   doors-only-outside  the root program, test/ and bench/ likewise (fixtures excepted).
// test/lint-deps.test.ts proves each rule fails on a deliberate violation.
const { readdirSync, readFileSync, existsSync } = require("node:fs");
const { join, normalize } = require("node:path");

/** Every file a workspace package's exports map opens to the repository (its doors). */
function doors(root) {
  const out = [];
  const packages = join(root, "packages");
  for (const dir of readdirSync(packages)) {
    const manifest = join(packages, dir, "package.json");
    if (!existsSync(manifest)) continue;
    const exportsMap = JSON.parse(readFileSync(manifest, "utf8")).exports ?? {};
    for (const [key, target] of Object.entries(exportsMap)) {
      const source =
        typeof target === "object" && target !== null ? target["@hdp/source"] : undefined;
      if (key.includes("*") || typeof source !== "string") continue;
      out.push(
        normalize(join("packages", dir, source))
          .split("\\")
          .join("/"),
      );
    }
  }
  return out;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const DOORS = doors(__dirname).map((p) => `^${escape(p)}$`);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      comment: "Import cycles (type-only ones too): move the shared types down a level.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-package-internals",
      comment:
        "Another package is reached through its door (`@hdp/<name>`), never a file inside it.",
      severity: "error",
      from: { path: "^packages/([^/]+)/" },
      to: { path: "^packages/[^/]+/", pathNot: ["^packages/$1/", ...DOORS] },
    },
    {
      name: "doors-only-outside",
      comment:
        "The root program, test/ and bench/ use packages' doors (shared test fixtures excepted).",
      severity: "error",
      from: { path: "^(index\\.ts$|test/|bench/)" },
      to: { path: "^packages/[^/]+/", pathNot: [...DOORS, "/__fixtures__/"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|coverage)/|^test/fixtures/|^\\.hdp/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      // Workspace packages resolve to their sources, as in tsc and jest.
      conditionNames: ["@hdp/source", "types", "require", "node", "default"],
      exportsFields: ["exports"],
      mainFields: ["types", "main"],
      extensions: [".ts", ".js", ".cjs", ".mjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

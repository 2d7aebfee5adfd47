/**
 * One jest run for the whole monorepo. Workspace packages resolve to their TypeScript sources
 * through the "@hdp/source" export condition, so tests need no build step; @swc/jest strips
 * types (type-checking is `tsc`'s job, run as its own step).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: "node",
  testEnvironmentOptions: { customExportConditions: ["@hdp/source", "node", "node-addons"] },
  roots: ["<rootDir>/packages", "<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  modulePathIgnorePatterns: ["<rootDir>/packages/[^/]+/dist/"],
  // @faker-js/faker and hyparquet(-writer) ship ES modules only: swc compiles them to CommonJS
  // like our sources (jest's runtime cannot require ES modules on Node 20).
  transformIgnorePatterns: [
    "/node_modules/(?!\\.pnpm/(@faker-js\\+faker|hyparquet)|@faker-js/|hyparquet)",
  ],
  transform: {
    "^.+\\.(ts|js|mjs)$": [
      "@swc/jest",
      {
        jsc: { target: "es2022", parser: { syntax: "typescript" } },
        module: { type: "commonjs" },
        sourceMaps: "inline",
      },
    ],
  },
  testTimeout: 60000,
};

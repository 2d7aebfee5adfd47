// The policy pack's entry point for the Pulumi CLI (package.json `main`).
//
// `pulumi preview --policy-pack <this folder>` starts @pulumi/pulumi's `cmd/run-policy-pack` with
// the folder as its working directory and program; the runner registers ts-node and require()s
// the folder, so Node loads package.json `main` (PulumiPolicy.yaml's `main` is not read for
// Node.js packs). Constructing the pack starts its gRPC server, which is why the library
// (`import "@hdp/policy"`, the `exports` map) is a separate module that never constructs one.
//
// - In a checkout with NODE_OPTIONS=--conditions=@hdp/source, every @hdp package resolves to its
//   TypeScript sources: run src/pack.ts (nothing to build first).
// - Otherwise (the published package, or a checkout after `pnpm build`): run dist/pack.js.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const source = join(__dirname, "src", "pack.ts");
const built = join(__dirname, "dist", "pack.js");

/** Whether this process resolves workspace packages to their sources (the @hdp/source condition). */
function sourcesSelected() {
  try {
    return require.resolve("@hdp/config").endsWith(".ts");
  } catch {
    return false;
  }
}

if (existsSync(source) && sourcesSelected()) {
  require(source);
} else if (existsSync(built)) {
  require(built);
} else {
  throw new Error(
    `@hdp/policy is not built (${built} is missing): run \`pnpm build\` in the repository, ` +
      "or set NODE_OPTIONS=--conditions=@hdp/source to run the pack from its TypeScript sources",
  );
}

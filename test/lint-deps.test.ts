/**
 * The import rules of `.dependency-cruiser.cjs` (run by `pnpm lint` and `pnpm test`): each fails
 * on a deliberate violation in a small workspace built in a temp directory, a clean workspace
 * passes, and so does this repository.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const ROOT = join(__dirname, "..");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");
// The root devDependency (its exports map hides package.json from require.resolve).
const DEPCRUISE = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

interface Cruise {
  readonly status: number | null;
  readonly output: string;
}

function cruise(cwd: string, paths: readonly string[]): Cruise {
  const r = spawnSync(
    process.execPath,
    [DEPCRUISE, "--config", ".dependency-cruiser.cjs", "--output-type", "err", ...paths],
    { cwd, encoding: "utf8" },
  );
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

type Files = Readonly<Record<string, string>>;

/** Two packages `@hdp/a` (door src/index.ts, internal src/inner.ts) and `@hdp/b`, plus `test/`. */
const CLEAN: Files = {
  "packages/a/src/index.ts": 'export { inner } from "./inner";\n',
  "packages/a/src/inner.ts": "export const inner = 1;\n",
  "packages/b/src/index.ts": 'import { inner } from "@hdp/a";\nexport const b = inner + 1;\n',
  "test/b.test.ts": 'import { b } from "@hdp/b";\nexport const t = b;\n',
};

function workspace(files: Files): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "hdp-lint-deps-"));
  copyFileSync(CONFIG, join(dir, ".dependency-cruiser.cjs"));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "node16", strict: true }, include: ["**/*.ts"] }),
  );
  for (const name of ["a", "b"]) {
    const pkg = join(dir, "packages", name);
    mkdirSync(join(pkg, "src"), { recursive: true });
    const exportsMap = { ".": { "@hdp/source": "./src/index.ts", default: "./dist/index.js" } };
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({ name: `@hdp/${name}`, exports: exportsMap }),
    );
    mkdirSync(join(dir, "node_modules", "@hdp"), { recursive: true });
    symlinkSync(pkg, join(dir, "node_modules", "@hdp", name), "dir");
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function cruiseWorkspace(files: Files): Cruise {
  const ws = workspace(files);
  try {
    return cruise(ws.dir, ["packages", "test"]);
  } finally {
    ws.cleanup();
  }
}

describe("import rules (.dependency-cruiser.cjs)", () => {
  it("passes a workspace that uses only doors and has no cycle", () => {
    const r = cruiseWorkspace(CLEAN);
    expect(r.output).toContain("no dependency violations found");
    expect(r.status).toBe(0);
  });

  it("fails on an import cycle, even one of type-only imports", () => {
    const r = cruiseWorkspace({
      ...CLEAN,
      "packages/a/src/inner.ts":
        'import type { Shape } from "./shape";\nexport const inner = 1;\nexport type Inner = Shape;\n',
      "packages/a/src/shape.ts":
        'import type { Inner } from "./inner";\nexport interface Shape { readonly i?: Inner }\n',
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/error no-cycle: packages\/a\/src\/(inner|shape)\.ts/);
  });

  it("fails on a package importing another package's internals", () => {
    const r = cruiseWorkspace({
      ...CLEAN,
      "packages/b/src/index.ts":
        'import { inner } from "../../a/src/inner";\nexport const b = inner + 1;\n',
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(
      "error no-package-internals: packages/b/src/index.ts → packages/a/src/inner.ts",
    );
  });

  it("fails on a test reaching past a package's door", () => {
    const r = cruiseWorkspace({
      ...CLEAN,
      "test/b.test.ts":
        'import { inner } from "../packages/a/src/inner";\nexport const t = inner;\n',
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(
      "error doors-only-outside: test/b.test.ts → packages/a/src/inner.ts",
    );
  });

  it("passes this repository", () => {
    const r = cruise(ROOT, ["index.ts", "packages", "test", "bench"]);
    expect(r.output).toContain("no dependency violations found");
    expect(r.status).toBe(0);
  });
});

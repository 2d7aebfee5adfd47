import { createHash } from "node:crypto";
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPackageCode } from "./code-digest";
import { codeStamp } from "./parse-cache";

const PACKAGE = join(__dirname, "..");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-code-digest-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of this package's code (src/ and package.json) at `name` under the test directory. */
function copyPackage(name: string): string {
  const to = join(dir, name, "packages", "config");
  cpSync(join(PACKAGE, "src"), join(to, "src"), { recursive: true });
  cpSync(join(PACKAGE, "package.json"), join(to, "package.json"));
  return to;
}

/** Every file under `root` written again with the same bytes, later: what a rebuild does. */
function rewriteAll(root: string): void {
  for (const e of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const f = join(e.parentPath, e.name);
    writeFileSync(f, readFileSync(f));
    const later = new Date(statSync(f).mtimeMs + 60_000);
    utimesSync(f, later, later);
  }
}

const digest = (packageDir: string, codeDir = "src"): string => {
  const h = createHash("sha256");
  hashPackageCode(h, packageDir, codeDir);
  return h.digest("hex");
};

describe("the code key of cached results", () => {
  it("is the same for the same code in another place and after a rebuild", () => {
    const a = copyPackage("checkout-a");
    const b = copyPackage("checkout-b");
    rewriteAll(b);
    expect(digest(b)).toBe(digest(a));
    // This package's parse cache and estate snapshot: the stamp of the running code equals
    // that of a copy elsewhere, so a second checkout of the same commit parses nothing again.
    expect(codeStamp(join(b, "src", "parse-cache.ts"))).toBe(codeStamp());
    expect(codeStamp(join(a, "src", "parse-cache.ts"))).toBe(codeStamp());
  });

  it("changes with any edit of the code, but not of a test", () => {
    const a = copyPackage("a");
    const before = codeStamp(join(a, "src", "parse-cache.ts"));
    const check = join(a, "src", "name-checks.ts");
    writeFileSync(join(a, "src", "load.test.ts"), "// a test edited\n");
    expect(codeStamp(join(a, "src", "parse-cache.ts"))).toBe(before);
    writeFileSync(check, `${readFileSync(check, "utf8")}\n// a check edited\n`);
    expect(codeStamp(join(a, "src", "parse-cache.ts"))).not.toBe(before);
  });

  it("is the code that runs: dist/ when built (declarations and maps aside), src/ through tsx", () => {
    const a = join(dir, "a");
    writeFileSync(join(dir, "package.json"), "{}");
    cpSync(join(dir, "package.json"), join(a, "package.json"));
    for (const [f, text] of [
      ["dist/index.js", "exports.x = 1;\n"],
      ["dist/index.d.ts", "export declare const x = 1;\n"],
      ["src/index.ts", "export const x = 1;\n"],
    ]) {
      cpSync(join(dir, "package.json"), join(a, f)); // makes the directories
      writeFileSync(join(a, f), text);
    }
    const built = digest(a, "dist");
    writeFileSync(join(a, "dist/index.d.ts"), "export declare const x: number;\n");
    writeFileSync(join(a, "dist/index.js.map"), "{}");
    expect(digest(a, "dist")).toBe(built);
    writeFileSync(join(a, "dist/index.js"), "exports.x = 2;\n");
    expect(digest(a, "dist")).not.toBe(built);
    expect(digest(a, "src")).not.toBe(digest(a, "dist"));
  });
});

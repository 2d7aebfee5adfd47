import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rawTablesDigest } from "./raw-tables";

const MANIFEST = join(__dirname, "..", "..", "..", "pipelines", "src", "hdp_pipelines");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-raw-tables-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A checkout at `name`: the package directory, with the ingest code's manifest where the
 * repository keeps it (`../../pipelines/src/hdp_pipelines/raw_tables.json`). */
function checkout(name: string): string {
  const pkg = join(dir, name, "packages", "config");
  mkdirSync(pkg, { recursive: true });
  const pipelines = join(dir, name, "pipelines", "src", "hdp_pipelines");
  mkdirSync(pipelines, { recursive: true });
  cpSync(join(MANIFEST, "raw_tables.json"), join(pipelines, "raw_tables.json"));
  return pkg;
}

describe("rawTablesDigest", () => {
  it("is the same in another checkout of the same manifest (no absolute path in it)", () => {
    const a = rawTablesDigest(checkout("a"));
    expect(rawTablesDigest(checkout("second-checkout"))).toBe(a);
    expect(a).toMatch(/^\.\.\/\.\.\/pipelines\/src\/hdp_pipelines\/raw_tables\.json [0-9a-f]{64}$/);
    // This package's own, in the repository: the same place and bytes as the copies.
    expect(rawTablesDigest()).toBe(a);
  });

  it("changes with the manifest's bytes, and is - when there is none", () => {
    const pkg = checkout("a");
    const before = rawTablesDigest(pkg);
    writeFileSync(join(dir, "a", "pipelines", "src", "hdp_pipelines", "raw_tables.json"), "{}");
    expect(rawTablesDigest(pkg)).not.toBe(before);
    const bare = join(dir, "bare", "packages", "config");
    mkdirSync(bare, { recursive: true });
    expect(rawTablesDigest(bare)).toBe("-");
  });

  it("names the packed place when the package carries its own copy", () => {
    const pkg = join(dir, "installed", "node_modules", "@hdp", "config");
    mkdirSync(join(pkg, "pipelines"), { recursive: true });
    cpSync(join(MANIFEST, "raw_tables.json"), join(pkg, "pipelines", "raw_tables.json"));
    expect(rawTablesDigest(pkg)).toMatch(/^pipelines\/raw_tables\.json [0-9a-f]{64}$/);
  });
});

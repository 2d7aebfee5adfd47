import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { defaultCacheDir, INSTALLATION, programEntry, workspace } from "./workspace";

describe("workspace", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "hdp-ws-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("runs this installation's program for configs in another repository that has its own", () => {
    execFileSync("git", ["init", "-q", dir]);
    mkdirSync(join(dir, "packages", "platform"), { recursive: true });
    writeFileSync(join(dir, "packages", "platform", "package.json"), "{}");
    mkdirSync(join(dir, "configs"));
    const ws = workspace(join(dir, "configs"), undefined);
    expect(ws.codeRoot).toBe(INSTALLATION);
    expect(ws.programModule).toBe(programEntry(INSTALLATION));
    expect(ws.programOverride).toBe(false);
    // Named explicitly, the repository's own program plans, versioned with the configs.
    const own = workspace(join(dir, "configs"), programEntry(dir));
    expect([own.codeRoot, own.programModule, own.programOverride]).toEqual([
      dir,
      programEntry(dir),
      false,
    ]);
  });

  it("treats any other module as a stand-in program", () => {
    const ws = workspace(dir, join(dir, "standin.ts"));
    expect([ws.root, ws.codeRoot, ws.programOverride]).toEqual([undefined, INSTALLATION, true]);
  });
});

describe("defaultCacheDir", () => {
  it("keeps the cache beside the configs' repository", () => {
    expect(defaultCacheDir({ root: "/r" })).toBe(join("/r", ".hdp", "cache", "plan"));
  });

  test.each([
    [{ XDG_CACHE_HOME: "/x" }, "linux", join("/x", "hdp", "plan")],
    [{}, "linux", join("/home/u", ".cache", "hdp", "plan")],
    [{}, "darwin", join("/home/u", "Library", "Caches", "hdp", "plan")],
  ] as const)("outside a repository: %j on %s -> %s", (env, platform, expected) => {
    const got = defaultCacheDir({ root: undefined }, env, "/home/u", platform);
    expect(got).toBe(expected);
    expect(got.startsWith(INSTALLATION)).toBe(false);
  });
});

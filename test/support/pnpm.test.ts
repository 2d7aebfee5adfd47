import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { findPnpm, pinnedPnpm } from "./pnpm";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-find-pnpm-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writePackage = (fields: Record<string, unknown>): void =>
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "x", ...fields }));

describe("findPnpm", () => {
  it("takes the pnpm that started the tests (npm_execpath), a script run by node", () => {
    const script = join(dir, "pnpm.cjs");
    writeFileSync(script, "");
    expect(findPnpm({ npm_execpath: script, PATH: "" }, dir)).toEqual({
      command: process.execPath,
      args: [script],
    });
  });

  it("else the first pnpm on PATH", () => {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "pnpm"), "#!/bin/sh\n");
    chmodSync(join(bin, "pnpm"), 0o755);
    // npm_execpath of `npx jest` is npm's, not pnpm: not taken.
    const env = {
      npm_execpath: join(dir, "npx-cli.js"),
      PATH: join(dir, "none") + delimiter + bin,
    };
    expect(findPnpm(env, dir)).toEqual({ command: join(bin, "pnpm"), args: [] });
  });

  it("else npx --yes with the version package.json pins (as the README and CI run it)", () => {
    writePackage({ packageManager: "pnpm@12.4.2+sha512.abc" });
    expect(findPnpm({ PATH: join(dir, "none") }, dir)).toEqual({
      command: process.platform === "win32" ? "npx.cmd" : "npx",
      args: ["--yes", "pnpm@12.4.2"],
    });
  });

  it("the repository's own pin is the one its scripts use", () => {
    expect(pinnedPnpm()).toBe("pnpm@12.4.2");
  });

  it("says which file pins no pnpm when there is nothing else", () => {
    writePackage({ packageManager: "yarn@4.0.0" });
    expect(() => findPnpm({ PATH: "" }, dir)).toThrow(
      `pnpm not found: ${join(dir, "package.json")} pins no pnpm (packageManager: "yarn@4.0.0";` +
        ` expected "pnpm@<x.y.z>"), and the tests were not started by pnpm`,
    );
  });
});

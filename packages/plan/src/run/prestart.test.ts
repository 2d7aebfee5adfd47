/**
 * When `hdp plan` starts its workers before loading the configs: explicit workers always, an
 * in-process plan never; in auto mode a cold, un-narrowed plan of a large estate only.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PRESTART_MIN_SOURCES, shouldPrestart } from "./prestart";

let dir: string;
let configs: string;
let parseCacheDir: string;
const withSources = (count: number): void => {
  for (let i = 0; i < count; i++) mkdirSync(join(configs, "sources", `s${i}`), { recursive: true });
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-prestart-"));
  configs = join(dir, "configs");
  parseCacheDir = join(dir, "cache");
  mkdirSync(configs);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const auto = { jobs: undefined, narrowed: false };

describe("shouldPrestart", () => {
  it("follows --jobs when given", () => {
    expect(shouldPrestart({ ...auto, jobs: 2, configs, parseCacheDir })).toBe(true);
    expect(shouldPrestart({ ...auto, jobs: 0, configs, parseCacheDir })).toBe(false);
  });

  it("in auto mode, starts them for a cold plan of a large estate only", () => {
    withSources(PRESTART_MIN_SOURCES - 1);
    expect(shouldPrestart({ ...auto, configs, parseCacheDir })).toBe(false);
    withSources(PRESTART_MIN_SOURCES);
    // A plain file among the sources is not a source.
    writeFileSync(join(configs, "sources", "README.md"), "");
    expect(shouldPrestart({ ...auto, configs, parseCacheDir })).toBe(true);
    expect(shouldPrestart({ ...auto, configs, parseCacheDir: undefined })).toBe(true);
    expect(shouldPrestart({ ...auto, narrowed: true, configs, parseCacheDir })).toBe(false);
    // Loaded before through this cache: the plan most likely comes from the plan cache.
    mkdirSync(parseCacheDir);
    writeFileSync(join(parseCacheDir, "estate.v8"), "");
    expect(shouldPrestart({ ...auto, configs, parseCacheDir })).toBe(false);
  });

  it("does not start them for a tree without sources (the load reports it)", () => {
    expect(shouldPrestart({ ...auto, configs, parseCacheDir })).toBe(false);
  });
});

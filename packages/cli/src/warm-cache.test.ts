import { spawn } from "node:child_process";
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize } from "node:v8";
import { run } from "./program";
import { codeKey, defaultIndexCacheDir, WarmCache } from "./warm-cache";

const ROOT = join(__dirname, "../../..");
const BASE = join(ROOT, "test/fixtures/base");

let dir: string;
let configs: string;
let cacheRoot: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-warm-"));
  configs = join(dir, "configs");
  cacheRoot = join(dir, "cache");
  cpSync(BASE, configs, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function hdp(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: dir,
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

/** The commands compared warm against cold: every output format, an env, every table. */
const COMMANDS: string[][] = [
  ["validate"],
  ["validate", "--format", "json"],
  ["validate", "--env", "prod"],
  ["validate", "--env", "nosuch"],
  ["query", "SELECT key, classification, file, line, column FROM tables"],
  ["query", "--format", "json", "SELECT * FROM columns"],
  ["query", "--format", "csv", "SELECT * FROM effective_tables"],
  ["query", "--env", "dev", "SELECT key, enabled FROM effective_tables"],
  ["query", "--env", "nosuch", "SELECT 1"],
  ["query", "SELECT type, name, tbl_name FROM estate.sqlite_master ORDER BY name"],
  ["query", "SELECT * FROM sources s JOIN pipelines p ON p.source = s.id"],
  ["query", "--format", "paths", "SELECT file, line FROM columns WHERE classification = 'phi'"],
  ["query", "SELECT nosuch FROM tables"],
];

/**
 * Runs every command cold (--no-cache), then twice with the cache (the first may fill it, the
 * second reads it), and expects the same stdout, stderr and exit code byte for byte.
 */
async function expectWarmEqualsCold(): Promise<void> {
  for (const cmd of COMMANDS) {
    const [name, ...rest] = cmd;
    const cold = await hdp(name, "--configs", configs, "--no-cache", ...rest);
    const first = await hdp(name, "--configs", configs, "--cache-dir", cacheRoot, ...rest);
    const warm = await hdp(name, "--configs", configs, "--cache-dir", cacheRoot, ...rest);
    expect({ cmd, ...first }).toEqual({ cmd, ...cold });
    expect({ cmd, ...warm }).toEqual({ cmd, ...cold });
  }
}

/**
 * Edits, additions, a stray file, a rename, removals and an environment edit, one after another:
 * after each, every command warm equals cold (see {@link expectWarmEqualsCold}).
 */
async function expectWarmEqualsColdAcrossChanges(): Promise<void> {
  await expectWarmEqualsCold();
  // An error in a table file (a line and column to point at).
  const t = readFileSync(join(configs, TABLE), "utf8");
  writeFileSync(join(configs, TABLE), t.replace(/classification: \w+/, "classification: secret"));
  await expectWarmEqualsCold();
  // A new table that depends on nothing known, and a stray file.
  writeFileSync(
    join(configs, "sources/lab/tables/extra.yaml"),
    t.replace(/^id: \S+$/m, "id: extra").replace(/^dependsOn:.*$/m, "") +
      "\ndependsOn: [lab/nosuch]\n",
  );
  writeFileSync(join(configs, "sources/lab/stray.txt"), "x");
  await expectWarmEqualsCold();
  // Fixed, renamed, the stray file removed.
  writeFileSync(join(configs, TABLE), t);
  rmSync(join(configs, "sources/lab/stray.txt"));
  renameSync(
    join(configs, "sources/lab/tables/extra.yaml"),
    join(configs, "sources/lab/tables/renamed.yaml"),
  );
  await expectWarmEqualsCold();
  // Removed: the original tree again.
  rmSync(join(configs, "sources/lab/tables/renamed.yaml"));
  await expectWarmEqualsCold();
  // A column added in the middle of a table (the rows after it renumbered), then removed again.
  writeFileSync(
    join(configs, TABLE),
    t.replace("  - name: mrn\n", "  - name: added_at\n    type: timestamp\n  - name: mrn\n"),
  );
  await expectWarmEqualsCold();
  writeFileSync(join(configs, TABLE), t);
  await expectWarmEqualsCold();
  // An environment file edited (every effective row depends on it).
  const dev = join(configs, "environments/dev.yaml");
  writeFileSync(dev, readFileSync(dev, "utf8").replace(/phi: \w+/, "phi: real"));
  await expectWarmEqualsCold();
}

const cacheDir = (): string => WarmCache.dirFor(cacheRoot, configs);
const TABLE = "sources/lab/tables/orders.yaml";

describe("the warm cache of hdp validate and hdp query", () => {
  it("answers from the cache when nothing changed (a doctored entry shows through)", async () => {
    const cold = await hdp("validate", "--configs", configs, "--cache-dir", cacheRoot);
    expect(cold.code).toBe(0);
    const file = join(cacheDir(), "validate.json");
    const entry = JSON.parse(readFileSync(file, "utf8")) as {
      value: { totals: { tables: number } };
    };
    expect(entry.value.totals.tables).toBe(4);
    entry.value.totals.tables = 4242;
    writeFileSync(file, JSON.stringify(entry));
    const warm = await hdp("validate", "--configs", configs, "--cache-dir", cacheRoot);
    expect(warm.stdout).toContain("4,242 tables");
    // --no-cache neither reads it ...
    const bypass = await hdp("validate", "--configs", configs, "--no-cache");
    expect(bypass.stdout).toBe(cold.stdout);
    // ... and any change to the tree makes it stale.
    writeFileSync(join(configs, "sources/lab/README.md"), "ignored by the loader");
    expect(
      (await hdp("validate", "--configs", configs, "--cache-dir", cacheRoot)).stdout,
    ).toContain("4,242 tables");
    const t = readFileSync(join(configs, TABLE), "utf8");
    writeFileSync(join(configs, TABLE), `${t}\n`);
    expect((await hdp("validate", "--configs", configs, "--cache-dir", cacheRoot)).stdout).toBe(
      cold.stdout,
    );
  });

  it("answers queries from the saved database when nothing changed", async () => {
    const sql = "SELECT key FROM tables ORDER BY key";
    const cold = await hdp("query", "--configs", configs, "--cache-dir", cacheRoot, sql);
    expect(cold.stdout).toContain("lab/orders");
    const bins = readdirSync(cacheDir()).filter((f) => f.endsWith(".bin"));
    // The database, and its rows' digests (for updating it after an edit).
    expect(bins.sort()).toEqual([
      expect.stringMatching(/^query-[0-9a-f]{16}\.bin$/),
      expect.stringMatching(/^rowdigests-[0-9a-f]{16}\.bin$/),
    ]);
    // Remove the tree's files: a warm answer needs none of their contents, but the index still
    // sees the change and answers afresh (here: the tree is gone).
    const warm = await hdp("query", "--configs", configs, "--cache-dir", cacheRoot, sql);
    expect(warm).toEqual(cold);
    rmSync(join(configs, TABLE));
    const after = await hdp("query", "--configs", configs, "--cache-dir", cacheRoot, sql);
    expect(after.stdout).not.toContain("lab/orders");
    expect(after).toEqual(await hdp("query", "--configs", configs, "--no-cache", sql));
  });

  it("equals a cold run byte for byte across edits, additions, removals and renames", async () => {
    await expectWarmEqualsColdAcrossChanges();
  });

  it("after an edit parses only the edited file, and answers as a cold run", async () => {
    await expectWarmEqualsCold();
    const segments = (): string[] =>
      readdirSync(cacheDir()).filter((f) => f.startsWith("parsed-") && f.endsWith(".v8"));
    const before = new Set(segments());
    expect(before.size).toBeGreaterThan(0);
    const t = readFileSync(join(configs, TABLE), "utf8");
    writeFileSync(join(configs, TABLE), t.replace(/^description: /m, "description: Edited. "));
    await expectWarmEqualsCold();
    const added = segments().filter((f) => !before.has(f));
    expect(added).toHaveLength(1);
    const seg = deserialize(readFileSync(join(cacheDir(), added[0]))) as {
      entries: [string, unknown][];
    };
    expect(seg.entries.map(([k]) => k.split("\0")[0])).toEqual([TABLE]);
  });

  it.each([
    ["garbage", (f: string) => writeFileSync(f, "{ not json")],
    ["an empty file", (f: string) => writeFileSync(f, "")],
    ["a truncated file", (f: string) => truncateSync(f, Math.floor(readFileSync(f).length / 2))],
    [
      "another version's entry (another key)",
      (f: string) => {
        const e = JSON.parse(readFileSync(f, "utf8")) as { key: string };
        writeFileSync(f, JSON.stringify({ ...e, key: "0".repeat(64) }));
      },
    ],
  ])("ignores %s in place of a cache entry", async (_, damage) => {
    await expectWarmEqualsCold();
    const entries = readdirSync(cacheDir()).filter((f) => f.endsWith(".json"));
    expect(entries.sort()).toEqual(["query.json", "rowdigests.json", "validate.json"]);
    for (const f of entries) damage(join(cacheDir(), f));
    await expectWarmEqualsCold();
  });

  it.each([
    ["garbage of the same length", (b: Buffer) => Buffer.alloc(b.length, 7)],
    ["a truncated database", (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))],
    ["an empty file", () => Buffer.alloc(0)],
  ])("ignores %s in place of the saved database or its rows' digests", async (_, damage) => {
    for (const which of ["query-", "rowdigests-"]) {
      await expectWarmEqualsCold();
      const [bin] = readdirSync(cacheDir()).filter(
        (f) => f.startsWith(which) && f.endsWith(".bin"),
      );
      const file = join(cacheDir(), bin);
      writeFileSync(file, damage(readFileSync(file)));
      // Unchanged, then edited: the damaged file is read on the way to an update as well.
      await expectWarmEqualsCold();
      const table = join(configs, TABLE);
      const text = readFileSync(table, "utf8");
      writeFileSync(table, text.replace("Lab orders", `Lab orders (${which})`));
      writeFileSync(file, damage(readFileSync(file)));
      await expectWarmEqualsCold();
      writeFileSync(table, text);
    }
  });

  it("ignores a manifest from another format and works without a writable cache", async () => {
    await expectWarmEqualsCold();
    writeFileSync(join(cacheDir(), "manifest"), "hdp-tree-index 999\nscan 1\nend");
    await expectWarmEqualsCold();
    rmSync(cacheRoot, { recursive: true });
    writeFileSync(cacheRoot, "a file where the cache directory should be");
    await expectWarmEqualsCold();
  });
});

describe("the tree stat-ed on a worker thread while the saved database answers", () => {
  const before = process.env.HDP_INDEX_PARALLEL_FROM;
  beforeEach(() => {
    process.env.HDP_INDEX_PARALLEL_FROM = "0"; // a worker for this small tree too
  });
  afterEach(() => {
    if (before === undefined) delete process.env.HDP_INDEX_PARALLEL_FROM;
    else process.env.HDP_INDEX_PARALLEL_FROM = before;
  });

  it("never shows the saved database's answer once a file changed (run before the check)", async () => {
    const sql = "SELECT key, description FROM tables ORDER BY key";
    const cold = await hdp("query", "--configs", configs, "--cache-dir", cacheRoot, sql);
    expect(cold.stdout).toContain("lab/orders");
    expect(await hdp("query", "--configs", configs, "--cache-dir", cacheRoot, sql)).toEqual(cold);
    // The same size, the same second: only the content hash tells (the manifest's racy rule).
    const t = readFileSync(join(configs, TABLE), "utf8");
    const edited = t.replace(
      /^description: (.)/m,
      (_, c: string) => `description: ${c === "X" ? "Y" : "X"}`,
    );
    expect(edited.length).toBe(t.length);
    expect(edited).not.toBe(t);
    writeFileSync(join(configs, TABLE), edited);
    const warm = await hdp("query", "--configs", configs, "--cache-dir", cacheRoot, sql);
    expect(warm).toEqual(await hdp("query", "--configs", configs, "--no-cache", sql));
    expect(warm.stdout).not.toBe(cold.stdout);
    // An unknown --env on the old database is no answer either once the tree changed.
    writeFileSync(join(configs, TABLE), t);
    const env = ["--env", "nosuch", "SELECT 1"];
    expect(await hdp("query", "--configs", configs, "--cache-dir", cacheRoot, ...env)).toEqual(
      await hdp("query", "--configs", configs, "--no-cache", ...env),
    );
  });

  it("equals a cold run byte for byte across edits, additions, removals and renames", async () => {
    await expectWarmEqualsColdAcrossChanges();
  });
});

describe("concurrent runs", () => {
  it("leave a cache every later run reads correctly, and no partial files", async () => {
    const BIN = join(ROOT, "packages/cli/bin/hdp.cjs");
    const sql = "SELECT key, file, line FROM tables ORDER BY key";
    const runs = [
      ["validate"],
      ["query", sql],
      ["validate", "--format", "json"],
      ["query", "--env", "dev", "SELECT key, enabled FROM effective_tables"],
    ];
    const results = await Promise.all(
      runs.map(
        ([name, ...rest]) =>
          new Promise<{ code: number | null; stdout: string }>((done) => {
            const child = spawn(
              process.execPath,
              [BIN, name, "--configs", configs, "--cache-dir", cacheRoot, ...rest],
              { stdio: ["ignore", "pipe", "inherit"] },
            );
            let stdout = "";
            child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            child.on("close", (code) => done({ code, stdout }));
          }),
      ),
    );
    for (const [i, [name, ...rest]] of runs.entries()) {
      const cold = await hdp(name, "--configs", configs, "--no-cache", ...rest);
      expect({ run: runs[i], ...results[i] }).toEqual({
        run: runs[i],
        code: cold.code,
        stdout: cold.stdout,
      });
      const warm = await hdp(name, "--configs", configs, "--cache-dir", cacheRoot, ...rest);
      expect(warm).toEqual(cold);
    }
    const files = readdirSync(cacheDir());
    expect(files).toEqual(expect.arrayContaining(["manifest", "query.json", "validate.json"]));
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 120_000);
});

describe("codeKey", () => {
  /** A copy of @hdp/cli's code elsewhere, resolving its dependencies as the real one does. */
  function copyCli(name: string): string {
    const to = join(dir, name, "packages", "cli");
    cpSync(join(__dirname, ".."), to, {
      recursive: true,
      filter: (src) => !/[/\\](node_modules|dist)$/.test(src),
    });
    symlinkSync(join(__dirname, "..", "node_modules"), join(to, "node_modules"));
    return to;
  }

  it("is the same for the same code in another checkout, whenever its files were written", () => {
    const copy = copyCli("second-checkout");
    const later = new Date(Date.now() + 3_600_000);
    for (const f of readdirSync(join(copy, "src"))) utimesSync(join(copy, "src", f), later, later);
    expect(codeKey(join(copy, "src", "warm-cache.ts"))).toBe(codeKey());
  });

  it("changes when the code that computes the answers changes", () => {
    const copy = copyCli("edited");
    const file = join(copy, "src", "commands", "query.ts");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n// edited\n`);
    expect(codeKey(join(copy, "src", "warm-cache.ts"))).not.toBe(codeKey());
  });
});

describe("defaultIndexCacheDir", () => {
  it("is beside the configs' repository, else in the user's cache directory", () => {
    expect(defaultIndexCacheDir(BASE)).toBe(join(ROOT, ".hdp", "cache", "index"));
    const outside = mkdtempSync(join(tmpdir(), "hdp-norepo-"));
    try {
      expect(defaultIndexCacheDir(outside, { XDG_CACHE_HOME: "/x" }, "/h", "linux")).toBe(
        join("/x", "hdp", "index"),
      );
      expect(defaultIndexCacheDir(outside, {}, "/h", "linux")).toBe(
        join("/h", ".cache", "hdp", "index"),
      );
      expect(defaultIndexCacheDir(outside, {}, "/h", "darwin")).toBe(
        join("/h", "Library", "Caches", "hdp", "index"),
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

/**
 * Plan workers hold the estate without its tables' columns; each job brings its stack's config
 * slice's (packages/plan/src/run/column-slices.ts). A generated estate, sharded by domain,
 * planned with the real program in this process (the whole estate) and in workers (slice-fed)
 * gives the same bytes and findings; a program that reads columns outside a shard's slice fails
 * loudly (even when it swallows the error) and writes no cache entry; a core stack, whose slice
 * is its whole environment, is served every table's columns.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import { plan, type PlanResult } from "@hdp/plan";
import { generateEstate, writeEstate } from "@hdp/simulate";

const READER = join(__dirname, "fixtures", "slice-reader-program.ts");
const PLATFORM = join(__dirname, "..", "packages", "platform", "src", "index.ts");

let dir: string;
let configs: string;
let shards: string[];
let inProcess: PlanResult;

/** One shard per domain of the sources (the generator shards only estates over the budget). */
function shardByDomain(root: string): string[] {
  const domains = new Set<string>();
  for (const s of readdirSync(join(root, "sources"))) {
    const m = /^domain: (\S+)$/m.exec(
      readFileSync(join(root, "sources", s, "source.yaml"), "utf8"),
    );
    if (m === null) throw new Error(`no domain in ${s}`);
    domains.add(m[1]);
  }
  const ids = [...domains].sort();
  for (const f of readdirSync(join(root, "environments"))) {
    const file = join(root, "environments", f);
    const text = readFileSync(file, "utf8");
    if (!text.includes("  shards: []\n")) throw new Error(`${f}: no empty shard list`);
    const list = ids.map((d) => `  - id: ${d}\n    domains: [${d}]\n`).join("");
    writeFileSync(file, text.replace("  shards: []\n", `  shards:\n${list}`));
  }
  return ids;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hdp-column-slices-"));
  configs = join(dir, "configs");
  writeEstate(generateEstate({ hospitals: 16, sources: 12, tablesPerSource: 6, seed: 5 }), configs);
  shards = shardByDomain(configs);
  inProcess = await plan({ configs, program: PLATFORM, jobs: 0, cacheDir: false });
}, 300_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const stackNames = (r: PlanResult): string[] => r.head.stacks.map((s) => s.stack).sort();

it("plans a sharded estate in slice-fed workers byte for byte as from the whole estate", async () => {
  expect(shards.length).toBeGreaterThanOrEqual(3);
  expect(inProcess.problems).toEqual([]);
  const names = stackNames(inProcess);
  expect(names).toHaveLength(3 * (shards.length + 1));
  for (const s of inProcess.head.stacks) {
    if (!s.ok) throw new Error(`${s.stack}: ${s.messages.join("\n")}`);
    expect(s.summary.resourceCount).toBeGreaterThan(0);
  }
  const workers = await plan({ configs, program: PLATFORM, jobs: 2, cacheDir: false });
  expect(workers.problems).toEqual([]);
  expect(workers.stats.workerCpuMs).toHaveLength(2);
  expect(workers.stats.stacksInProcess).toBe(0);
  expect(stackNames(workers)).toEqual(names);
  expect(workers.inventoryJson()).toBe(inProcess.inventoryJson());
  expect(workers.policy).toEqual(inProcess.policy);
}, 300_000);

it("fails a shard that reads columns outside its slice, loudly, and caches nothing of it", async () => {
  writeFileSync(join(dir, "slice-reader.mode"), "shard\n");
  const cacheDir = join(dir, "cache-shard");
  try {
    const r = await plan({ configs, program: READER, jobs: 2, cacheDir });
    const failed = r.head.stacks.filter((s) => !s.ok).map((s) => s.stack);
    const shardStacks = stackNames(inProcess).filter((s) => !s.endsWith("-core"));
    expect(failed.sort()).toEqual(shardStacks);
    const messages = r.problems.map((p) => `${p.kind} ${p.message}`);
    expect(messages).toHaveLength(shardStacks.length);
    for (const m of messages)
      expect(m).toMatch(
        /^program stack (\S+) \(working tree\): the program failed under mocks:\n {2}stack "\1" read the columns of table "[^"]+", outside its config slice/,
      );
    for (const s of shardStacks) {
      const entries = existsSync(join(cacheDir, s)) ? readdirSync(join(cacheDir, s)) : [];
      expect(entries.filter((f) => f.endsWith(".inventory.json"))).toEqual([]);
    }
    // The cores (which read nothing outside) planned and were cached as usual.
    for (const core of stackNames(inProcess).filter((s) => s.endsWith("-core")))
      expect(readdirSync(join(cacheDir, core)).some((f) => f.endsWith(".inventory.json"))).toBe(
        true,
      );
  } finally {
    rmSync(join(dir, "slice-reader.mode"));
  }
}, 300_000);

it("serves a core stack every table's columns: its slice is the whole environment", async () => {
  const log = join(dir, "core-reads.log");
  writeFileSync(join(dir, "slice-reader.mode"), "core\n");
  try {
    const r = await plan({ configs, program: READER, jobs: 2, cacheDir: false });
    expect(r.problems).toEqual([]);
    expect(r.stats.stacksInProcess).toBe(0);
    expect(r.inventoryJson()).toBe(inProcess.inventoryJson());
    expect(r.policy).toEqual(inProcess.policy);
    // Each core counted every column of the estate, in a worker.
    const columns = loadEstateOrThrow(configs).tables.reduce((n, t) => n + t.columns.length, 0);
    expect(columns).toBeGreaterThan(0);
    const reads = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(" "));
    expect(reads.map(([, stack]) => stack).sort()).toEqual(
      stackNames(inProcess).filter((s) => s.endsWith("-core")),
    );
    for (const [pid, , count] of reads) {
      expect(Number(pid)).not.toBe(process.pid);
      expect(Number(count)).toBe(columns);
    }
  } finally {
    rmSync(join(dir, "slice-reader.mode"));
  }
}, 300_000);

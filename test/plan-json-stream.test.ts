/**
 * `hdp plan --json` written stack by stack (the health-system preset's inventory, 2.46 GB, is
 * beyond V8's longest string): the same bytes as the one-string rendering it replaced, over the
 * sample estate and a generated one, to a file and to stdout (`-`), and no write larger than
 * one stack's entry.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { run } from "@hdp/cli";
import { INVENTORY_FORMAT, plan, type PlanResult } from "@hdp/plan";
import { generateEstate, writeEstate } from "@hdp/simulate";

const CONFIGS = join(__dirname, "..", "configs");

/** The inventory as `renderInventory` built it before streaming (main at 6e0c5a4), verbatim. */
function referenceInventory(
  project: string,
  stacks: readonly { stack: string; json: string }[],
): string {
  const sorted = [...stacks].sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
  const head = `{\n  "format": ${INVENTORY_FORMAT},\n  "project": ${JSON.stringify(project)},\n  "stacks": `;
  if (sorted.length === 0) return `${head}[]\n}\n`;
  return `${head}[\n${sorted.map((s) => `    ${s.json}`).join(",\n")}\n  ]\n}\n`;
}

const reference = (r: PlanResult): string =>
  referenceInventory(
    r.project,
    r.head.stacks.flatMap((s) => (s.ok ? [{ stack: s.stack, json: s.json() }] : [])),
  );

/** A stdout that records each write and drains slowly, asserting no write while it is full. */
class RecordingStdout extends Writable {
  readonly writes: number[] = [];
  private readonly chunks: Buffer[] = [];
  writtenWhileFull = 0;
  constructor() {
    super({ highWaterMark: 64 * 1024 });
  }
  override write(chunk: unknown, ...rest: unknown[]): boolean {
    if (this.writableNeedDrain) this.writtenWhileFull++;
    this.writes.push(Buffer.byteLength(chunk as string));
    return (super.write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error) => void): void {
    this.chunks.push(chunk);
    setImmediate(done);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

async function hdp(cwd: string, argv: string[], stdoutStream?: Writable) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    stdoutStream,
    cwd,
    interactive: false,
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-plan-json-stream-"));
  writeEstate(
    generateEstate({ hospitals: 4, sources: 30, tablesPerSource: 10, seed: 7 }),
    join(dir, "generated"),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ["the sample estate", () => CONFIGS, 6],
  ["a generated estate", () => join(dir, "generated"), 3],
])("hdp plan --json over %s", (_, configsOf, stackCount) => {
  it("writes the bytes the one-string rendering wrote, to a file and to stdout, one stack at a time", async () => {
    const configs = configsOf();
    const cacheDir = join(dir, `cache-${stackCount}`);
    const common = ["plan", "--configs", configs, "--jobs", "0", "--cache-dir", cacheDir];
    const file = join(dir, `inventory-${stackCount}.json`);
    const toFile = await hdp(dir, [...common, "--json", file]);
    expect(toFile.stderr).not.toContain("cannot write");
    expect(toFile.code).toBe(0);

    // The reference from the same plan (every stack from the cache now), rendered the old way.
    const result = await plan({ configs, jobs: 0, cacheDir });
    expect(result.head.stacks.filter((s) => s.ok)).toHaveLength(stackCount);
    const expected = reference(result);
    expect(readFileSync(file, "utf8")).toBe(expected);
    expect(result.inventoryJson()).toBe(expected);

    const stdout = new RecordingStdout();
    const toStdout = await hdp(dir, [...common, "--json", "-"], stdout);
    expect(toStdout.code).toBe(0);
    expect(stdout.text()).toBe(expected);
    // stdout holds the inventory alone; the report went to stderr.
    expect(toStdout.stdout).toBe("");
    expect(toStdout.stderr).toContain("resources (budget");
    // Backpressure respected, and the document never held whole: one write per piece, the
    // largest no larger than the largest stack's entry.
    expect(stdout.writtenWhileFull).toBe(0);
    const largestStack = Math.max(
      ...result.head.stacks.map((s) => (s.ok ? Buffer.byteLength(s.json()) : 0)),
    );
    expect(stdout.writes.length).toBeGreaterThanOrEqual(2 * stackCount);
    expect(Math.max(...stdout.writes)).toBe(largestStack);
    expect(Math.max(...stdout.writes)).toBeLessThan(Buffer.byteLength(expected) / 2);
  }, 600_000);
});

it("ends quietly, exit 0, when the reader closes the pipe early (hdp plan --json - | head)", () => {
  const configs = join(dir, "generated");
  const bin = join(__dirname, "..", "packages/cli/src/bin.ts");
  const hdpCommand = [
    JSON.stringify(process.execPath),
    "--import tsx --conditions=@hdp/source",
    JSON.stringify(bin),
    `plan --configs ${JSON.stringify(configs)} --jobs 0 --cache-dir ${JSON.stringify(join(dir, "cache-pipe"))} --json -`,
  ].join(" ");
  // The inventory (megabytes) is far larger than the pipe's buffer: the writes meet the closed pipe.
  const p = spawnSync(
    "bash",
    [
      "-c",
      `set -o pipefail; ${hdpCommand} 2>${JSON.stringify(join(dir, "err.txt"))} | head -c 100`,
    ],
    {
      cwd: join(__dirname, ".."),
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
    },
  );
  const stderr = readFileSync(join(dir, "err.txt"), "utf8");
  expect(p.stdout).toHaveLength(100);
  expect(p.stdout.startsWith(`{\n  "format": ${INVENTORY_FORMAT},\n  "project": `)).toBe(true);
  expect(stderr).not.toMatch(/EPIPE|Error|at /);
  expect(p.status).toBe(0);
}, 300_000);

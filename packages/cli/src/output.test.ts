import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { CliError } from "./exit-codes";
import { writeOutput } from "./output";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-output-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Pieces counted as they are taken, so a test sees whether the writer stopped pulling. */
function counted(n: number, size: number): { pieces: Iterable<string>; taken: () => number } {
  let taken = 0;
  return {
    pieces: (function* () {
      for (let i = 0; i < n; i++) {
        taken++;
        yield String(i % 10).repeat(size);
      }
    })(),
    taken: () => taken,
  };
}

/** A slow stdout with a small buffer. */
class SlowStdout extends Writable {
  received = 0;
  writtenWhileFull = 0;
  constructor(private readonly closeAfter = Infinity) {
    super({ highWaterMark: 1024 });
  }
  override write(chunk: unknown, ...rest: unknown[]): boolean {
    if (this.writableNeedDrain) this.writtenWhileFull++;
    return (super.write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }
  override _write(chunk: Buffer, _e: BufferEncoding, done: (e?: Error) => void): void {
    this.received += chunk.length;
    if (this.received >= this.closeAfter) {
      // What a closed pipe does: the write fails with EPIPE.
      const e = Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
      setImmediate(() => done(e));
      return;
    }
    setImmediate(done);
  }
}

describe("writeOutput", () => {
  it("waits for stdout to drain before each further write", async () => {
    const out = new SlowStdout();
    const { pieces, taken } = counted(200, 700);
    await expect(writeOutput("--json", "-", pieces, dir, out)).resolves.toBe("complete");
    expect(taken()).toBe(200);
    expect(out.writtenWhileFull).toBe(0);
    await new Promise((r) => out.end(r));
    expect(out.received).toBe(200 * 700);
  });

  it("stops quietly, pulling no more pieces, when the reader closes the pipe", async () => {
    const out = new SlowStdout(10_000);
    out.on("error", () => undefined); // bin.ts's handler, in the real process
    const { pieces, taken } = counted(1000, 700);
    await expect(writeOutput("--json", "-", pieces, dir, out)).resolves.toBe("reader-closed");
    expect(taken()).toBeLessThan(100);
  });

  it("writes a file whole or not at all", async () => {
    const file = join(dir, "inv.json");
    await writeOutput("--json", "inv.json", ["{", '"a": 1', "}"], dir, () => undefined);
    expect(readFileSync(file, "utf8")).toBe('{"a": 1}');
    function* failing(): Generator<string> {
      yield "partial";
      throw new Error("the cache entry went missing");
    }
    await expect(
      writeOutput("--json", "inv.json", failing(), dir, () => undefined),
    ).rejects.toThrow("cannot write --json inv.json: the cache entry went missing");
    // The earlier file stands; no temporary file is left.
    expect(readFileSync(file, "utf8")).toBe('{"a": 1}');
    expect(readdirSync(dir)).toEqual(["inv.json"]);
  });

  it("names the option and the reason when the file cannot be written", async () => {
    const p = writeOutput("--json", "no/such/inv.json", ["x"], dir, () => undefined);
    await expect(p).rejects.toThrow(CliError);
    await expect(
      writeOutput("--json", "no/such/inv.json", ["x"], dir, () => undefined),
    ).rejects.toThrow("cannot write --json no/such/inv.json: no such directory");
  });

  it("writes a device in place instead of renaming a temporary file over it", async () => {
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    await expect(
      writeOutput("--json", "/dev/null", ["a", "b"], dir, () => undefined),
    ).resolves.toBe("complete");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    expect(readdirSync("/dev").filter((f) => f.startsWith(".null."))).toEqual([]);
    expect(existsSync(join(dir, "-"))).toBe(false);
  });

  it("passes pieces to a stdout function one by one", async () => {
    const seen: string[] = [];
    await writeOutput("--json", "-", ["a", "", "bc"], dir, (t) => seen.push(t));
    expect(seen).toEqual(["a", "bc"]);
  });

  it("writes one string to stdout for -, not to a file named -", async () => {
    const seen: string[] = [];
    await expect(
      writeOutput("--markdown", "-", "# plan\n", dir, (t) => seen.push(t)),
    ).resolves.toBe("complete");
    expect(seen).toEqual(["# plan\n"]);
    expect(readdirSync(dir)).toEqual([]);
    const out = new SlowStdout();
    await writeOutput("--policy-json", "-", "{}\n", dir, out);
    await new Promise((r) => out.end(r));
    expect(out.received).toBe(3);
  });

  it("ends quietly when a real pipe's reader closes it (| head -c 10)", async () => {
    const head = spawn("head", ["-c", "10"], { stdio: ["pipe", "pipe", "inherit"] });
    const read: Buffer[] = [];
    head.stdout.on("data", (b: Buffer) => read.push(b));
    const exited = new Promise<number | null>((r) => head.on("close", r));
    // Far more than a pipe's buffer (64 KiB): the writes meet the closed pipe.
    const { pieces, taken } = counted(10_000, 1000);
    await expect(writeOutput("--json", "-", pieces, dir, head.stdin)).resolves.toBe(
      "reader-closed",
    );
    expect(await exited).toBe(0);
    expect(Buffer.concat(read).toString()).toBe("0000000000");
    expect(taken()).toBeLessThan(10_000);
  });

  it("writes a named pipe in place, and a closed one ends quietly", async () => {
    const fifo = join(dir, "out.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const cat = spawn("cat", [fifo], { stdio: ["ignore", "pipe", "inherit"] });
    const read: Buffer[] = [];
    cat.stdout.on("data", (b: Buffer) => read.push(b));
    const exited = new Promise<number | null>((r) => cat.on("close", r));
    await expect(
      writeOutput("--markdown", "out.fifo", "# plan\n", dir, () => undefined),
    ).resolves.toBe("complete");
    expect(await exited).toBe(0);
    expect(Buffer.concat(read).toString()).toBe("# plan\n");
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(["out.fifo"]);

    const head = spawn("head", ["-c", "5", fifo], { stdio: ["ignore", "pipe", "inherit"] });
    const headRead: Buffer[] = [];
    head.stdout.on("data", (b: Buffer) => headRead.push(b));
    const headExited = new Promise<number | null>((r) => head.on("close", r));
    const { pieces } = counted(10_000, 1000);
    await expect(writeOutput("--json", "out.fifo", pieces, dir, () => undefined)).resolves.toBe(
      "reader-closed",
    );
    expect(await headExited).toBe(0);
    expect(Buffer.concat(headRead).toString()).toBe("00000");
  });
});

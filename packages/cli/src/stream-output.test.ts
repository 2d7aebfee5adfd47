import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { CliError } from "./exit-codes";
import { writePieces } from "./stream-output";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-stream-output-"));
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

describe("writePieces", () => {
  it("waits for stdout to drain before each further write", async () => {
    const out = new SlowStdout();
    const { pieces, taken } = counted(200, 700);
    await expect(writePieces("--json", "-", pieces, dir, out)).resolves.toBe("complete");
    expect(taken()).toBe(200);
    expect(out.writtenWhileFull).toBe(0);
    await new Promise((r) => out.end(r));
    expect(out.received).toBe(200 * 700);
  });

  it("stops quietly, pulling no more pieces, when the reader closes the pipe", async () => {
    const out = new SlowStdout(10_000);
    out.on("error", () => undefined); // bin.ts's handler, in the real process
    const { pieces, taken } = counted(1000, 700);
    await expect(writePieces("--json", "-", pieces, dir, out)).resolves.toBe("reader-closed");
    expect(taken()).toBeLessThan(100);
  });

  it("writes a file whole or not at all", async () => {
    const file = join(dir, "inv.json");
    await writePieces("--json", "inv.json", ["{", '"a": 1', "}"], dir, () => undefined);
    expect(readFileSync(file, "utf8")).toBe('{"a": 1}');
    function* failing(): Generator<string> {
      yield "partial";
      throw new Error("the cache entry went missing");
    }
    await expect(
      writePieces("--json", "inv.json", failing(), dir, () => undefined),
    ).rejects.toThrow("cannot write --json inv.json: the cache entry went missing");
    // The earlier file stands; no temporary file is left.
    expect(readFileSync(file, "utf8")).toBe('{"a": 1}');
    expect(readdirSync(dir)).toEqual(["inv.json"]);
  });

  it("names the option and the reason when the file cannot be written", async () => {
    const p = writePieces("--json", "no/such/inv.json", ["x"], dir, () => undefined);
    await expect(p).rejects.toThrow(CliError);
    await expect(
      writePieces("--json", "no/such/inv.json", ["x"], dir, () => undefined),
    ).rejects.toThrow("cannot write --json no/such/inv.json: no such directory");
  });

  it("writes a device in place instead of renaming a temporary file over it", async () => {
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    await expect(
      writePieces("--json", "/dev/null", ["a", "b"], dir, () => undefined),
    ).resolves.toBe("complete");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
    expect(readdirSync("/dev").filter((f) => f.startsWith(".null."))).toEqual([]);
    expect(existsSync(join(dir, "-"))).toBe(false);
  });

  it("passes pieces to a stdout function one by one", async () => {
    const seen: string[] = [];
    await writePieces("--json", "-", ["a", "", "bc"], dir, (t) => seen.push(t));
    expect(seen).toEqual(["a", "bc"]);
  });
});

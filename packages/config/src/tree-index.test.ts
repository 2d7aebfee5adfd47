import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoveredFiles, indexTree, startIndexTree } from "./tree-index";

const FIXTURE = join(__dirname, "..", "..", "..", "test", "fixtures", "base");
const TABLE = "sources/lab/tables/orders.yaml";

let dir: string;
let root: string;
let manifest: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-tree-index-"));
  root = join(dir, "configs");
  cpSync(FIXTURE, root, { recursive: true });
  manifest = join(dir, "cache", "manifest");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Moves the manifest's scan time an hour ahead: every recorded stat counts as settled. */
function settle(): void {
  const buf = readFileSync(manifest);
  const eol = buf.indexOf(10);
  const later = BigInt(Date.now() + 3_600_000) * 1_000_000n;
  const head = buf.toString("latin1", 0, eol).replace(/scan=\d+/, `scan=${later}`);
  expect(head).toContain(`scan=${later}`);
  writeFileSync(manifest, Buffer.concat([Buffer.from(head, "latin1"), buf.subarray(eol)]));
}

describe("indexTree", () => {
  it("hashes every file the loader reads and reads none again once settled", () => {
    const cold = indexTree(root, manifest);
    const files = discoveredFiles(cold.discovered);
    expect(files.length).toBeGreaterThan(5);
    expect(files).toContain(TABLE);
    expect(cold.reread).toBe(files.length);
    expect([...cold.hashes.keys()].sort()).toEqual([...files].sort());
    settle();
    const warm = indexTree(root, manifest);
    expect(warm.reread).toBe(0);
    expect(warm.digest).toBe(cold.digest);
    expect(indexTree(root).digest).toBe(cold.digest); // the same without any manifest
  });

  it("re-reads a file rewritten with the same size and an old mtime (ctime moves)", () => {
    const before = indexTree(root, manifest);
    const abs = join(root, TABLE);
    const old = statSync(abs);
    settle();
    const text = readFileSync(abs, "utf8");
    const edited = text.replace("description:", "descriptioN:");
    expect(edited).not.toBe(text);
    expect(edited.length).toBe(text.length);
    writeFileSync(abs, edited);
    utimesSync(abs, old.atime, old.mtime);
    const after = indexTree(root, manifest);
    expect(after.reread).toBe(1);
    expect(after.hashes.get(TABLE)).not.toBe(before.hashes.get(TABLE));
    expect(after.digest).not.toBe(before.digest);
  });

  it("re-reads racily clean files: changed too close to the scan that recorded them", () => {
    const first = indexTree(root, manifest);
    // Just written and just recorded: the recorded stat proves nothing yet.
    const second = indexTree(root, manifest);
    expect(second.reread).toBe(first.reread);
    expect(second.digest).toBe(first.digest);
  });

  it.each([
    ["garbage", () => Buffer.from("not a manifest at all\n\0\0")],
    ["another format", () => Buffer.from("hdp-tree-index 0\nscan 99999999999999999999\nend")],
    ["a truncated manifest", (m: Buffer) => m.subarray(0, Math.floor(m.length / 2))],
    ["a manifest with bytes appended", (m: Buffer) => Buffer.concat([m, Buffer.from("xx")])],
    [
      "a manifest with a wrong count",
      (m: Buffer) =>
        Buffer.from(m.toString("latin1").replace(/files=(\d+)/, "files=1$1"), "latin1"),
    ],
  ])("ignores %s", (_, damage) => {
    const cold = indexTree(root, manifest);
    settle();
    writeFileSync(manifest, damage(readFileSync(manifest)));
    const again = indexTree(root, manifest);
    expect(again.reread).toBe(discoveredFiles(again.discovered).length);
    expect(again.digest).toBe(cold.digest);
  });

  it("finds records by name when files were added or removed since", () => {
    indexTree(root, manifest);
    settle();
    writeFileSync(join(root, "sources/lab/tables/aaa.yaml"), "id: aaa\n");
    const again = indexTree(root, manifest);
    expect(again.reread).toBe(1); // only the new file
  });

  it("changes the digest when a file is added, removed or renamed, or a stray file appears", () => {
    const digests = new Set<string>();
    const step = (): void => {
      const d = indexTree(root, manifest).digest;
      expect(digests.has(d)).toBe(false);
      digests.add(d);
    };
    step();
    const copy = join(root, "sources/lab/tables/orders_copy.yaml");
    writeFileSync(copy, readFileSync(join(root, TABLE)));
    step();
    renameSync(copy, join(root, "sources/lab/tables/orders_renamed.yaml"));
    step();
    rmSync(join(root, "sources/lab/tables/orders_renamed.yaml"));
    writeFileSync(join(root, "sources/lab/notes.txt"), "stray");
    step();
    rmSync(join(root, "sources/lab/notes.txt"));
    // Back to the original tree: the original digest again.
    expect(digests.has(indexTree(root, manifest).digest)).toBe(true);
  });

  it("has no hash for a file it cannot read, and never throws", () => {
    rmSync(join(root, TABLE));
    mkdirSync(join(root, "sources/lab/tables/dir.yaml"));
    const idx = indexTree(root, manifest);
    expect(discoveredFiles(idx.discovered)).toContain("sources/lab/tables/dir.yaml");
    expect(idx.hashes.has("sources/lab/tables/dir.yaml")).toBe(false);
    expect(indexTree(join(dir, "missing"), manifest).discovered.errors.length).toBe(1);
  });

  describe("with a worker thread stat-ing alongside (parallelFrom: 0)", () => {
    const PAR = { parallelFrom: 0 };
    const SEQ = { parallelFrom: Infinity };

    it("finds the same digest, hashes and manifest as one thread", () => {
      // Many files, so the worker and the caller each get chunks (512 files a chunk).
      for (let i = 0; i < 1500; i++) {
        writeFileSync(join(root, `sources/lab/tables/t${i}.yaml`), `id: t${i}\n`);
      }
      const seqManifest = join(dir, "seq", "manifest");
      const seq = indexTree(root, seqManifest, SEQ);
      const par = indexTree(root, manifest, PAR);
      expect(seq.statsOnWorker).toBe(0);
      expect(par.digest).toBe(seq.digest);
      expect(par.reread).toBe(seq.reread);
      expect([...par.hashes]).toEqual([...seq.hashes]);
      // The manifests differ only in the scan time of their headers.
      const body = (f: string) => {
        const b = readFileSync(f);
        return b.subarray(b.indexOf(10));
      };
      expect(body(manifest).equals(body(seqManifest))).toBe(true);
      settle();
      const warm = indexTree(root, manifest, PAR);
      expect(warm.reread).toBe(0);
      expect(warm.digest).toBe(seq.digest);
    });

    it("re-reads a same-size edit with an old mtime, and sees removals", () => {
      const before = indexTree(root, manifest, PAR);
      const abs = join(root, TABLE);
      const old = statSync(abs);
      settle();
      const text = readFileSync(abs, "utf8");
      writeFileSync(abs, text.replace("description:", "descriptioN:"));
      utimesSync(abs, old.atime, old.mtime);
      const after = indexTree(root, manifest, PAR);
      expect(after.reread).toBe(1);
      expect(after.digest).not.toBe(before.digest);
      expect(after.digest).toBe(indexTree(root, undefined, SEQ).digest);
      rmSync(abs);
      expect(indexTree(root, manifest, PAR).digest).toBe(indexTree(root, undefined, SEQ).digest);
    });

    it("lets the caller work before finishing (the worker stats meanwhile), and finishes once", () => {
      for (let i = 0; i < 1500; i++) {
        writeFileSync(join(root, `sources/lab/tables/t${i}.yaml`), `id: t${i}\n`);
      }
      const pending = startIndexTree(root, manifest, PAR);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); // the caller's work
      const first = pending.finish();
      expect(first.statsOnWorker).toBeGreaterThan(0);
      expect(pending.finish()).toBe(first);
      expect(first.digest).toBe(indexTree(root, undefined, SEQ).digest);
      // Settled: the worker stats the manifest's files while the tree is listed.
      settle();
      const again = startIndexTree(root, manifest, PAR);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
      const warm = again.finish();
      expect(warm.statsOnWorker).toBeGreaterThan(0);
      expect(warm.reread).toBe(0);
      expect(warm.digest).toBe(first.digest);
      // A file added since the manifest: the early stats are dropped, the new list stat-ed.
      writeFileSync(join(root, "sources/lab/tables/added.yaml"), "id: added\n");
      settle();
      const changed = indexTree(root, manifest, PAR);
      expect(changed.reread).toBe(1);
      expect(changed.digest).toBe(indexTree(root, undefined, SEQ).digest);
      expect(changed.digest).not.toBe(first.digest);
    });
  });

  test("keepBytes hands over the bytes this scan read, once each; files it did not read have none", () => {
    expect(indexTree(root, manifest).takeBytes).toBeUndefined(); // not asked for: nothing kept
    const first = indexTree(root, manifest, { keepBytes: true });
    expect(first.reread).toBeGreaterThan(1); // the manifest's stats are not settled yet
    const bytes = first.takeBytes?.(TABLE);
    expect(bytes?.equals(readFileSync(join(root, TABLE)))).toBe(true);
    expect(first.takeBytes?.(TABLE)).toBeUndefined();
    settle();
    writeFileSync(join(root, TABLE), `${readFileSync(join(root, TABLE), "utf8")}# edited\n`);
    const next = indexTree(root, manifest, { keepBytes: true });
    expect(next.reread).toBe(1);
    expect(next.takeBytes?.(TABLE)?.toString("utf8")).toMatch(/# edited\n$/);
    expect(next.takeBytes?.("platform.yaml")).toBeUndefined(); // unchanged: not read
  });
});

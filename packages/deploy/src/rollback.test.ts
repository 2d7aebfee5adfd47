import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportedState } from "./__fixtures__/events";
import { fakeEngine } from "./__fixtures__/fake-engine";
import { LEDGER_FORMAT, parseLedger, renderEntries, type LedgerEntry } from "./ledger";
import { fileLedger } from "./ledger-store";
import type { StackNode } from "./order";
import {
  droppedProviders,
  renderRefusal,
  rollback,
  type RevisionCheck,
  type RollbackHost,
} from "./rollback";
import { stateResources } from "./events";

const sha = (c: string) => c.repeat(40);
const nodes: StackNode[] = [
  { name: "prod-core", environment: "prod", dependsOn: [] },
  { name: "prod-clinical", environment: "prod", dependsOn: ["prod-core"] },
];
const entry = (
  run: string,
  rev: string,
  stack: string,
  result: LedgerEntry["result"],
  minute: number,
): LedgerEntry => ({
  format: LEDGER_FORMAT,
  run,
  kind: "deploy",
  environment: "prod",
  stack,
  revision: sha(rev),
  dirty: false,
  time: `2026-11-0${minute}T00:00:00.000Z`,
  result,
  changes: {},
  resources: null,
});
const history = [
  entry("r1", "a", "prod-core", "succeeded", 1),
  entry("r1", "a", "prod-clinical", "succeeded", 1),
  entry("r2", "b", "prod-core", "succeeded", 2),
  entry("r2", "b", "prod-clinical", "failed", 2),
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-rollback-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A host whose checkouts are recorded and whose check is given. */
function host(check: Partial<RevisionCheck> = {}) {
  const log: string[] = [];
  const h: RollbackHost = {
    resolveRevision: (ref) => {
      if (ref === "HEAD") return Promise.resolve(sha("h"));
      if (/^[a-f]$/.test(ref)) return Promise.resolve(sha(ref));
      return Promise.reject(new Error(`unknown git revision "${ref}"`));
    },
    checkout: (s) => {
      log.push(`checkout ${s.slice(0, 4)}`);
      return Promise.resolve({
        dir: `/tmp/wt-${s.slice(0, 4)}`,
        dispose: () => Promise.resolve(void log.push("dispose")),
      });
    },
    check: (d, env, base) => {
      log.push(`check ${d} ${env} base ${base.slice(0, 4)}`);
      return Promise.resolve({
        nodes,
        blocked: [],
        providers: new Map([
          ["prod-core", new Set(["aws", "databricks"])],
          ["prod-clinical", new Set(["aws", "databricks"])],
        ]),
        ...check,
      });
    },
  };
  return { h, log };
}

async function ledgerWith(entries: LedgerEntry[]) {
  const l = fileLedger(join(dir, "ledger.jsonl"));
  await l.append(renderEntries(entries));
  return l;
}

describe("rollback", () => {
  it("redeploys the last good revision from its worktree, guarded against the current one, and records it", async () => {
    const ledger = await ledgerWith(history);
    const engine = fakeEngine();
    const { h, log } = host();
    const r = await rollback({
      environment: "prod",
      jobs: 2,
      preview: false,
      engine,
      ledger,
      host: h,
      runId: "rb-1",
    });
    expect(r.kind).toBe("ran");
    expect(r.target).toBe(sha("a"));
    expect(log).toEqual(["checkout aaaa", "check /tmp/wt-aaaa prod base bbbb", "dispose"]);
    const ups = engine.calls.filter((c) => c.op === "up");
    expect(ups.map((c) => [c.stack, c.request.workDir])).toEqual([
      ["prod-core", "/tmp/wt-aaaa"],
      ["prod-clinical", "/tmp/wt-aaaa"],
    ]);
    const after = parseLedger(await ledger.read(), "l").slice(history.length);
    expect(after.map((e) => [e.kind, e.stack, e.revision, e.result, e.run])).toEqual([
      ["rollback", "prod-core", sha("a"), "succeeded", "rb-1"],
      ["rollback", "prod-clinical", sha("a"), "succeeded", "rb-1"],
    ]);
  });

  it("rolls back to the revision given with --to, noting when it was never deployed", async () => {
    const notes: string[] = [];
    const { h } = host();
    const r = await rollback({
      environment: "prod",
      to: "c",
      jobs: 1,
      preview: true,
      engine: fakeEngine(),
      ledger: await ledgerWith(history),
      host: h,
      runId: "x",
      onNote: (t) => notes.push(t),
    });
    expect(r.target).toBe(sha("c"));
    expect(notes[0]).toBe("note: cccccccccccc was never deployed to prod (not in the ledger)");
  });

  it("refuses, with the reason, to drop a provider whose resources the stack still holds; deploys nothing", async () => {
    const engine = fakeEngine({ state: { "prod-core": exportedState } });
    const { h, log } = host({
      providers: new Map([
        ["prod-core", new Set(["aws"])],
        ["prod-clinical", new Set(["aws"])],
      ]),
    });
    const r = await rollback({
      environment: "prod",
      jobs: 2,
      preview: false,
      engine,
      ledger: await ledgerWith(history),
      host: h,
      runId: "x",
    });
    expect(r.kind).toBe("refused");
    if (r.kind !== "refused") return;
    expect(r.reasons).toEqual([
      expect.stringMatching(
        /^prod-core: aaaaaaaaaaaa has no databricks provider, but the stack still holds 2 databricks resource\(s\) \(e\.g\. urn:pulumi:prod-core::health-data-platform::databricks:index\/catalog:Catalog::prod-clinical\); remove them with a forward change first/,
      ),
    ]);
    expect(engine.calls.filter((c) => c.op === "up")).toEqual([]);
    expect(log.at(-1)).toBe("dispose");
    expect(renderRefusal(r)).toContain("nothing was deployed");
  });

  it("refuses when the destructive-change guard blocks the change back", async () => {
    const engine = fakeEngine();
    const blocked = [
      "prod-core: deletes aws:s3/bucket:Bucket clinical-gold (stateful) in prod; allow it under policies.allowDestroy",
    ];
    const { h } = host({ blocked });
    const r = await rollback({
      environment: "prod",
      jobs: 2,
      preview: false,
      engine,
      ledger: await ledgerWith(history),
      host: h,
      runId: "x",
    });
    expect(r).toMatchObject({ kind: "refused", reasons: blocked });
    expect(engine.calls.filter((c) => c.op === "up")).toEqual([]);
  });

  it("has nothing to roll back to without a good run at another revision", async () => {
    const { h, log } = host();
    await expect(
      rollback({
        environment: "prod",
        jobs: 2,
        preview: false,
        engine: fakeEngine(),
        ledger: await ledgerWith(history.slice(0, 2)),
        host: h,
        runId: "x",
      }),
    ).rejects.toThrow('no good deploy of "prod" at a revision other than');
    expect(log).toEqual([]);
  });
});

describe("droppedProviders", () => {
  it("counts each provider's resources the target lacks, ignoring providers and the stack", () => {
    const state = stateResources(exportedState);
    expect(droppedProviders(state, new Set(["aws", "databricks"]))).toEqual([]);
    expect(droppedProviders(state, new Set(["databricks"]))).toEqual([
      { provider: "aws", resources: 1, example: expect.stringContaining("clinical-logs") },
    ]);
  });
});

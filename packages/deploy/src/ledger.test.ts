import {
  currentRevision,
  lastGoodRun,
  LEDGER_FORMAT,
  parseLedger,
  renderEntries,
  resourcesAfter,
  type LedgerEntry,
} from "./ledger";

let clock = 0;
function entry(
  run: string,
  revision: string,
  stack: string,
  result: LedgerEntry["result"],
  extra: Partial<LedgerEntry> = {},
): LedgerEntry {
  clock++;
  return {
    format: LEDGER_FORMAT,
    run,
    kind: "deploy",
    environment: "prod",
    stack,
    revision: revision.padEnd(40, "0"),
    dirty: false,
    time: new Date(Date.UTC(2026, 10, 1, 0, clock)).toISOString(),
    result,
    changes: { same: 10 },
    resources: result === "succeeded" ? 10 : null,
    ...extra,
  };
}
const sha = (s: string) => s.padEnd(40, "0");

describe("ledger text", () => {
  it("round-trips entries, one JSON object per line", () => {
    const es = [
      entry("r1", "aaa", "prod-core", "succeeded"),
      entry("r1", "aaa", "prod-clinical", "skipped", { reason: "prod-core failed" }),
    ];
    const text = renderEntries(es);
    expect(text.split("\n")).toHaveLength(3);
    expect(parseLedger(text, "ledger.jsonl")).toEqual(es);
  });

  it("reports every malformed line with its line number, all at once", () => {
    const good = renderEntries([entry("r1", "aaa", "prod-core", "succeeded")]);
    const text = `${good}not json\n{"format":1,"run":"r"}\n\n${good}`;
    let err: unknown;
    try {
      parseLedger(text, "s3://b/l.jsonl");
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toContain("s3://b/l.jsonl:2: not JSON");
    expect((err as Error).message).toContain(
      "s3://b/l.jsonl:3: environment missing, stack missing, revision missing, time missing, kind invalid, result invalid, changes missing",
    );
    expect((err as Error).message).not.toContain(":5");
  });

  it("counts resources left after a run (deletes do not remain)", () => {
    expect(resourcesAfter({ same: 5, create: 2, update: 1, delete: 3, replace: 1 })).toBe(9);
  });
});

describe("lastGoodRun", () => {
  it("skips back over the failed latest run to the newest good one", () => {
    const es = [
      entry("r1", "aaa", "prod-core", "succeeded"),
      entry("r1", "aaa", "prod-clinical", "succeeded"),
      entry("r2", "bbb", "prod-core", "succeeded"),
      entry("r2", "bbb", "prod-clinical", "succeeded"),
      entry("r3", "ccc", "prod-core", "failed"),
      entry("r3", "ccc", "prod-clinical", "skipped"),
    ];
    expect(lastGoodRun(es, "prod").revision).toBe(sha("bbb"));
    expect(currentRevision(es, "prod")).toBe(sha("ccc"));
  });

  it("rolls back from a good latest run to the previous good revision, not to itself", () => {
    const es = [
      entry("r1", "aaa", "prod-core", "succeeded"),
      entry("r2", "bbb", "prod-core", "succeeded"),
      entry("r3", "bbb", "prod-core", "succeeded"),
    ];
    expect(lastGoodRun(es, "prod").revision).toBe(sha("aaa"));
  });

  it("ignores partly failed runs, previews, dirty trees and other environments", () => {
    const es = [
      entry("r1", "aaa", "prod-core", "succeeded"),
      entry("r2", "bbb", "prod-core", "succeeded"),
      entry("r2", "bbb", "prod-clinical", "failed"),
      entry("r3", "ccc", "prod-core", "succeeded", { kind: "preview" }),
      entry("r4", "ddd", "prod-core", "succeeded", { dirty: true }),
      entry("r5", "eee", "stage", "succeeded", { environment: "stage" }),
      entry("r6", "fff", "prod-core", "failed"),
    ];
    expect(lastGoodRun(es, "prod").revision).toBe(sha("aaa"));
  });

  it("counts a successful rollback as a good run", () => {
    const es = [
      entry("r1", "aaa", "prod-core", "succeeded"),
      entry("r2", "bbb", "prod-core", "failed"),
      entry("r3", "aaa", "prod-core", "succeeded", { kind: "rollback" }),
      entry("r4", "ccc", "prod-core", "failed"),
    ];
    const run = lastGoodRun(es, "prod");
    expect([run.run, run.kind, run.revision]).toEqual(["r3", "rollback", sha("aaa")]);
  });

  it("says why when there is nothing to roll back to", () => {
    expect(() => lastGoodRun([], "prod")).toThrow('the ledger has no deploy of "prod"');
    expect(() => lastGoodRun([entry("r1", "aaa", "prod-core", "succeeded")], "prod")).toThrow(
      /no good deploy of "prod" at a revision other than aaa000000000 \(the latest\); give one with --to/,
    );
  });
});

import { isInteractive, progressDisplay } from "./progress";

describe("progressDisplay", () => {
  it("prints a plain line per stack in CI and pipes", () => {
    const out: string[] = [];
    const p = progressDisplay((t) => out.push(t), false);
    p.onEvent({ kind: "queued", revision: "working tree", stacks: ["dev", "prod-core"] });
    p.onEvent({ kind: "progress", stack: "dev", recorded: 250 });
    p.onEvent({
      kind: "done",
      revision: "working tree",
      stack: "dev",
      ok: true,
      cached: false,
      resources: 576,
      durationMs: 2345,
    });
    p.onEvent({
      kind: "done",
      revision: "working tree",
      stack: "prod-core",
      ok: true,
      cached: true,
      resources: 333,
      durationMs: 0,
    });
    p.onEvent({
      kind: "done",
      revision: "base",
      stack: "x",
      ok: false,
      cached: false,
      resources: 0,
      durationMs: 10,
    });
    p.end();
    expect(out.join("")).toBe(
      [
        "plan: working tree: 2 stack(s) to plan",
        "plan: dev: 576 resources, 2.3 s",
        "plan: prod-core: 333 resources, from cache",
        "plan: x at base: FAILED, 0.0 s",
        "",
      ].join("\n"),
    );
  });

  it("redraws one status line on a terminal and clears it at the end", () => {
    const out: string[] = [];
    const p = progressDisplay((t) => out.push(t), true);
    p.onEvent({ kind: "queued", revision: "working tree", stacks: ["dev", "stage"] });
    p.onEvent({
      kind: "done",
      revision: "working tree",
      stack: "dev",
      ok: true,
      cached: false,
      resources: 1200,
      durationMs: 1,
    });
    p.end();
    const line = out[out.length - 2];
    expect(line.startsWith("\r\x1b[K")).toBe(true);
    expect(line.slice(4)).toMatch(
      /^plan \[█{10}░{10}\] 1\/2 stacks · 1,200 resources · \d+\.\d s$/,
    );
    expect(out[out.length - 1]).toBe("\r\x1b[K");
    expect(out.join("")).not.toContain("\n");
  });

  test.each([
    [true, {}, true],
    [true, { CI: "true" }, false],
    [true, { CI: "false" }, true],
    [false, {}, false],
    [undefined, {}, false],
  ])("isInteractive(tty=%s, env=%j) is %s", (isTTY, env, expected) => {
    expect(isInteractive({ isTTY }, env)).toBe(expected);
  });
});

/**
 * Shows a plan's progress: one redrawn status line on a terminal, plain lines (one per stack)
 * in CI logs and pipes.
 */
import type { PlanEvent } from "./schedule";

export interface ProgressDisplay {
  readonly onEvent: (e: PlanEvent) => void;
  /** Clears the status line (terminal) before the report is printed. */
  readonly end: () => void;
}

const n = (x: number): string => x.toLocaleString("en-US");
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Whether to draw a live line: a terminal, outside CI. */
export const isInteractive = (stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean =>
  stream.isTTY === true && (env.CI === undefined || env.CI === "" || env.CI === "false");

/** A progress display writing to `write`; `interactive` draws a live line, else plain lines. */
export function progressDisplay(
  write: (text: string) => void,
  interactive: boolean,
): ProgressDisplay {
  const started = Date.now();
  const queued = new Set<string>();
  const running = new Map<string, number>();
  let done = 0;
  let resources = 0;
  let lastDraw = 0;
  let drawn = false;

  const draw = (force = false): void => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const total = queued.size;
    const width = 20;
    const filled = total === 0 ? 0 : Math.round((done / total) * width);
    const live = [...running.values()].reduce((a, b) => a + b, 0);
    const current = [...running.entries()].map(([s, c]) => `${s} ${n(c)}`).join(", ");
    write(
      `\r\x1b[Kplan [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${done}/${total} stacks · ${n(resources + live)} resources · ${secs(now - started)}${current ? ` · ${current}` : ""}`,
    );
    drawn = true;
  };

  return {
    onEvent: (e) => {
      switch (e.kind) {
        case "queued":
          for (const s of e.stacks) queued.add(`${e.revision}\0${s}`);
          if (!interactive) write(`plan: ${e.revision}: ${e.stacks.length} stack(s) to plan\n`);
          break;
        case "progress":
          running.set(e.stack, e.recorded);
          break;
        case "done":
          running.delete(e.stack);
          done++;
          resources += e.resources;
          if (!interactive) {
            const what = e.ok ? `${n(e.resources)} resources` : "FAILED";
            const where = e.revision === "working tree" ? e.stack : `${e.stack} at ${e.revision}`;
            write(`plan: ${where}: ${what}, ${e.cached ? "from cache" : secs(e.durationMs)}\n`);
          }
          break;
      }
      if (interactive) draw(e.kind !== "progress");
    },
    end: () => {
      if (interactive && drawn) write("\r\x1b[K");
    },
  };
}

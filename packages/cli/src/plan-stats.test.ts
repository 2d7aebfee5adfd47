import type { PlanResult, PlanStats } from "@hdp/plan";
import { renderPlanStats } from "./commands/plan";

const MB = 2 ** 20;

const statsLine = (stats: Partial<PlanStats>): string =>
  renderPlanStats({
    kind: "planned",
    configs: "configs",
    result: {
      stats: {
        stacksPlanned: 6,
        stacksCached: 0,
        resources: 3000,
        durationMs: 3210,
        workers: 0,
        workerPeakRss: [],
        workerCpuMs: [],
        stacksInProcess: 0,
        inProcessPeakRss: undefined,
        ...stats,
      },
    } as unknown as PlanResult,
  });

describe("the stats line of hdp plan", () => {
  it.each([
    [
      "in this process: its own peak, not a worker's",
      { stacksInProcess: 6, inProcessPeakRss: 612 * MB },
      "planned 6 stack(s), 0 from cache, in 3.2 s, in this process (peak 612 MB)\n",
    ],
    [
      "on workers: the largest worker's peak",
      { workers: 2, workerPeakRss: [400 * MB, 459 * MB], workerCpuMs: [1, 2] },
      "planned 6 stack(s), 0 from cache, in 3.2 s, peak 459 MB per worker\n",
    ],
    [
      "both (a base revision's larger batch moved to workers): each place named",
      {
        stacksInProcess: 2,
        inProcessPeakRss: 1500 * MB,
        workers: 2,
        workerPeakRss: [400 * MB, 459 * MB],
      },
      "planned 6 stack(s), 0 from cache, in 3.2 s, 2 in this process (peak 1,500 MB), the rest on 2 worker(s), peak 459 MB per worker\n",
    ],
    [
      "everything from the cache: nowhere",
      { stacksPlanned: 0, stacksCached: 6 },
      "planned 0 stack(s), 6 from cache, in 3.2 s\n",
    ],
  ])("%s", (_, stats, line) => {
    expect(statsLine(stats)).toBe(line);
  });
});

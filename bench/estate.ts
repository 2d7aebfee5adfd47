/**
 * The scale run: generates the health-system preset (`hdp simulate estate --preset
 * health-system`), then plans every stack of every environment with `hdp plan` as shipped (one
 * worker per core, levers on, an empty cache), then again unchanged (every stack from the
 * cache). Prints total resources (per environment, the largest stack), wall and CPU time, peak
 * memory per worker and of the main process, the load average, and the re-run time. Each
 * run is a fresh process, like a user's command.
 *
 *   npx tsx --conditions=@hdp/source bench/estate.ts                 (the preset)
 *   npx tsx --conditions=@hdp/source bench/estate.ts --sources 300   (a scaled-down run)
 *
 * Targets (issue 13): cold under 2 minutes, unchanged under 20 s, under 1.2 GB per worker.
 * The machine's load changes the figures: compare runs made side by side.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { plan } from "@hdp/plan";
import { ESTATE_PRESETS, generateEstate, writeEstate } from "@hdp/simulate";
import { printReport, runReportingChild } from "./support/report-child";

const n = (x: number): string => Math.round(x).toLocaleString("en-US");
const mb = (bytes: number): string => `${n(bytes / 2 ** 20)} MB`;

interface Report {
  readonly ms: number;
  /** CPU time of the planning process and of its workers (user + system). */
  readonly cpuMs: number;
  /** CPU time of the planning process alone (config loading, scheduling, cache, results). */
  readonly mainCpuMs: number;
  readonly resources: number;
  readonly byEnvironment: Readonly<Record<string, number>>;
  /** The largest stack's resources (the budget is 3,000). */
  readonly largestStack: number;
  readonly stacks: number;
  readonly cached: number;
  readonly workerPeakRss: readonly number[];
  readonly mainPeakRss: number;
  readonly problems: readonly string[];
  readonly policyFindings: number;
  /** SHA-256 over the stacks' inventory entries (read after the timing): cold and unchanged agree. */
  readonly inventorySha: string;
}

async function child(configs: string, cacheDir: string): Promise<void> {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  // As `hdp plan` runs by default: one worker per core (a plan this size never runs in-process).
  const r = await plan({
    configs,
    cacheDir,
    onOutput: () => undefined,
  });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const mainPeakRss = process.resourceUsage().maxRSS * 1024;
  // Stack by stack: the whole inventory of the preset (~1 GB) is over V8's string length limit.
  const hash = createHash("sha256");
  for (const s of r.head.stacks)
    hash.update(s.ok ? `${s.stack}\n${s.json()}\n` : `${s.stack} failed\n`);
  const byEnvironment: Record<string, number> = {};
  let largestStack = 0;
  for (const s of r.head.stacks) {
    if (!s.ok) continue;
    const env = s.summary.environment;
    byEnvironment[env] = (byEnvironment[env] ?? 0) + s.summary.resourceCount;
    largestStack = Math.max(largestStack, s.summary.resourceCount);
  }
  const report: Report = {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000 + r.stats.workerCpuMs.reduce((a, b) => a + b, 0),
    mainCpuMs: (cpu.user + cpu.system) / 1000,
    resources: r.stats.resources,
    byEnvironment,
    largestStack,
    stacks: r.head.stacks.length,
    cached: r.stats.stacksCached,
    workerPeakRss: [...r.stats.workerPeakRss],
    mainPeakRss,
    problems: r.problems.map((p) => p.message).slice(0, 20),
    policyFindings: r.policy.findings.length,
    inventorySha: hash.digest("hex"),
  };
  printReport(report);
}

function run(configs: string, cacheDir: string): Report {
  return runReportingChild<Report>(__filename, ["child", configs, cacheDir]);
}

async function main(): Promise<void> {
  const [mode, configsArg, cacheArg] = process.argv.slice(2);
  if (mode === "child") return child(configsArg, cacheArg);
  const i = process.argv.indexOf("--sources");
  const preset = ESTATE_PRESETS["health-system"];
  const options = i > 0 ? { ...preset, sources: Number(process.argv[i + 1]) } : preset;
  const dir = mkdtempSync(join(tmpdir(), "hdp-bench-estate-"));
  try {
    const configs = join(dir, "configs");
    const cache = join(dir, "cache");
    let t = performance.now();
    const estate = generateEstate(options);
    writeEstate(estate, configs);
    const s = estate.summary;
    console.log(
      `estate: ${s.hospitals} hospitals, ${n(s.sources)} sources, ${n(s.tables)} tables, ${n(s.pipelines)} DAGs per environment, ${n(estate.files.size)} files in ${n(performance.now() - t)} ms`,
    );
    console.log(
      `estimated: ${Object.entries(s.estimatedResources)
        .map(([env, x]) => `${env} ${n(x)}`)
        .join(", ")}`,
    );
    const load = (): string =>
      loadavg()
        .map((x) => x.toFixed(1))
        .join(" ");
    console.log(`load average before: ${load()} (${availableParallelism()} cores)`);
    t = performance.now();
    const cold = run(configs, cache);
    console.log(
      `cold:      ${n(cold.resources)} resources in ${cold.stacks} stacks (${Object.entries(
        cold.byEnvironment,
      )
        .map(([env, x]) => `${env} ${n(x)}`)
        .join(
          ", ",
        )}; largest stack ${n(cold.largestStack)}), ${(cold.ms / 1000).toFixed(1)} s (${n(cold.resources / (cold.ms / 1000))} resources/s), CPU ${(cold.cpuMs / 1000).toFixed(0)} s (${(cold.cpuMs / cold.resources).toFixed(2)} ms/resource; main process ${(cold.mainCpuMs / 1000).toFixed(1)} s), peak per worker ${cold.workerPeakRss.map(mb).join(", ")}, main process ${mb(cold.mainPeakRss)}, ${cold.policyFindings} policy findings`,
    );
    if (cold.problems.length > 0) console.log(`problems:\n  ${cold.problems.join("\n  ")}`);
    console.log(`load average after the cold run: ${load()}`);
    const warm = run(configs, cache);
    if (warm.inventorySha !== cold.inventorySha) {
      throw new Error(
        `the unchanged run's inventory differs: ${cold.inventorySha} vs ${warm.inventorySha}`,
      );
    }
    console.log(
      `unchanged: ${warm.cached}/${warm.stacks} stacks from the cache, ${(warm.ms / 1000).toFixed(1)} s (CPU ${(warm.cpuMs / 1000).toFixed(1)} s), load average ${load()}`,
    );
    console.log(
      `(whole bench ${((performance.now() - t) / 1000).toFixed(0)} s; targets: cold < 120 s, unchanged < 20 s, < 1,229 MB per worker, >= 500,000 resources)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

/**
 * The scale run: generates the health-system preset (`hdp simulate estate --preset
 * health-system`), then plans every stack of every environment with `hdp plan` as shipped (one
 * worker per core, levers on, an empty cache), then again unchanged (every stack from the
 * cache). Prints total resources, wall time, peak memory per worker and the re-run time. Each
 * run is a fresh process, like a user's command.
 *
 *   npx tsx --conditions=@hdp/source bench/estate.ts                 (the preset)
 *   npx tsx --conditions=@hdp/source bench/estate.ts --sources 300   (a scaled-down run)
 *
 * Targets (issue 13): cold under 2 minutes, unchanged under 20 s, under 1.2 GB per worker.
 * The machine's load changes the figures: compare runs made side by side.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { plan } from "@hdp/plan";
import { ESTATE_PRESETS, generateEstate, writeEstate } from "@hdp/simulate";

const n = (x: number): string => Math.round(x).toLocaleString("en-US");
const mb = (bytes: number): string => `${n(bytes / 2 ** 20)} MB`;

interface Report {
  readonly ms: number;
  readonly resources: number;
  readonly stacks: number;
  readonly cached: number;
  readonly workerPeakRss: readonly number[];
  readonly problems: readonly string[];
}

async function child(configs: string, cacheDir: string): Promise<void> {
  const started = performance.now();
  const r = await plan({
    configs,
    jobs: availableParallelism(),
    cacheDir,
    onOutput: () => undefined,
  });
  const report: Report = {
    ms: performance.now() - started,
    resources: r.stats.resources,
    stacks: r.head.stacks.length,
    cached: r.stats.stacksCached,
    workerPeakRss: [...r.stats.workerPeakRss],
    problems: r.problems.map((p) => p.message).slice(0, 20),
  };
  console.log(`REPORT ${JSON.stringify(report)}`);
}

function run(configs: string, cacheDir: string): Report {
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--conditions=@hdp/source",
      "--max-old-space-size=8192",
      __filename,
      "child",
      configs,
      cacheDir,
    ],
    { encoding: "utf8", maxBuffer: 1 << 26, env: { ...process.env, CI: "true" } },
  );
  const line = r.stdout.split("\n").find((l) => l.startsWith("REPORT "));
  if (r.status !== 0 || line === undefined)
    throw new Error(`plan failed:\n${r.stderr}\n${r.stdout.slice(-3000)}`);
  return JSON.parse(line.slice("REPORT ".length)) as Report;
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
    t = performance.now();
    const cold = run(configs, cache);
    console.log(
      `cold:      ${n(cold.resources)} resources in ${cold.stacks} stacks, ${(cold.ms / 1000).toFixed(1)} s (${n(cold.resources / (cold.ms / 1000))} resources/s), peak per worker ${cold.workerPeakRss.map(mb).join(", ")}`,
    );
    if (cold.problems.length > 0) console.log(`problems:\n  ${cold.problems.join("\n  ")}`);
    const warm = run(configs, cache);
    console.log(
      `unchanged: ${warm.cached}/${warm.stacks} stacks from the cache, ${(warm.ms / 1000).toFixed(1)} s`,
    );
    console.log(
      `(whole bench ${((performance.now() - t) / 1000).toFixed(0)} s; targets: cold < 120 s, unchanged < 20 s, < 1,229 MB per worker, >= 500,000 resources)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

/**
 * `hdp validate` and `hdp query` end to end at the health-system preset's size (~104,000
 * tables): the real binary, a fresh process per run, cold (`--no-cache`) against warm (the
 * cache filled by a first run), the ratio measured in the same run, then warm again after one
 * table file changed (the answer must be fresh, so that run is cold by design).
 * Wall and CPU time (CPU summed over the run's node processes: steadier on a shared machine).
 *
 * Used by bench/query.ts (--end-to-end) and bench/validate.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const DIST_BIN = join(ROOT, "packages", "cli", "dist", "bin.js");
const SOURCE_BIN = join(ROOT, "packages", "cli", "bin", "hdp.cjs");
const CPU_PRELOAD = join(__dirname, "support", "cpu-usage.cjs");
const RUNS = 3;

export interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/** Runs hdp once (a fresh process); throws when it fails unexpectedly. */
function hdp(bin: string, args: readonly string[]): Timing & { stdout: string } {
  const cpuFile = join(tmpdir(), `hdp-bench-cpu-${process.pid}-${Math.random()}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${CPU_PRELOAD}`,
      HDP_BENCH_CPU_FILE: cpuFile,
    },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`hdp ${args.join(" ")} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  }
  const cpu = existsSync(cpuFile)
    ? readFileSync(cpuFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .reduce((n, l) => n + Number(l), 0)
    : NaN;
  rmSync(cpuFile, { force: true });
  return { wall, cpu, stdout: r.stdout };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const show = (t: Timing): string => `${s(t.wall).padStart(8)} wall, ${s(t.cpu).padStart(8)} CPU`;

/** The preset estate: `dir` when given, else generated into a temporary directory. */
export function presetEstate(dir: string | undefined): { dir: string; cleanup: () => void } {
  if (dir !== undefined) return { dir, cleanup: () => undefined };
  const out = mkdtempSync(join(tmpdir(), "hdp-bench-estate-"));
  console.log(`generating the health-system preset into ${out} ...`);
  const r = spawnSync(
    process.execPath,
    [SOURCE_BIN, "simulate", "estate", "--preset", "health-system", "--out", join(out, "configs")],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (r.status !== 0) throw new Error("hdp simulate estate failed");
  return {
    dir: join(out, "configs"),
    cleanup: () => rmSync(out, { recursive: true, force: true }),
  };
}

/** Which hdp runs: the published entry (dist, built by `pnpm build`) or the repo's tsx launcher. */
export function binaries(): { name: string; bin: string }[] {
  const list = [{ name: "repo launcher (tsx)", bin: SOURCE_BIN }];
  if (existsSync(DIST_BIN)) list.unshift({ name: "built (dist/bin.js)", bin: DIST_BIN });
  else console.log("(packages/cli/dist missing: run `pnpm build` to time the published entry)");
  return list;
}

/**
 * Times `args` (an hdp command without --configs) over `configs`: cold, warm, and after
 * editing `editFile` (relative to configs). Prints a block and returns the figures.
 */
export function coldVersusWarm(
  label: string,
  configs: string,
  args: readonly string[],
  editFile: string,
): { cold: Timing; warm: Timing } {
  const cache = mkdtempSync(join(tmpdir(), "hdp-bench-cache-"));
  try {
    const withCache = ["--configs", configs, "--cache-dir", cache];
    console.log(`\n${label}: hdp ${args.join(" ")}`);
    const [primary, ...others] = binaries();
    const warmOf = (bin: string): Timing & { stdout: string } => {
      const runs = Array.from({ length: RUNS }, () => hdp(bin, [...args, ...withCache]));
      return {
        wall: median(runs.map((w) => w.wall)),
        cpu: median(runs.map((w) => w.cpu)),
        stdout: runs[0].stdout,
      };
    };
    const cold = hdp(primary.bin, [...args, "--configs", configs, "--no-cache"]);
    const fill = hdp(primary.bin, [...args, ...withCache]);
    const warm = warmOf(primary.bin);
    if (warm.stdout !== cold.stdout || fill.stdout !== cold.stdout) {
      throw new Error("a warm answer differs from the cold one");
    }
    const file = join(configs, editFile);
    const text = readFileSync(file, "utf8");
    writeFileSync(file, `${text}# edited by the benchmark\n`);
    let edited: Timing;
    try {
      edited = hdp(primary.bin, [...args, ...withCache]);
    } finally {
      writeFileSync(file, text);
    }
    console.log(`  ${primary.name}`);
    console.log(`    cold (--no-cache)            ${show(cold)}`);
    console.log(`    first run, fills the cache   ${show(fill)}`);
    console.log(`    warm (median of ${RUNS})          ${show(warm)}`);
    console.log(`    one table file edited        ${show(edited)}  (answered afresh)`);
    console.log(
      `    cold / warm: ${(cold.wall / warm.wall).toFixed(1)}x wall, ${(cold.cpu / warm.cpu).toFixed(1)}x CPU`,
    );
    hdp(primary.bin, [...args, ...withCache]); // warm the cache again for the others
    for (const other of others) console.log(`  ${other.name}: warm ${show(warmOf(other.bin))}`);
    const summary = { cold, warm };
    return summary;
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

export const machine = (): string =>
  `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores (Node ${process.version})`;

/**
 * The cold plan's serial start, with and without starting the workers while the configs load
 * (`prestartWorkers`, see packages/plan/src/run/prestart.ts). Generates an estate (the
 * health-system preset, or `--sources N` of it), then runs cold plans (an empty cache each,
 * one worker per core, a fresh process each) with 0, 1 and 2 workers started ahead, `--rounds` times.
 * Prints per run: wall, time to the "queued" event (the configs loaded, the jobs about to be
 * handed out), queued → the first stack's first recorded resource and → its first finished
 * stack, CPU of the main process and of the workers, and the load average; then checks the
 * inventories are the same bytes.
 *
 *   npx tsx --conditions=@hdp/source bench/serial-start.ts --sources 600 [--rounds 1]
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { plan } from "@hdp/plan";
import { ESTATE_PRESETS, generateEstate, writeEstate } from "@hdp/simulate";
import { printReport, runReportingChild } from "./support/report-child";

interface Report {
  readonly ms: number;
  readonly queuedMs: number;
  readonly firstRecordMs: number;
  readonly firstDoneMs: number;
  readonly mainCpuMs: number;
  readonly workerCpuMs: number;
  readonly resources: number;
  readonly sha: string;
}

async function child(configs: string, cacheDir: string, prestart: number): Promise<void> {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let queuedMs = NaN;
  let firstRecordMs = NaN;
  let firstDoneMs = NaN;
  const r = await plan({
    configs,
    cacheDir,
    prestartWorkers: prestart,
    onOutput: () => undefined,
    onEvent: (e) => {
      const at = performance.now() - started;
      if (e.kind === "queued" && Number.isNaN(queuedMs)) queuedMs = at;
      if (e.kind === "progress" && Number.isNaN(firstRecordMs)) firstRecordMs = at;
      if (e.kind === "done" && !e.cached && Number.isNaN(firstDoneMs)) firstDoneMs = at;
    },
  });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const hash = createHash("sha256");
  for (const s of r.head.stacks)
    hash.update(s.ok ? `${s.stack}\n${s.json()}\n` : `${s.stack} failed\n`);
  const report: Report = {
    ms,
    queuedMs,
    firstRecordMs,
    firstDoneMs,
    mainCpuMs: (cpu.user + cpu.system) / 1000,
    workerCpuMs: r.stats.workerCpuMs.reduce((a, b) => a + b, 0),
    resources: r.stats.resources,
    sha: hash.digest("hex"),
  };
  printReport(report);
}

function run(configs: string, cacheDir: string, prestart: number): Report {
  return runReportingChild<Report>(__filename, ["child", configs, cacheDir, String(prestart)]);
}

const s1 = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(" ");

async function main(): Promise<void> {
  const [mode, configsArg, cacheArg, prestartArg] = process.argv.slice(2);
  if (mode === "child") return child(configsArg, cacheArg, Number(prestartArg));
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const preset = ESTATE_PRESETS["health-system"];
  const sources = arg("--sources");
  const rounds = Number(arg("--rounds") ?? "1");
  const dir = mkdtempSync(join(tmpdir(), "hdp-bench-serial-"));
  try {
    const configs = join(dir, "configs");
    writeEstate(
      generateEstate(sources === undefined ? preset : { ...preset, sources: Number(sources) }),
      configs,
    );
    console.log(`${sources ?? "preset"} sources, ${availableParallelism()} cores`);
    const shas = new Set<string>();
    for (let round = 0; round < rounds; round++) {
      for (const prestart of [0, 1, 2]) {
        const before = load();
        const r = run(configs, join(dir, `cache-${round}-${prestart}`), prestart);
        shas.add(r.sha);
        console.log(
          `prestarted workers ${prestart}: wall ${s1(r.ms)}, queued at ${s1(r.queuedMs)}, queued→first record ${s1(r.firstRecordMs - r.queuedMs)}, queued→first stack done ${s1(r.firstDoneMs - r.queuedMs)}; CPU main ${s1(r.mainCpuMs)} + workers ${s1(r.workerCpuMs)} = ${s1(r.mainCpuMs + r.workerCpuMs)}; ${r.resources} resources; load ${before} → ${load()}`,
        );
      }
    }
    console.log(
      shas.size === 1 ? "inventories: identical" : `inventories DIFFER: ${[...shas].join(" ")}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

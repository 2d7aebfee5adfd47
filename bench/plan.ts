/**
 * Offline plan speed and memory on generated estates, with the real program (@hdp/platform).
 *
 *   npx tsx --conditions=@hdp/source bench/plan.ts [resources...]   (default: 1000 10000 50000)
 *   npx tsx --conditions=@hdp/source bench/plan.ts levers [resources] (default: 3000, one shard)
 *
 * Sizes: generates a sharded `prod` environment of about that many resources (sources of
 * scheduled tables, shards of at most ~2,500 resources), then, each in a fresh process:
 *   naive  — every stack one after another in one process, the SDK's mock runtime as is
 *            (`plan({ jobs: 0, fast: false })`: no cost levers, no workers, no cache);
 *   plan   — `hdp plan` as shipped: levers on, empty cache, one worker per core — or, for a
 *            small plan, in the calling process (`jobs` left to its default);
 *   cached — the same again, unchanged: every stack from the cache.
 * and prints resources/second, peak memory (per worker for `plan`), and the ratio of plan's
 * throughput per core to naive's. The inventories of naive and plan must be the same bytes.
 *
 * `levers`: one shard-sized stack planned in one process under each lever added in turn (and
 * young-generation sizes), best of two runs each, to measure what each buys.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PROJECT, DEFAULT_PULUMI_ORG, loadEstateOrThrow, type Estate } from "@hdp/config";
import { plan, runStack, type StackJob, type StackOutcome } from "@hdp/plan";

const ROOT = join(__dirname, "..");
const DOMAINS = ["clinical", "financial", "workforce", "genomics", "operations"];
/** Shards are filled up to this many resources (the budget is 3,000). */
const SHARD_TARGET = 2500;
/**
 * Tables per source. They share their source's one pipeline (one Airflow DAG per source): the
 * program refuses more DAGs than the largest MWAA class runs (4,000).
 */
const TABLES_PER_SOURCE = 3;

const n = (x: number): string => Math.round(x).toLocaleString("en-US");
const mb = (bytes: number): string => `${n(bytes / 2 ** 20)} MB`;

function tableYaml(t: number): string {
  return `id: t_${t}
description: Generated table ${t}
classification: internal
columns:
  - name: id
    type: bigint
    nullable: false
  - name: value
    type: string
  - name: updated_at
    type: timestamp
load:
  mode: incremental
  watermark: updated_at
layers: [landing, bronze, silver, gold]
`;
}

function sourceYaml(s: number): string {
  return `id: gen-${s}
name: Generated source ${s}
domain: ${DOMAINS[s % DOMAINS.length]}
hospitals: all
owner: { team: gen, email: gen@example.org }
classification: internal
connection:
  kind: file-drop
  format: csv
  filePattern: "*.csv"
schedule:
  cron: "0 2 * * *"
`;
}

/**
 * Writes an estate of `sources` sources into `dir` (platform.yaml and one prod environment),
 * `perShard` sources per shard.
 */
function writeEstate(dir: string, sources: number, perShard: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "environments"), { recursive: true });
  cpSync(join(ROOT, "configs", "platform.yaml"), join(dir, "platform.yaml"));
  const shards: string[] = [];
  for (let first = 0; first < sources; first += perShard) {
    const ids = Array.from(
      { length: Math.min(perShard, sources - first) },
      (_, i) => `gen-${first + i}`,
    );
    shards.push(`    - id: s${shards.length}\n      sources: [${ids.join(", ")}]`);
  }
  const prod = readFileSync(join(ROOT, "configs", "environments", "prod.yaml"), "utf8");
  const head = prod
    .slice(0, prod.indexOf("sharding:"))
    .replace(/environmentClass: \S+/, "environmentClass: mw1.2xlarge");
  const tail = prod.slice(prod.indexOf("alertEmails:"));
  // One ingest role and managed policy per source: past ~1,000 sources the account needs the
  // raised IAM quotas (the policy pack counts them across the environment's stacks and fails the
  // plan otherwise), as a real account of this size would.
  const quotas =
    "policies:\n  quotas:\n    iamRolesPerAccount: 5000\n    iamManagedPoliciesPerAccount: 5000\n";
  writeFileSync(
    join(dir, "environments", "prod.yaml"),
    `${head}sharding:\n  resourceBudget: 3000\n  shards:\n${shards.join("\n")}\n\n${tail}${quotas}`,
  );
  for (let s = 0; s < sources; s++) {
    const sdir = join(dir, "sources", `gen-${s}`);
    mkdirSync(join(sdir, "tables"), { recursive: true });
    writeFileSync(join(sdir, "source.yaml"), sourceYaml(s));
    for (let t = 0; t < TABLES_PER_SOURCE; t++)
      writeFileSync(join(sdir, "tables", `t_${t}.yaml`), tableYaml(t));
  }
}

/** Resources of one source and of the core, measured on a tiny estate. */
async function calibrate(dir: string): Promise<{ perSource: number; core: number }> {
  writeEstate(dir, DOMAINS.length, DOMAINS.length);
  const r = await plan({ configs: dir, jobs: 0, cacheDir: false });
  const count = (pred: (s: string) => boolean): number =>
    r.head.stacks
      .filter((s) => pred(s.stack))
      .reduce((a, s) => a + (s.ok ? s.summary.resourceCount : 0), 0);
  if (r.problems.length > 0) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return {
    perSource: count((s) => s !== "prod-core") / DOMAINS.length,
    core: count((s) => s === "prod-core"),
  };
}

/** SHA-256 of a document written in pieces (a large inventory is beyond V8's longest string). */
function sha256Of(pieces: Iterable<string>): string {
  const hash = createHash("sha256");
  for (const p of pieces) hash.update(p);
  return hash.digest("hex");
}

interface RunReport {
  ms: number;
  /** CPU time of this process and its workers (user + system). */
  cpuMs: number;
  resources: number;
  stacks: number;
  cached: number;
  peakRss: number;
  workerPeakRss: number[];
  /** Stacks planned in the calling process (a small plan by default). */
  inProcess: number;
  inventorySha: string;
  problems: string[];
}

/** Wall time of the whole `hdp plan` command (node, tsx, the CLI) on a warm cache. */
function cachedCommand(configs: string, cache: string): number {
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--conditions=@hdp/source",
      join(ROOT, "packages/cli/src/bin.ts"),
      "plan",
      "--configs",
      configs,
      "--cache-dir",
      cache,
    ],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26, env: { ...process.env, CI: "true" } },
  );
  if (r.status !== 0 || !r.stderr.includes(" 0 stack(s),"))
    throw new Error(
      `cached hdp plan failed (exit ${r.status}) or missed the cache:\n${r.stderr}\n${r.stdout.slice(-3000)}`,
    );
  return performance.now() - started;
}

/** Runs one mode in a fresh process and returns its report. */
function child(mode: "naive" | "plan", configs: string, cacheDir: string): RunReport {
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--conditions=@hdp/source",
      "--max-old-space-size=12288",
      __filename,
      "run",
      mode,
      configs,
      cacheDir,
    ],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26, env: { ...process.env, CI: "true" } },
  );
  const line = r.stdout.split("\n").find((l) => l.startsWith("REPORT "));
  if (r.status !== 0 || line === undefined)
    throw new Error(`${mode} failed:\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(line.slice("REPORT ".length)) as RunReport;
}

async function runMode(mode: "naive" | "plan", configs: string, cacheDir: string): Promise<void> {
  const started = performance.now();
  const r = await plan({
    configs,
    // naive: in this process; plan: the default (workers, or in-process for a small plan).
    ...(mode === "naive" ? { jobs: 0 } : {}),
    fast: mode !== "naive",
    cacheDir: mode === "naive" ? false : cacheDir,
    onOutput: () => undefined,
  });
  const ms = performance.now() - started;
  const own = process.cpuUsage();
  const report: RunReport = {
    ms,
    cpuMs: (own.user + own.system) / 1000 + r.stats.workerCpuMs.reduce((a, b) => a + b, 0),
    resources: r.stats.resources,
    stacks: r.head.stacks.length,
    cached: r.stats.stacksCached,
    peakRss: process.resourceUsage().maxRSS * 1024,
    // In-process runs: the calling process's peak stands in for the (one) worker's.
    workerPeakRss:
      r.stats.inProcessPeakRss !== undefined
        ? [...r.stats.workerPeakRss, r.stats.inProcessPeakRss]
        : [...r.stats.workerPeakRss],
    inProcess: r.stats.stacksInProcess,
    inventorySha: sha256Of(r.inventoryPieces()),
    problems: [
      ...r.problems.map((p) => p.message),
      ...r.policy.findings.map((f) => `policy ${f.level} ${f.rule} ${f.stack}: ${f.message}`),
    ],
  };
  console.log(`REPORT ${JSON.stringify(report)}`);
}

async function sizes(targets: number[]): Promise<void> {
  const cores = availableParallelism();
  const work = mkdtempSync(join(tmpdir(), "hdp-bench-plan-"));
  try {
    const cal = await calibrate(join(work, "calibrate"));
    console.log(
      `calibration: ${n(cal.perSource)} resources per source (${TABLES_PER_SOURCE} tables, one DAG), ${n(cal.core)} in prod-core; ${cores} cores`,
    );
    console.log(
      "| resources | stacks | naive res/s | naive CPU ms/res | naive peak | plan ran | plan res/s | plan CPU ms/res | peak per worker | plan vs naive (wall) | plan/core vs naive (wall) | naive/plan CPU per res | cached plan() | cached `hdp plan` |",
    );
    console.log(
      "| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const target of targets) {
      const sources = Math.max(1, Math.round(target / cal.perSource));
      const configs = join(work, `estate-${target}`);
      const cache = join(work, `cache-${target}`);
      writeEstate(configs, sources, Math.max(1, Math.floor(SHARD_TARGET / cal.perSource)));
      const naive = child("naive", configs, cache);
      const fast = child("plan", configs, cache);
      const cached = child("plan", configs, cache);
      const command = cachedCommand(configs, cache);
      for (const r of [naive, fast, cached]) {
        if (r.problems.length > 0) throw new Error(r.problems.join("\n"));
      }
      if (fast.inventorySha !== naive.inventorySha || cached.inventorySha !== naive.inventorySha) {
        throw new Error(
          `inventories differ at ${target}: naive ${naive.inventorySha}, plan ${fast.inventorySha}, cached ${cached.inventorySha}`,
        );
      }
      const naiveRate = naive.resources / (naive.ms / 1000);
      const planRate = fast.resources / (fast.ms / 1000);
      const naiveCpu = naive.cpuMs / naive.resources;
      const planCpu = fast.cpuMs / fast.resources;
      const ran = fast.inProcess > 0 ? "in-process" : `${fast.workerPeakRss.length} workers`;
      // Per core the plan used: one in-process, else its workers.
      const used = fast.inProcess > 0 ? 1 : Math.min(cores, fast.workerPeakRss.length);
      console.log(
        `| ${n(fast.resources)} | ${fast.stacks} | ${n(naiveRate)} | ${naiveCpu.toFixed(2)} | ${mb(naive.peakRss)} | ${ran} | ${n(planRate)} | ${planCpu.toFixed(2)} | ${mb(Math.max(...fast.workerPeakRss))} | ${(planRate / naiveRate).toFixed(2)}× | ${(planRate / used / naiveRate).toFixed(2)}× | ${(naiveCpu / planCpu).toFixed(2)}× | ${(cached.ms / 1000).toFixed(1)} s (${cached.cached}/${cached.stacks} cached) | ${(command / 1000).toFixed(1)} s |`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One shard-sized stack under each lever setting, each in a fresh process. */
function levers(target: number): void {
  const work = mkdtempSync(join(tmpdir(), "hdp-bench-levers-"));
  try {
    const configs = join(work, "configs");
    // One shard holding every source (~14 resources each).
    const sources = Math.max(1, Math.round(target / 14));
    writeEstate(configs, sources, sources);
    const settings: [string, string, string[]][] = [
      ["SDK as is", "{}", []],
      ["+ Error.stackTraceLimit = 0", '{"noStackTraces":true}', []],
      [
        "+ promise-debugging wrapper bypassed",
        '{"noStackTraces":true,"noPromiseDebugging":true}',
        [],
      ],
      ["+ mock monitor fast path", "true", []],
      ["+ --max-semi-space-size=16", "true", ["--max-semi-space-size=16"]],
      ["+ --max-semi-space-size=32", "true", ["--max-semi-space-size=32"]],
      ["+ --max-semi-space-size=64", "true", ["--max-semi-space-size=64"]],
      ["+ --max-semi-space-size=128", "true", ["--max-semi-space-size=128"]],
    ];
    console.log("| setting | resources | wall ms/resource | CPU ms/resource | peak RSS |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    let sha = "";
    for (const [label, fast, flags] of settings) {
      const r = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "--conditions=@hdp/source",
          ...flags,
          __filename,
          "lever",
          configs,
          fast,
        ],
        { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 },
      );
      const line = r.stdout.split("\n").find((l) => l.startsWith("LEVER "));
      if (r.status !== 0 || line === undefined) throw new Error(`${label} failed:\n${r.stderr}`);
      const x = JSON.parse(line.slice(6)) as {
        resources: number;
        ms: number;
        cpuMs: number;
        peakRss: number;
        sha: string;
      };
      if (sha !== "" && x.sha !== sha) throw new Error(`${label}: the inventory changed`);
      sha = x.sha;
      const per = (ms: number): string => (ms / x.resources).toFixed(3);
      console.log(
        `| ${label} | ${n(x.resources)} | ${per(x.ms)} | ${per(x.cpuMs)} | ${mb(x.peakRss)} |`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** In a lever child: plan the core, then the shard twice; report the faster shard run. */
async function lever(configs: string, fast: boolean | Record<string, boolean>): Promise<void> {
  const estate: Estate = loadEstateOrThrow(configs);
  const env = estate.environments[0];
  const programModule = require.resolve("@hdp/platform", { paths: [ROOT] });
  const job = (stack: string, shard: string, stackOutputs: StackJob["stackOutputs"]): StackJob => ({
    programModule,
    stack,
    environment: env.name,
    shard,
    resourceBudget: 1e9,
    project: DEFAULT_PROJECT,
    organization: DEFAULT_PULUMI_ORG,
    stackOutputs,
    fast,
  });
  const ok = (o: StackOutcome) => {
    if (!o.ok) throw new Error(o.messages.join("\n"));
    return o;
  };
  const core = ok(await runStack(estate, job("prod-core", "core", {})));
  const refs = { [`${DEFAULT_PULUMI_ORG}/${DEFAULT_PROJECT}/prod-core`]: core.exports };
  const shard = env.stacks.find((s) => s.shard !== "core")?.name as string;
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const r = ok(await runStack(estate, job(shard, shard.slice("prod-".length), refs)));
    const cpu = process.cpuUsage(cpu0);
    runs.push({ ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, r });
    (globalThis as { gc?: () => void }).gc?.();
  }
  const best = runs.sort((a, b) => a.ms - b.ms)[0];
  console.log(
    `LEVER ${JSON.stringify({
      resources: best.r.summary.resourceCount,
      ms: best.ms,
      cpuMs: best.cpuMs,
      peakRss: process.resourceUsage().maxRSS * 1024,
      sha: createHash("sha256").update(best.r.json).digest("hex"),
    })}`,
  );
}

async function main(): Promise<void> {
  const [cmd, ...args] = process.argv.slice(2);
  if (cmd === "run") return runMode(args[0] as "naive" | "plan", args[1], args[2]);
  if (cmd === "lever")
    return lever(args[0], JSON.parse(args[1]) as boolean | Record<string, boolean>);
  if (cmd === "levers") return levers(Number(args[0] ?? 3000));
  if (cmd === "write") {
    // write <dir> <resources> [resources per shard]: an estate to profile (default: one shard).
    const sources = Math.max(1, Math.round(Number(args[1] ?? 3000) / 14));
    writeEstate(
      args[0],
      sources,
      args[2] === undefined ? sources : Math.round(Number(args[2]) / 14),
    );
    return;
  }
  const targets = [cmd, ...args].filter((x) => x !== undefined).map(Number);
  return sizes(targets.length > 0 ? targets : [1000, 10000, 50000]);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});

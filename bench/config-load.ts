/**
 * Config loading speed: generates N table files (spread over sources) in a temp dir, then times
 * `loadEstate` (read, parse with positions, zod, cross-file checks) against a bare
 * `yaml.parse` of the same files read the same way, in the same process.
 *
 *   pnpm bench:config [N=10000]
 *
 * With `--tree <configs>` (an `hdp simulate estate` tree), times what `hdp plan` does to load
 * it on a cold cache instead: the load up to its result, then its deferred cache writes (parse
 * cache, estate snapshot), then a warm load from the snapshot; wall and CPU of each.
 * `--index-reads` lets the loader read every file itself again (as before the tree index
 * handed its bytes over), for a side-by-side comparison. `--threads N` sets the parse worker
 * threads of the cold load (0: all on the main thread; default: the loader's choice). CPU is
 * the process's (every thread) and the main thread's own (Linux: /proc).
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import jsyaml from "js-yaml";
import { parse } from "yaml";
import { indexTree, loadEstate, loadEstateDeferringWrites } from "@hdp/config";

if (process.argv[2] === "--tree") {
  const at = process.argv.indexOf("--threads");
  coldTree(
    process.argv[3] ?? "configs",
    process.argv.includes("--index-reads"),
    at < 0 ? undefined : Number(process.argv[at + 1]),
  );
  process.exit(0);
}

const N = Number(process.argv[2] ?? 10000);
const TABLES_PER_SOURCE = 200;
const BASE = join(__dirname, "..", "test", "fixtures", "base");

function tableYaml(source: number, table: number): string {
  const cols = Array.from({ length: 12 }, (_, c) => {
    const phi = c % 5 === 1;
    return `  - name: col_${c}\n    type: ${["string", "bigint", "timestamp", "decimal(18,2)"][c % 4]}\n    nullable: ${c === 0 ? "false" : "true"}\n    classification: ${phi ? "phi" : "internal"}\n    description: Column ${c} of table ${table}\n`;
  }).join("");
  const dep = table > 0 && table % 10 === 0 ? `dependsOn: [gen-${source}/t_${table - 1}]\n` : "";
  return `# yaml-language-server: $schema=../../../../packages/config/schema/table.schema.json
id: t_${table}
description: Generated table ${table} of source ${source}
classification: phi
columns:
${cols}load:
  mode: cdc
  keys: [col_0]
  sequenceBy: col_2
layers: [landing, bronze, silver]
${dep}environments:
  dev:
    enabled: ${table % 3 === 0 ? "false" : "true"}
`;
}

function generate(dir: string): string[] {
  cpSync(BASE, dir, { recursive: true });
  const files: string[] = [];
  const sources = Math.ceil(N / TABLES_PER_SOURCE);
  for (let s = 0; s < sources; s++) {
    const sdir = join(dir, "sources", `gen-${s}`);
    mkdirSync(join(sdir, "tables"), { recursive: true });
    writeFileSync(
      join(sdir, "source.yaml"),
      `id: gen-${s}\nname: Generated ${s}\ndomain: clinical\nhospitals: all\nowner: { team: gen, email: gen@example.org }\nclassification: phi\nconnection:\n  kind: file-drop\n  format: csv\n  filePattern: "*.csv"\nschedule:\n  cron: "0 2 * * *"\n`,
    );
    for (let t = 0; t < TABLES_PER_SOURCE && s * TABLES_PER_SOURCE + t < N; t++) {
      const f = join(sdir, "tables", `t_${t}.yaml`);
      writeFileSync(f, tableYaml(s, t));
      files.push(f);
    }
  }
  return files;
}

type Parse = (text: string) => unknown;
const yamlParse: Parse = (t) => parse(t);
const jsyamlParse: Parse = (t) => jsyaml.load(t, { schema: jsyaml.CORE_SCHEMA });

function bareParse(dir: string, parseText: Parse): number {
  let n = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".yaml")) {
        parseText(readFileSync(p, "utf8"));
        n++;
      }
    }
  };
  walk(dir);
  return n;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

const dir = mkdtempSync(join(tmpdir(), "hdp-bench-config-"));
try {
  generate(dir);
  if (process.env.HDP_BENCH_KEEP !== undefined) {
    console.log(`generated tree kept at ${dir}`);
    process.exit(0);
  }
  // Warm every path once (JIT, file cache), then take the best of 3.
  bareParse(dir, jsyamlParse);
  loadEstate(dir);
  const best = (fn: () => unknown): number => Math.min(...[0, 1, 2].map(() => time(fn).ms));
  const bareJs = best(() => bareParse(dir, jsyamlParse));
  const bareYaml = best(() => bareParse(dir, yamlParse));
  const runs = [0, 1, 2].map(() => time(() => loadEstate(dir)));
  const load = Math.min(...runs.map((r) => r.ms));
  const result = runs[0].value;
  if (!result.ok) throw new Error(`generated estate is invalid: ${result.errors.length} errors`);
  const files = result.estate.tables.length;
  const rate = (ms: number): string =>
    `${ms.toFixed(0)} ms (${Math.round((files / ms) * 1000).toLocaleString("en-US")} files/s)`;
  console.log(
    `tables: ${files.toLocaleString("en-US")} in ${result.estate.sources.length} sources`,
  );
  console.log(`bare js-yaml load (CORE_SCHEMA) : ${rate(bareJs)}`);
  console.log(`bare yaml.parse                 : ${rate(bareYaml)}`);
  console.log(`loadEstate                      : ${rate(load)}`);
  console.log(`ratio loadEstate / bare js-yaml : ${(load / bareJs).toFixed(2)}x (target <= 2x)`);
  console.log(`ratio loadEstate / bare yaml    : ${(load / bareYaml).toFixed(2)}x`);
  console.log(`10,000-file target (< 2 s): ${load < 2000 ? "met" : "NOT met"}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Times a cold load of `tree` as `hdp plan` does it (see the module comment). */
function coldTree(tree: string, indexReads: boolean, threads: number | undefined): void {
  const cacheDir = mkdtempSync(join(tmpdir(), "hdp-bench-config-cache-"));
  const step = <T>(name: string, fn: () => T): T => {
    const c0 = process.cpuUsage();
    const m0 = mainThreadCpu();
    const t0 = performance.now();
    const value = fn();
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const main = m0 === undefined ? "" : `  main thread ${(mainThreadCpu()! - m0).toFixed(2)} s`;
    console.log(
      `${name.padEnd(34)} wall ${wall.toFixed(2)} s  CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s${main}`,
    );
    return value;
  };
  try {
    // The cold result is dropped before the warm load (as `hdp plan` would never hold two).
    const cold = (): void => {
      const how = `${indexReads ? " (loader reads files)" : ""}${threads === undefined ? "" : ` (threads ${threads})`}`;
      const loaded = step(`cold load${how}`, () =>
        loadEstateDeferringWrites(tree, {
          cacheDir,
          snapshot: true,
          threads,
          ...(indexReads ? { index: indexTree(tree, join(cacheDir, "manifest")) } : {}),
        }),
      );
      if (!loaded.result.ok) throw new Error(`${tree}: ${loaded.result.errors.length} errors`);
      step("its cache writes (deferred)", () => loaded.writeCaches());
    };
    cold();
    const warm = step("warm load (estate snapshot)", () =>
      loadEstate(tree, { cacheDir, snapshot: true }),
    );
    console.log(
      `tables: ${warm.estate.tables.length.toLocaleString("en-US")}; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** CPU seconds the main thread has used (Linux; undefined elsewhere). */
function mainThreadCpu(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEstateOrThrow } from "@hdp/config";
import { airflowRequirements, dagModels } from "@hdp/dags";
import { run } from "./program";

const ROOT = join(__dirname, "../../..");
const BASE = join(ROOT, "test/fixtures/base");

async function hdp(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: ROOT,
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hdp-dags-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("hdp dags render", () => {
  it("writes every DAG of the environment and requirements.txt, with the job ids given", async () => {
    const models = dagModels(loadEstateOrThrow(BASE), "prod");
    expect(models.length).toBeGreaterThan(1);
    const ids = join(dir, "ids.json");
    writeFileSync(
      ids,
      JSON.stringify(Object.fromEntries(models.map((m, i) => [m.pipelineKey, 500 + i]))),
    );
    const out = join(dir, "out");
    const r = await hdp(
      "dags",
      "render",
      "--configs",
      BASE,
      "--env",
      "prod",
      "--out",
      out,
      "--job-ids",
      ids,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote ${models.length} DAG files and requirements.txt to ${out}\n`);
    expect(readdirSync(out).sort()).toEqual(
      [...models.map((m) => `${m.dagId}.py`), "requirements.txt"].sort(),
    );
    models.forEach((m, i) => {
      expect(readFileSync(join(out, `${m.dagId}.py`), "utf8")).toContain(`JOB_ID = "${500 + i}"`);
    });
    expect(readFileSync(join(out, "requirements.txt"), "utf8")).toBe(airflowRequirements("3.0.6"));
  });

  it("without job ids, names placeholders and says the files are for review", async () => {
    const out = join(dir, "out");
    const r = await hdp("dags", "render", "--configs", BASE, "--env", "dev", "--out", out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("placeholder job id");
    expect(readFileSync(join(out, "lab__results.py"), "utf8")).toContain(
      'JOB_ID = "JOB-ID-OF:lab/results"',
    );
  });

  it("an unknown environment is a usage error, and nothing is written", async () => {
    const out = join(dir, "out");
    const r = await hdp("dags", "render", "--configs", BASE, "--env", "qa", "--out", out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown environment "qa" (environments: dev, prod)');
    expect(existsSync(out)).toBe(false);
  });

  it("a broken config prints every error as file:line:col, exits 1 and writes nothing", async () => {
    const configs = join(dir, "configs");
    cpSync(BASE, configs, { recursive: true });
    const env = join(configs, "environments/dev.yaml");
    writeFileSync(env, readFileSync(env, "utf8").replace("version: 3.0.6", "version: three"));
    const out = join(dir, "out");
    const r = await hdp("dags", "render", "--configs", configs, "--env", "dev", "--out", out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/environments\/dev\.yaml:\d+:\d+ {2}airflow\.version/);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses an Airflow version nothing verifies the DAGs for, writing nothing", async () => {
    const configs = join(dir, "configs");
    cpSync(BASE, configs, { recursive: true });
    const env = join(configs, "environments/dev.yaml");
    writeFileSync(env, readFileSync(env, "utf8").replace("version: 3.0.6", "version: 2.10.3"));
    const out = join(dir, "out");
    const r = await hdp("dags", "render", "--configs", configs, "--env", "dev", "--out", out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "Airflow 2.10.3: DAG files are generated and verified for Airflow 3.0.x only",
    );
    expect(existsSync(out)).toBe(false);
  });
});

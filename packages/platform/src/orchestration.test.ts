/**
 * What makes the pipelines run, on the small base estate: the ingest code and the table specs as
 * workspace files that the job tasks reference, one DAG object per pipeline naming its job, the
 * MWAA requirements.txt, and the one scheduler of record.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ofType, type RecordedResource } from "@hdp/testing";
import { airflowRequirements, dagModels } from "@hdp/dags";
import { baseEstate, recordAll, type RecordedStack } from "./__fixtures__";
import {
  deployedIngestCode,
  ingestCode,
  ingestCodeDir,
  LOCAL_ONLY_INGEST_FILES,
  readIngestCode,
} from "./ingest-code";
import { INGEST_ENTRY_POINT, INGEST_ROOT } from "./ingest-paths";

/** Recorded inputs are untyped JSON; the tests read them by path. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const WF = "databricks:index/workspaceFile:WorkspaceFile";
const JOB = "databricks:index/job:Job";
const OBJ = "aws:s3/bucketObjectv2:BucketObjectv2";

let stacks: Map<string, RecordedStack>;
beforeAll(async () => {
  stacks = await recordAll(baseEstate());
});
const stack = (name: string): RecordedStack => {
  const s = stacks.get(name);
  if (s === undefined) throw new Error(`no recording of ${name}`);
  return s;
};
const workspacePaths = (rs: readonly RecordedResource[]) =>
  new Set(ofType(rs, WF).map((r) => r.inputs.path as string));
const taskArgs = (rs: readonly RecordedResource[]) =>
  ofType(rs, JOB).flatMap((j) =>
    ((j.inputs as Json).tasks as Json[]).map((t) => t.sparkPythonTask),
  );

describe("the ingest code and specs in the workspace", () => {
  it("deploys every file of hdp_pipelines once per environment, in the core, content as is", () => {
    const code = ingestCode();
    expect(code.map((f) => f.path)).toContain("hdp_pipelines/entry.py");
    for (const name of ["dev", "prod-core"]) {
      const files = ofType(stack(name).resources, WF).filter(
        (r) => !(r.inputs.path as string).includes("/specs/"),
      );
      expect(files.map((r) => r.inputs.path).sort()).toEqual(
        code.map((f) => `${INGEST_ROOT}/${f.path}`).sort(),
      );
      for (const f of code) {
        const r = files.find((x) => x.inputs.path === `${INGEST_ROOT}/${f.path}`);
        expect(Buffer.from(r?.inputs.contentBase64 as string, "base64").toString()).toBe(f.content);
      }
    }
    expect(ofType(stack("prod-clinical").resources, WF).map((r) => r.inputs.path)).not.toContain(
      INGEST_ENTRY_POINT,
    );
  });

  it("every job task runs the deployed entry script on a spec deployed in its own stack", () => {
    let checked = 0;
    for (const name of ["dev", "prod-clinical", "prod-business"]) {
      const { resources } = stack(name);
      const paths = workspacePaths(resources);
      for (const t of taskArgs(resources)) {
        expect(t.pythonFile).toBe(INGEST_ENTRY_POINT);
        const spec = (t.parameters as string[])[(t.parameters as string[]).indexOf("--spec") + 1];
        expect(paths).toContain(spec);
        const specFile = ofType(resources, WF).find((r) => r.inputs.path === spec);
        const json = JSON.parse(
          Buffer.from(specFile?.inputs.contentBase64 as string, "base64").toString(),
        ) as { layers: string[] };
        const layer = (t.parameters as string[])[1];
        expect(json.layers).toContain(layer);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("leaves the local-only runner out, and every deployed import of hdp_pipelines is deployed", () => {
    const all = readIngestCode(ingestCodeDir());
    expect(all.map((f) => f.path)).toContain("hdp_pipelines/local_run.py");
    const deployed = ingestCode().map((f) => f.path);
    expect(deployed).not.toContain("hdp_pipelines/local_run.py");
    expect(deployed).toEqual(
      all.map((f) => f.path).filter((p) => !LOCAL_ONLY_INGEST_FILES.includes(p)),
    );
    let imports = 0;
    for (const f of ingestCode()) {
      for (const m of f.content.matchAll(/^\s*from (hdp_pipelines|)\.?([\w.]+) import/gm)) {
        if (m[1] === "" && !m[0].includes("from .")) continue; // a third-party module
        const module = `hdp_pipelines/${m[2].replace(/\./g, "/")}.py`;
        expect([f.path, deployed.includes(module) ? module : `missing ${module}`]).toEqual([
          f.path,
          module,
        ]);
        imports++;
      }
    }
    expect(imports).toBeGreaterThan(5);
  });

  it("finds the code in a packed package (pipelines/hdp_pipelines) before the repository's", () => {
    const dir = mkdtempSync(join(tmpdir(), "hdp-platform-pack-"));
    try {
      mkdirSync(join(dir, "pipelines", "hdp_pipelines", "sub"), { recursive: true });
      writeFileSync(join(dir, "pipelines", "hdp_pipelines", "entry.py"), "print(1)\n");
      writeFileSync(join(dir, "pipelines", "hdp_pipelines", "sub", "a.py"), "x = 1\n");
      writeFileSync(join(dir, "pipelines", "hdp_pipelines", "notes.txt"), "no\n");
      const found = ingestCodeDir(dir);
      expect(found).toBe(join(dir, "pipelines", "hdp_pipelines"));
      expect(readIngestCode(found).map((f) => f.path)).toEqual([
        "hdp_pipelines/entry.py",
        "hdp_pipelines/sub/a.py",
      ]);
      expect(() => ingestCodeDir(join(dir, "nowhere"))).toThrow("the ingest code");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the DAGs in the DAG bucket", () => {
  it("uploads one object per pipeline of the stack, naming that pipeline's job", () => {
    for (const [name, env] of [
      ["dev", "dev"],
      ["prod-clinical", "prod"],
      ["prod-business", "prod"],
    ] as const) {
      const s = stack(name);
      const jobIds = s.exports.ingestJobIds as Record<string, string>;
      const keys = Object.keys(jobIds);
      expect(keys.length).toBeGreaterThan(0);
      const objects = ofType(s.resources, OBJ).filter((r) =>
        (r.inputs.key as string).startsWith("dags/"),
      );
      const models = dagModels(baseEstate(), env).filter((m) => keys.includes(m.pipelineKey));
      expect(objects.map((o) => o.inputs.key).sort()).toEqual(
        models.map((m) => `dags/${m.dagId}.py`).sort(),
      );
      for (const m of models) {
        const o = objects.find((x) => x.inputs.key === `dags/${m.dagId}.py`) as RecordedResource;
        expect(o.inputs.bucket).toBe(
          `tst-${env}-airflow-${env === "dev" ? "111111111111" : "222222222222"}`,
        );
        expect(o.inputs.content).toContain(`JOB_ID = "${jobIds[m.pipelineKey]}"`);
        expect(o.inputs.content).toContain(`dag_id="${m.dagId}"`);
      }
    }
  });

  it("MWAA installs a requirements.txt pinning the Databricks provider, by object version", () => {
    const { resources } = stack("prod-core");
    const req = ofType(resources, OBJ).find((r) => r.inputs.key === "requirements.txt");
    expect(req?.inputs.content).toBe(airflowRequirements("3.0.6"));
    const env = ofType(resources, "aws:mwaa/environment:Environment")[0]?.inputs as Json;
    expect(env.requirementsS3Path).toBe("requirements.txt");
    expect(typeof env.requirementsS3ObjectVersion).toBe("string");
    expect(env.requirementsS3ObjectVersion.length).toBeGreaterThan(0);
  });

  it("Airflow's identity may run every job its DAGs trigger (CAN_MANAGE_RUN), nothing more", () => {
    const PERMS = "databricks:index/permissions:Permissions";
    // Each environment's own (environments/<env>.yaml databricks.hardening.airflowPrincipal).
    const airflowOf = (stackName: string) =>
      stackName === "dev"
        ? "1a5c9e72-3f4b-4e8d-9c0a-6b2d8f1e7a34"
        : "9d3b7e21-5a4c-4f8e-b1d2-7c6a0e3f5b49";
    let jobs = 0;
    for (const name of ["prod-clinical", "prod-business", "dev"]) {
      const { resources } = stack(name);
      for (const j of ofType(resources, JOB)) {
        const perms = ofType(resources, PERMS).find((p) => p.dependencies.includes(j.urn));
        const principals = ((perms?.inputs as Json)?.accessControls as Json[]).filter(
          (a) => a.servicePrincipalName !== undefined,
        );
        expect([j.name, principals]).toEqual([
          j.name,
          [{ servicePrincipalName: airflowOf(name), permissionLevel: "CAN_MANAGE_RUN" }],
        ]);
        jobs++;
      }
      // What CAN_MANAGE_RUN was sized for: each DAG task is a DatabricksRunNowOperator on the
      // job (run-now, runs/get, runs/get-output, runs/cancel), through the one connection.
      for (const o of ofType(resources, OBJ).filter((r) =>
        (r.inputs.key as string).startsWith("dags/"),
      )) {
        const content = o.inputs.content as string;
        const operators = [...content.matchAll(/= (\w+Operator)\(/g)].map((m) => m[1]);
        expect(operators.length).toBeGreaterThan(0);
        expect(new Set(operators)).toEqual(
          new Set(
            content.includes("EmptyOperator(")
              ? ["DatabricksRunNowOperator", "EmptyOperator"]
              : ["DatabricksRunNowOperator"],
          ),
        );
        expect(content).toContain('"databricks_conn_id": "databricks_default"');
      }
    }
    expect(jobs).toBeGreaterThan(2);
  });

  it("one scheduler of record: no job has a schedule; every one is triggered by a DAG", () => {
    let jobs = 0;
    for (const s of stacks.values()) {
      for (const j of ofType(s.resources, JOB)) {
        expect((j.inputs as Json).schedule).toBeUndefined();
        jobs++;
      }
    }
    expect(jobs).toBe(
      ["dev", "prod"].reduce((n, env) => n + dagModels(baseEstate(), env).length, 0),
    );
  });
});

describe("the packed copy of the ingest code", () => {
  it("prepack copies exactly the ingest code of the repository", () => {
    const dest = mkdtempSync(join(tmpdir(), "hdp-platform-prepack-"));
    try {
      const script = join(__dirname, "..", "scripts", "copy-ingest-code.mjs");
      const r = spawnSync(process.execPath, [script, dest], { encoding: "utf8" });
      expect(r.status).toBe(0);
      // Its one log line goes to stderr: `pnpm pack --json` keeps stdout for its JSON.
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^copy-ingest-code: .+ -> .+\n$/);
      // All of it (`hdp local run` from an install starts local_run.py from the copy), and
      // the program deploys the same files from it as from the repository.
      expect(readIngestCode(ingestCodeDir(dest))).toEqual(readIngestCode(ingestCodeDir()));
      expect(deployedIngestCode(readIngestCode(ingestCodeDir(dest)))).toEqual(ingestCode());
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  });
});

/**
 * What the components would refuse, refused first at the config line. The component packages
 * (@hdp/spark, @hdp/airflow, …) validate their arguments and throw under `hdp plan`; a value
 * that only fails there shows as "the program failed under mocks". These checks mirror those
 * refusals for the config fields that feed them (a test in test/ keeps the two in step).
 */
import { validateDagAirflowVersion } from "@hdp/naming";
import type { Environment, Table } from "./estate";
import type { LoadedSource } from "./loaded-source";
import { buildPipelines } from "./pipelines";
import type { FieldReporter } from "./tier-checks";

/** Groups holding (nearly) everyone (@hdp/spark `BROAD_PRINCIPALS`). */
export const BROAD_GROUPS: readonly string[] = ["account users", "users", "all users"];

/** Runtime selections that always resolve to an LTS release (@hdp/spark `LTS_RUNTIME_ALIASES`). */
export const LTS_RUNTIME_ALIASES: readonly string[] = ["auto:latest-lts", "auto:latest-lts-ml"];

/** A Databricks runtime key (@hdp/spark `isRuntimeKey`): `15.4.x-scala2.12`, `15.4.x-photon-scala2.12`. */
export const RUNTIME_KEY = /^\d{1,2}\.\d{1,2}\.x(-[a-z0-9]+)*-scala\d\.\d{1,2}$/;

/** A pinned Airflow 2 or 3 version (@hdp/airflow `validateAirflowArgs`). */
export const AIRFLOW_VERSION = /^[23]\.\d+\.\d+$/;

/** Every component refusal of one environment's fields. */
export function checkComponentArgs(r: FieldReporter, e: Omit<Environment, "stacks">): void {
  const f = e.origin.file;
  const admin = e.databricks.adminGroup;
  if (admin.trim().length === 0) {
    r.error(f, ["databricks", "adminGroup"], "is blank: name the platform admin group");
  } else if (BROAD_GROUPS.includes(admin.trim().toLowerCase())) {
    r.error(
      f,
      ["databricks", "adminGroup"],
      `"${admin}" is everyone in the workspace: it would get every privilege on the catalog; name the platform admin group`,
    );
  }
  const versions = e.compute.sparkVersions;
  versions.forEach((v, i) => {
    const at = ["compute", "sparkVersions", i];
    if (v.startsWith("auto:")) {
      if (!LTS_RUNTIME_ALIASES.includes(v)) {
        r.error(
          f,
          at,
          `"${v}" is not an LTS runtime: use ${LTS_RUNTIME_ALIASES.map((a) => `"${a}"`).join(" or ")}, or list runtime keys such as "15.4.x-scala2.12"`,
        );
      } else if (versions.length > 1) {
        r.error(f, at, `"${v}" stands alone: give it as the only entry, or list runtime keys only`);
      }
    } else if (!RUNTIME_KEY.test(v)) {
      r.error(
        f,
        at,
        `"${v}" is not a Databricks runtime key (e.g. "15.4.x-scala2.12" or "15.4.x-photon-scala2.12")`,
      );
    } else if (versions.indexOf(v) !== i) {
      r.error(f, at, `"${v}" is listed twice`);
    }
  });
  if (!AIRFLOW_VERSION.test(e.airflow.version)) {
    r.error(
      f,
      ["airflow", "version"],
      `"${e.airflow.version}" is not an Airflow 2 or 3 release; MWAA runs 2.x and 3.x (e.g. "2.10.3", "3.0.6")`,
    );
  } else {
    // The generated DAGs (@hdp/dags `validateAirflowTarget`) run on some release lines only.
    for (const message of validateDagAirflowVersion(e.airflow.version))
      r.error(f, ["airflow", "version"], message);
  }
  const [a, b] = e.aws.privateSubnetIds;
  if (a !== undefined && a === b) {
    r.error(
      f,
      ["aws", "privateSubnetIds", 1],
      `"${b}" is given twice: MWAA needs two different private subnets in different availability zones`,
    );
  }
}

/**
 * Most tasks one Databricks job holds (@hdp/spark `MAX_JOB_TASKS`): 1000 since Jobs API 2.2
 * (docs.databricks.com/aws/en/jobs/large-jobs; clients still on API 2.1 fail past 100).
 */
export const MAX_JOB_TASKS = 1000;

/** The layers a job runs a task for, per table (landing is the extract's, not Spark's). */
const JOB_LAYERS = ["bronze", "silver", "gold"] as const;

/**
 * Every pipeline whose job would hold more than {@link MAX_JOB_TASKS} tasks (one per table and
 * Spark layer it reaches), refused at the pipeline's `tables` in source.yaml, or at the source's
 * `id` for its default pipeline. Counted over all of its tables: an environment that disables
 * some runs fewer, never more.
 */
export function checkJobTasks(
  r: FieldReporter,
  sources: readonly LoadedSource[],
  tables: readonly Table[],
): void {
  const layers = new Map(
    tables.map((t) => [t.key, JOB_LAYERS.filter((l) => t.layers.includes(l)).length]),
  );
  const byId = new Map(sources.map((s) => [s.config.id, s]));
  for (const p of buildPipelines(sources, tables)) {
    const tasks = p.tables.reduce((n, t) => n + (layers.get(`${p.source}/${t}`) ?? 0), 0);
    if (tasks <= MAX_JOB_TASKS) continue;
    const s = byId.get(p.source);
    if (s === undefined) continue;
    const declared = s.config.pipelines.findIndex((d) => d.id === p.id);
    const message = `pipeline "${p.key}" would run ${tasks} Databricks tasks (${p.tables.length} tables, a task per Spark layer each); a Databricks job holds at most ${MAX_JOB_TASKS}: split its tables into more pipelines`;
    if (declared >= 0) r.error(s.file, ["pipelines", declared, "tables"], message);
    else r.error(s.file, ["id"], `${message} (its tables now form the default pipeline)`);
  }
}

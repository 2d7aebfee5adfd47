/**
 * The config loader refuses, at the config line, what the components would refuse under
 * `hdp plan` (packages/config/src/component-checks.ts). Its copies of the components' rules
 * must stay equal to the components' own: this test compares them.
 */
import {
  AIRFLOW_VERSION,
  BROAD_GROUPS,
  LTS_RUNTIME_ALIASES,
  MAX_JOB_TASKS,
  RUNTIME_KEY,
} from "@hdp/config";
import {
  BROAD_PRINCIPALS,
  isRuntimeKey,
  MAX_JOB_TASKS as SPARK_MAX_JOB_TASKS,
  validateIngestTasks,
  validateRuntime,
} from "@hdp/spark";
import { validateAirflowArgs } from "@hdp/airflow";

it("knows the same all-users groups as @hdp/spark", () => {
  expect([...BROAD_GROUPS].sort()).toEqual([...BROAD_PRINCIPALS].sort());
});

it("accepts exactly the runtime selections @hdp/spark accepts", () => {
  for (const alias of LTS_RUNTIME_ALIASES) expect(validateRuntime("r", alias)).toEqual([]);
  expect(validateRuntime("r", "auto:latest")).not.toEqual([]);
  const keys = [
    "15.4.x-scala2.12",
    "15.4.x-photon-scala2.12",
    "16.4.x-cpu-ml-scala2.13",
    "15.4",
    "15.4.x",
    "lts",
    "15.4.x-scala2",
    "auto:latest-lts",
  ];
  for (const k of keys) expect([k, RUNTIME_KEY.test(k)]).toEqual([k, isRuntimeKey(k)]);
});

it("accepts exactly the Airflow versions @hdp/airflow accepts", () => {
  const base = {
    environmentName: "shs-dev-airflow",
    dagBucketName: "shs-dev-airflow-dags",
    privateSubnetIds: ["subnet-0aaa1111", "subnet-0bbb2222"],
    environmentClass: "mw1.small",
    minWorkers: 1,
    maxWorkers: 2,
    logLevel: "INFO",
    webserverAccessMode: "PRIVATE_ONLY",
    webserverIngressCidrs: [],
    webserverIngressSecurityGroupIds: [],
    egressCidrs: ["0.0.0.0/0"],
  };
  for (const v of ["2.10.3", "3.0.6", "1.10.15", "4.0.0", "2.10"]) {
    const component = validateAirflowArgs({ ...base, airflowVersion: v }).some((p) =>
      p.startsWith("airflowVersion"),
    );
    expect([v, AIRFLOW_VERSION.test(v)]).toEqual([v, !component]);
  }
});

it("caps a job's tasks where @hdp/spark does (a job of one more task is refused there)", () => {
  expect(MAX_JOB_TASKS).toBe(SPARK_MAX_JOB_TASKS);
  const tasks = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      taskKey: `t${i}`,
      code: { pythonFile: "/Workspace/hdp/ingest/entry.py" },
    }));
  const retry = {
    maxRetries: 1,
    minRetryIntervalMillis: 60_000,
    timeoutSeconds: 60,
    retryOnTimeout: false,
  };
  expect(validateIngestTasks(tasks(MAX_JOB_TASKS), retry)).toEqual([]);
  expect(validateIngestTasks(tasks(MAX_JOB_TASKS + 1), retry)).toEqual([
    `tasks: ${MAX_JOB_TASKS + 1} tasks; Databricks allows ${MAX_JOB_TASKS} per job`,
  ]);
});

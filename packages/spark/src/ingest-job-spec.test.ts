import fc from "fast-check";
import {
  buildIngestTasks,
  INGEST_JOB_CLUSTER_KEY,
  INGEST_LAYERS,
  type IngestLayer,
  type IngestTaskCode,
  validateIngestTasks,
} from "./ingest-job-spec";

const RETRY = {
  maxRetries: 2,
  minRetryIntervalMillis: 300_000,
  timeoutSeconds: 7200,
  retryOnTimeout: false,
};

describe("buildIngestTasks", () => {
  it("chains bronze -> silver -> gold on the one job cluster", () => {
    const tasks = buildIngestTasks(
      {
        gold: { notebookPath: "/Repos/hdp/gold" },
        bronze: { pythonFile: "s3://code/bronze.py", parameters: ["--source", "epic"] },
        silver: { notebookPath: "/Repos/hdp/silver", parameters: { table: "encounters" } },
      },
      RETRY,
    );
    expect(tasks).toEqual([
      {
        taskKey: "bronze",
        jobClusterKey: "ingest",
        ...RETRY,
        sparkPythonTask: { pythonFile: "s3://code/bronze.py", parameters: ["--source", "epic"] },
      },
      {
        taskKey: "silver",
        dependsOns: [{ taskKey: "bronze" }],
        jobClusterKey: "ingest",
        ...RETRY,
        notebookTask: {
          notebookPath: "/Repos/hdp/silver",
          baseParameters: { table: "encounters" },
        },
      },
      {
        taskKey: "gold",
        dependsOns: [{ taskKey: "silver" }],
        jobClusterKey: "ingest",
        ...RETRY,
        notebookTask: { notebookPath: "/Repos/hdp/gold" },
      },
    ]);
  });

  it("for any subset of layers: layer order, each depends on the previous, all on a cluster", () => {
    fc.assert(
      fc.property(fc.subarray([...INGEST_LAYERS], { minLength: 1 }), (layers) => {
        const input: Partial<Record<IngestLayer, IngestTaskCode>> = {};
        for (const l of [...layers].reverse()) input[l] = { notebookPath: `/nb/${l}` };
        expect(validateIngestTasks(input, RETRY)).toEqual([]);
        const tasks = buildIngestTasks(input, RETRY);
        expect(tasks.map((t) => t.taskKey)).toEqual(layers);
        tasks.forEach((t, i) => {
          expect(t.jobClusterKey).toBe(INGEST_JOB_CLUSTER_KEY);
          expect(t.dependsOns).toEqual(i === 0 ? undefined : [{ taskKey: tasks[i - 1]?.taskKey }]);
          expect(t.maxRetries).toBe(RETRY.maxRetries);
          expect(t.timeoutSeconds).toBe(RETRY.timeoutSeconds);
        });
      }),
    );
  });
});

describe("validateIngestTasks", () => {
  it.each([
    [{}, RETRY, ["tasks: give at least one of bronze, silver, gold"]],
    [
      { bronze: { notebookPath: "/nb" } },
      { ...RETRY, maxRetries: -1 },
      ["retry.maxRetries: -1 must be an integer from 0 to 10"],
    ],
    [
      { bronze: { notebookPath: "/nb" } },
      { ...RETRY, timeoutSeconds: 0 },
      ["taskTimeoutSeconds: 0 must be an integer from 1 to 172800"],
    ],
    [
      { bronze: { notebookPath: "/nb" } },
      { ...RETRY, minRetryIntervalMillis: -5 },
      ["retry.minRetryIntervalMillis: -5 must be an integer from 0 to 10800000"],
    ],
    [{ bronze: { notebookPath: " " } }, RETRY, ["tasks.bronze: the path is empty"]],
    [
      { bronze: { notebookPath: "/a", pythonFile: "/b" } },
      RETRY,
      ["tasks.bronze: give exactly one of notebookPath and pythonFile"],
    ],
    [
      { landing: { notebookPath: "/a" } } as Partial<Record<IngestLayer, IngestTaskCode>>,
      RETRY,
      [
        "tasks: unknown layer(s) landing; use bronze, silver, gold",
        "tasks: give at least one of bronze, silver, gold",
      ],
    ],
  ])("%p with %p -> %p", (tasks, retry, problems) => {
    expect(validateIngestTasks(tasks, retry)).toEqual(problems);
  });
});

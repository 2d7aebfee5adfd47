import type * as pulumi from "@pulumi/pulumi";
import type * as databricks from "@pulumi/databricks";
import { findResource, record } from "@hdp/testing";
import { IngestJob } from "./ingest-job";
import { buildIngestTasks, validateIngestTasks, type IngestTaskSpec } from "./ingest-job-spec";
import { HOUSE_TAGS } from "./__fixtures__";

const RETRY = {
  maxRetries: 0,
  minRetryIntervalMillis: 0,
  timeoutSeconds: 3600,
  retryOnTimeout: false,
};
const py = (layer: string, spec: string) => ({
  pythonFile: "/Workspace/hdp/pipelines/hdp_pipelines/entry.py",
  parameters: ["--layer", layer, "--spec", spec, "--date", "{{job.parameters.date}}"],
});
const TASKS: IngestTaskSpec[] = [
  { taskKey: "patients__bronze", code: py("bronze", "/s/patients.json") },
  {
    taskKey: "patients__silver",
    dependsOn: ["patients__bronze"],
    code: py("silver", "/s/patients.json"),
  },
  { taskKey: "encounters__bronze", code: py("bronze", "/s/encounters.json") },
];

describe("keyed ingest tasks (a task per table and layer)", () => {
  it("keeps the order and the dependencies given", () => {
    const tasks = buildIngestTasks(TASKS, RETRY);
    expect(tasks.map((t) => [t.taskKey, t.dependsOns?.map((d) => d.taskKey) ?? []])).toEqual([
      ["patients__bronze", []],
      ["patients__silver", ["patients__bronze"]],
      ["encounters__bronze", []],
    ]);
    expect(tasks[1]?.sparkPythonTask?.parameters).toEqual(TASKS[1]?.code.parameters);
    expect(tasks.every((t) => t.jobClusterKey === "ingest" && t.maxRetries === 0)).toBe(true);
  });

  it("reports bad keys, duplicates and dependencies on later or unknown tasks, all at once", () => {
    expect(
      validateIngestTasks(
        [
          { taskKey: "a b", code: py("bronze", "/s") },
          { taskKey: "x", dependsOn: ["y"], code: py("bronze", "/s") },
          { taskKey: "y", code: py("bronze", "/s") },
          { taskKey: "y", code: { pythonFile: " " } },
        ],
        RETRY,
      ),
    ).toEqual([
      'tasks["a b"]: a task key is 1-100 letters, digits, "_" or "-"',
      'tasks["x"]: depends on "y", which is not an earlier task',
      'tasks["y"]: the key appears twice',
      'tasks["y"]: the path is empty',
    ]);
    expect(validateIngestTasks([], RETRY)).toEqual(["tasks: give at least one task"]);
  });

  it("gives the job its parameters with defaults, and no schedule when none is given", async () => {
    const { resources } = await record(
      () =>
        new IngestJob("epic", {
          tasks: TASKS,
          parameters: { date: "{{job.start_time.iso_date}}" },
          cluster: { policyId: "p", nodeTypeId: "m6i.xlarge", maxWorkers: 2 },
          onFailure: { emails: ["oncall@example.org"] },
          maxRetries: 1,
          tags: HOUSE_TAGS,
        }),
    );
    const job = findResource(resources, "databricks:index/job:Job", "epic-job")
      .inputs as pulumi.Unwrap<databricks.JobArgs>;
    expect(job.parameters).toEqual([{ name: "date", default: "{{job.start_time.iso_date}}" }]);
    expect(job.schedule).toBeUndefined();
    expect(job.tasks?.map((t) => t.taskKey)).toEqual([
      "patients__bronze",
      "patients__silver",
      "encounters__bronze",
    ]);
  });
});

import type { DagModel } from "../model";

/** A small hand-written model: two tables, one after the other, scheduled by an upstream DAG. */
export const MODEL: DagModel = {
  dagId: "lab__results",
  pipelineKey: "lab/results",
  source: "lab",
  pipeline: "results",
  environment: "dev",
  airflowVersion: "3.0.6",
  description: "Lab results and their orders",
  schedule: {
    kind: "assets",
    assets: [{ uri: "hdp://dev/lab/reference", name: "dev.lab__reference" }],
  },
  cron: { cron: "0 5 * * *", timezone: "America/Chicago" },
  ignoredUpstream: ["billing/charges"],
  asset: { uri: "hdp://dev/lab/results", name: "dev.lab__results" },
  owner: "lab-data",
  retries: 3,
  timeoutMinutes: 90,
  tags: ["env:dev", "hdp", "source:lab"],
  tables: [
    { id: "orders", layers: ["bronze", "silver"], after: [] },
    { id: "results", layers: ["bronze", "silver", "gold"], after: ["orders"] },
  ],
  maxActiveTasks: 2,
  configFiles: [
    "environments/dev.yaml",
    "sources/lab/source.yaml",
    "sources/lab/tables/orders.yaml",
  ],
};

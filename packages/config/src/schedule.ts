/**
 * When a pipeline runs in an environment — the one statement of the schedule precedence (the
 * overlay, `hdp explain` and the docs all read it from here):
 *
 * 1. a pipeline declared in source.yaml with its own `schedule` (`pipelines[].schedule`): that,
 *    in every environment (source overlays do not change it);
 * 2. a table on a schedule of its own (its own pipeline): the table's
 *    `environments.<env>.schedule`, else its `schedule`;
 * 3. otherwise the source's `environments.<env>.schedule`, else the source's `schedule`.
 */
import type { Pipeline, Schedule, Source, Table } from "./estate";

/** Which setting decided a schedule (see the module comment for the order). */
export type ScheduleSetting = "pipeline" | "table-overlay" | "table" | "source-overlay" | "source";

/** A pipeline's schedule in one environment and the setting that decided it. */
export interface ScheduleDecision {
  readonly schedule: Schedule;
  readonly setting: ScheduleSetting;
  /** The file that sets it, relative to the configs directory. */
  readonly file: string;
  /**
   * The field in that file; a `{ id }` segment is the list item with that id
   * (`["pipelines", { id: "microbiology" }, "schedule"]`).
   */
  readonly field: readonly (string | { readonly id: string })[];
}

/**
 * The schedule of `pipeline` in environment `env`. `source` is the pipeline's source and `table`
 * its one table when the pipeline is a table's own (`kind: "table"`); both as loaded (base
 * values, overlays inside), not effective.
 */
export function decideSchedule(
  pipeline: Pipeline,
  source: Source | undefined,
  table: Table | undefined,
  env: string,
): ScheduleDecision {
  if (pipeline.ownSchedule) {
    return {
      schedule: pipeline.schedule,
      setting: "pipeline",
      file: pipeline.origin.file,
      field: ["pipelines", { id: pipeline.id }, "schedule"],
    };
  }
  if (pipeline.kind === "table" && table !== undefined) {
    const overlay = table.environments[env]?.schedule;
    if (overlay !== undefined) {
      return {
        schedule: overlay,
        setting: "table-overlay",
        file: table.origin.file,
        field: ["environments", env, "schedule"],
      };
    }
    if (table.schedule !== undefined) {
      return {
        schedule: table.schedule,
        setting: "table",
        file: table.origin.file,
        field: ["schedule"],
      };
    }
  }
  if (source !== undefined) {
    const overlay = source.environments[env]?.schedule;
    if (overlay !== undefined) {
      return {
        schedule: overlay,
        setting: "source-overlay",
        file: source.origin.file,
        field: ["environments", env, "schedule"],
      };
    }
    return {
      schedule: source.schedule,
      setting: "source",
      file: source.origin.file,
      field: ["schedule"],
    };
  }
  // A pipeline without its source cannot pass the loader's checks; keep what was built.
  return {
    schedule: pipeline.schedule,
    setting: "source",
    file: pipeline.origin.file,
    field: ["schedule"],
  };
}

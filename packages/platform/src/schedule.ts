/** A config schedule (5-field cron or an Airflow preset, with a time zone) as a Databricks one. */
import type { Schedule } from "@hdp/config";
import { cronToQuartz } from "@hdp/spark";

/** The 5-field cron each Airflow preset stands for. */
export const CRON_PRESETS: Readonly<Record<string, string>> = {
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
  "@quarterly": "0 0 1 */3 *",
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
};

/** A job schedule as `IngestJob` takes it. */
export interface JobSchedule {
  readonly quartzCronExpression: string;
  readonly timezoneId: string;
}

/**
 * Quartz cron and time zone of a config schedule (undefined for `@once`: the job runs when
 * Airflow triggers it, never on a schedule of its own); throws when cron cannot be expressed in
 * Quartz (the config loader refuses those first).
 */
export function jobSchedule(schedule: Schedule): JobSchedule | undefined {
  if (schedule.cron === "@once") return undefined;
  const cron = CRON_PRESETS[schedule.cron] ?? schedule.cron;
  return { quartzCronExpression: cronToQuartz(cron), timezoneId: schedule.timezone };
}

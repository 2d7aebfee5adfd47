import { cronProblems } from "./cron";

describe("cronProblems", () => {
  test.each([
    "0 2 * * *",
    "*/15 * * * *",
    "0 0-23/2 * * *",
    "59 23 31 12 *",
    "0 6 * * 0,7",
    "0 6 * * 1-5",
    "0 6 * * */2",
    "0 6 * * 1-5/2",
    "5,35 8-18 * 1-12/3 *",
    "@once",
    "@hourly",
    "@daily",
    "@weekly",
    "@monthly",
    "@quarterly",
    "@yearly",
    "@annually",
    "@midnight",
  ])("accepts %s", (cron) => {
    expect(cronProblems(cron)).toEqual([]);
  });

  test.each([
    ["60 2 * * *", "minute 60 is outside 0–59"],
    ["0 24 * * *", "hour 24 is outside 0–23"],
    ["0 2 0 * *", "day of month 0 is outside 1–31"],
    ["0 2 32 * *", "day of month 32 is outside 1–31"],
    ["0 2 * 13 *", "month 13 is outside 1–12"],
    ["0 2 * 0 *", "month 0 is outside 1–12"],
    ["0 2 * * 8", "day of week 8 is outside 0–7"],
    ["0 5-70 * * *", "hour 70 is outside 0–23"],
    ["0 20-5 * * *", "hour range 20-5 runs backwards"],
    ["*/0 * * * *", "minute step /0 must be 1–59"],
    ["*/99 * * * *", "minute step /99 must be 1–59"],
    ["0 2 * * MON", 'day of week "MON" is not a number'],
    ["0 2 * *", "has 4 fields"],
    ["@fortnightly", "is not an Airflow preset"],
    ["@continuous", "ingest jobs need a schedule"],
    ["0 2 1 * 1", "restricts both day of month and day of week"],
    ["0 2 * * 1/2", "has no Quartz equivalent"],
  ])("refuses %s", (cron, message) => {
    const problems = cronProblems(cron);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });
});

import { jobSchedule } from "./schedule";

describe("jobSchedule", () => {
  test.each([
    ["0 2 * * *", "0 0 2 * * ?"],
    ["30 5 * * *", "0 30 5 * * ?"],
    ["*/15 * * * *", "0 */15 * * * ?"],
    ["0 6 * * 1", "0 0 6 ? * 2"],
    ["0 9 6 * *", "0 0 9 6 * ?"],
    ["@hourly", "0 0 * * * ?"],
    ["@daily", "0 0 0 * * ?"],
    ["@weekly", "0 0 0 ? * 1"],
    ["@monthly", "0 0 0 1 * ?"],
    ["@quarterly", "0 0 0 1 */3 ?"],
    ["@yearly", "0 0 0 1 1 ?"],
    ["@annually", "0 0 0 1 1 ?"],
  ])("%s runs as Quartz %s", (cron, quartz) => {
    expect(jobSchedule({ cron, timezone: "America/Chicago" })).toEqual({
      quartzCronExpression: quartz,
      timezoneId: "America/Chicago",
    });
  });

  it("keeps the schedule's time zone", () => {
    expect(jobSchedule({ cron: "0 2 * * *", timezone: "UTC" })?.timezoneId).toBe("UTC");
  });

  it("gives @once no schedule: the job runs when Airflow triggers it", () => {
    expect(jobSchedule({ cron: "@once", timezone: "UTC" })).toBeUndefined();
  });

  it("refuses cron that restricts both day fields (Quartz cannot express it)", () => {
    expect(() => jobSchedule({ cron: "0 2 1 * 1", timezone: "UTC" })).toThrow("Quartz");
  });
});

import fc from "fast-check";
import { cronToQuartz, validateQuartzCron, validateTimezone } from "./schedule";

describe("validateQuartzCron", () => {
  it.each(["0 0 2 * * ?", "0 30 1 ? * MON-FRI", "0 0 2 ? * 2-6", "0 15 * * * ? 2030"])(
    "accepts %s",
    (e) => expect(validateQuartzCron("c", e)).toEqual([]),
  );
  it.each([
    ["0 2 * * *", "has 5 fields; Quartz needs 6 or 7"],
    ["0 0 2 * * *", 'must have "?" in exactly one of day-of-month and day-of-week'],
    ["0 0 2 ? * ?", 'must have "?" in exactly one of day-of-month and day-of-week'],
    ["0 0 2 * * ? $", "contains characters Quartz does not accept"],
  ])("rejects %s", (e, message) => {
    expect(validateQuartzCron("c", e).join("\n")).toContain(message);
  });
});

describe("validateTimezone", () => {
  it.each(["UTC", "America/Chicago", "Europe/Berlin"])("accepts %s", (tz) =>
    expect(validateTimezone("tz", tz)).toEqual([]),
  );
  it.each(["CST6", "Mars/Olympus", ""])("rejects %p", (tz) =>
    expect(validateTimezone("tz", tz)).toHaveLength(1),
  );
});

describe("cronToQuartz", () => {
  it.each([
    ["0 2 * * *", "0 0 2 * * ?"],
    ["*/15 * * * *", "0 */15 * * * ?"],
    ["30 1 * * 1-5", "0 30 1 ? * 2-6"],
    ["0 3 * * 0", "0 0 3 ? * 1"],
    ["0 3 * * 7", "0 0 3 ? * 1"],
    ["0 3 * * 5-7", "0 0 3 ? * 1,6-7"],
    ["0 3 * * 0-7", "0 0 3 ? * 1-7"],
    ["0 3 * * 1-5/2", "0 0 3 ? * 2-6/2"],
    ["0 3 * * 1,3,5", "0 0 3 ? * 2,4,6"],
    ["0 3 * * */2", "0 0 3 ? * 1/2"],
    ["0 4 1 * *", "0 0 4 1 * ?"],
  ])("%s -> %s", (cron, quartz) => {
    expect(cronToQuartz(cron)).toBe(quartz);
    expect(validateQuartzCron("c", quartz)).toEqual([]);
  });
  it.each([
    ["0 2 * *", "has 4 fields"],
    ["0 2 1 * 1", "restricts both day-of-month and day-of-week"],
    ["0 2 * * 9", 'day of week "9" must be a number from 0 to 7'],
    ["0 2 * * 5-1", 'range "5-1" is descending'],
    ["0 2 * * 1-7/2", 'step "1-7/2" has no Quartz equivalent'],
    ["0 2 * * 1/2", 'step "1/2" has no Quartz equivalent'],
  ])("rejects %s", (cron, message) => {
    expect(() => cronToQuartz(cron)).toThrow(message);
  });

  // Days a Unix dow field names (0 = Sunday) and a Quartz one (1 = Sunday), both as 0..6.
  const unixDays = (field: string): Set<number> => {
    const out = new Set<number>();
    for (const token of field.split(",")) {
      const [a, b] = token.split("-").map(Number) as [number, number | undefined];
      for (let d = a; d <= (b ?? a); d++) out.add(d % 7);
    }
    return out;
  };
  const quartzDays = (field: string): Set<number> => {
    const out = new Set<number>();
    for (const token of field.split(",")) {
      const [a, b] = token.split("-").map(Number) as [number, number | undefined];
      for (let d = a; d <= (b ?? a); d++) out.add(d - 1);
    }
    return out;
  };

  it("names the same days of the week as the cron expression (property)", () => {
    const token = fc.oneof(
      fc.integer({ min: 0, max: 7 }).map(String),
      fc
        .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }))
        .filter(([a, b]) => a < b)
        .map(([a, b]) => `${a}-${b}`),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 23 }),
        fc.array(token, { minLength: 1, maxLength: 3 }),
        (minute, hour, tokens) => {
          const dow = tokens.join(",");
          const quartz = cronToQuartz(`${minute} ${hour} * * ${dow}`);
          expect(validateQuartzCron("c", quartz)).toEqual([]);
          const fields = quartz.split(" ");
          expect(fields.slice(0, 5)).toEqual(["0", String(minute), String(hour), "?", "*"]);
          expect(quartzDays(fields[5] ?? "")).toEqual(unixDays(dow));
        },
      ),
    );
  });
});

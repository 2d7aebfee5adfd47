/**
 * Databricks job schedules are Quartz cron expressions (seconds first, `?` in exactly one of
 * day-of-month and day-of-week, Sunday = 1) with a Java time zone id. Config files use 5-field
 * Unix cron (Sunday = 0), so {@link cronToQuartz} converts, and the validators catch the
 * mix-ups before Databricks does.
 */

const QUARTZ_FIELD = /^[0-9A-Z*?,/#LW-]+$/;
const TIME_ZONES = new Set([...Intl.supportedValuesOf("timeZone"), "UTC"]);

/** Problems with a Quartz cron expression (shape only; Databricks parses it fully). */
export function validateQuartzCron(field: string, expression: string): string[] {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6 && parts.length !== 7) {
    return [
      `${field}: "${expression}" has ${parts.length} fields; Quartz needs 6 or 7 (seconds minutes hours day-of-month month day-of-week [year]), e.g. "0 0 2 * * ?"`,
    ];
  }
  const problems: string[] = [];
  if (!parts.every((p) => QUARTZ_FIELD.test(p))) {
    problems.push(`${field}: "${expression}" contains characters Quartz does not accept`);
  }
  const dom = parts[3];
  const dow = parts[5];
  if ((dom === "?") === (dow === "?")) {
    problems.push(
      `${field}: "${expression}" must have "?" in exactly one of day-of-month and day-of-week`,
    );
  }
  return problems;
}

/** Problems with a time zone id (IANA names such as `America/Chicago`, or `UTC`). */
export function validateTimezone(field: string, timezone: string): string[] {
  return TIME_ZONES.has(timezone)
    ? []
    : [`${field}: "${timezone}" is not a time zone id such as "America/Chicago" or "UTC"`];
}

/** Unix day of week (0–7, 0 and 7 = Sunday) to Quartz (1–7, 1 = Sunday). */
const toQuartzDay = (n: number): number => (n % 7) + 1;

function dayNumber(text: string, cron: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 7) {
    throw new Error(`cron "${cron}": day of week "${text}" must be a number from 0 to 7`);
  }
  return n;
}

/** Sorted Quartz days as a list of runs: [1,2,3,6,7] -> "1-3,6-7". */
function compressDays(days: readonly number[]): string {
  const runs: string[] = [];
  let i = 0;
  while (i < days.length) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === (days[j] ?? 0) + 1) j++;
    runs.push(i === j ? `${days[i]}` : `${days[i]}-${days[j]}`);
    i = j + 1;
  }
  return runs.join(",");
}

function convertDayToken(token: string, cron: string): string {
  const [range, step] = token.split("/") as [string, string | undefined];
  if (range === "*") return step === undefined ? "*" : `1/${step}`;
  const [a, b] = range.split("-");
  const from = dayNumber(a ?? "", cron);
  const to = b === undefined ? from : dayNumber(b, cron);
  if (from > to) throw new Error(`cron "${cron}": day-of-week range "${token}" is descending`);
  if (step !== undefined) {
    // Shifting by one keeps a stepped range intact only while it stays within Sunday–Saturday.
    if (b === undefined || to === 7) {
      throw new Error(`cron "${cron}": day-of-week step "${token}" has no Quartz equivalent`);
    }
    return `${from + 1}-${to + 1}/${step}`;
  }
  const days = new Set<number>();
  for (let d = from; d <= to; d++) days.add(toQuartzDay(d));
  return compressDays([...days].sort((x, y) => x - y));
}

/**
 * Converts a 5-field Unix cron expression to Quartz (`0 m h dom mon dow` with `?`). Throws when
 * both day fields are restricted: cron ORs them, Quartz cannot express that.
 */
export function cronToQuartz(cron: string): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(`cron "${cron}" has ${fields.length} fields; expected 5 (m h dom mon dow)`);
  }
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (dow === "*") return `0 ${minute} ${hour} ${dom} ${month} ?`;
  if (dom !== "*") {
    throw new Error(
      `cron "${cron}" restricts both day-of-month and day-of-week; Quartz cannot express that`,
    );
  }
  const quartzDow = dow
    .split(",")
    .map((t) => convertDayToken(t, cron))
    .join(",");
  return `0 ${minute} ${hour} ? ${month} ${quartzDow}`;
}

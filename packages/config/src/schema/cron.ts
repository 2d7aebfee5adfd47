/**
 * Schedules as Airflow and Databricks accept them: a 5-field cron expression whose every value,
 * range and step lies inside its field's bounds, or one of Airflow's presets. The platform runs
 * each schedule twice — as the DAG's schedule in Airflow and as the Databricks job's Quartz
 * schedule (`cronToQuartz` in @hdp/spark) — so anything Quartz cannot express is refused here,
 * at the config line, instead of failing later under `hdp plan`.
 */

/**
 * Airflow's presets (`cron_presets`: @hourly … @yearly, and @once), plus the aliases croniter —
 * which Airflow's cron timetables parse with — reads the same way (@annually = @yearly,
 * @midnight = @daily). `@continuous` is left out: a Databricks job schedule cannot follow it.
 */
export const CRON_PRESETS = [
  "@once",
  "@hourly",
  "@daily",
  "@midnight",
  "@weekly",
  "@monthly",
  "@quarterly",
  "@yearly",
  "@annually",
] as const;

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

const ELEMENT = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;

function fieldProblems(text: string, f: (typeof FIELDS)[number]): string[] {
  const out: string[] = [];
  for (const element of text.split(",")) {
    const m = ELEMENT.exec(element);
    if (m === null) {
      out.push(
        `${f.name} "${element}" is not a number, a range a-b, "*" or one of those with /step`,
      );
      continue;
    }
    const [, , a, b, step] = m;
    const from = a === undefined ? f.min : Number(a);
    const to = b === undefined ? (a === undefined ? f.max : from) : Number(b);
    for (const v of a === undefined ? [] : b === undefined ? [from] : [from, to]) {
      if (v < f.min || v > f.max) out.push(`${f.name} ${v} is outside ${f.min}–${f.max}`);
    }
    if (b !== undefined && from > to) out.push(`${f.name} range ${element} runs backwards`);
    if (step !== undefined) {
      const s = Number(step);
      if (s < 1 || s > f.max) out.push(`${f.name} step /${step} must be 1–${f.max}`);
    }
  }
  return out;
}

/** Why a schedule string is not accepted (empty when it is). */
export function cronProblems(expression: string): string[] {
  if (expression.startsWith("@")) {
    if ((CRON_PRESETS as readonly string[]).includes(expression)) return [];
    if (expression === "@continuous") {
      return [
        '"@continuous" runs the DAG again as soon as it ends; the ingest jobs need a schedule (or @once)',
      ];
    }
    return [`"${expression}" is not an Airflow preset (${CRON_PRESETS.join(", ")})`];
  }
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return [
      `has ${fields.length} field${fields.length === 1 ? "" : "s"}; a cron expression has 5 (minute hour day-of-month month day-of-week), e.g. "0 2 * * *"`,
    ];
  }
  const out = fields.flatMap((text, i) => fieldProblems(text, FIELDS[i]));
  const [, , dom, , dow] = fields;
  if (out.length === 0 && dom !== "*" && dow !== "*") {
    out.push(
      "restricts both day of month and day of week: cron runs on either, and the Databricks job's Quartz schedule cannot express that; keep one of them *",
    );
  }
  if (out.length === 0 && dow.includes("/")) {
    const stepped = dow.split(",").filter((e) => e.includes("/"));
    const noQuartz = (e: string): boolean => {
      const range = e.split("/")[0];
      return range !== "*" && (!range.includes("-") || range.endsWith("-7"));
    };
    if (stepped.some(noQuartz)) {
      out.push(
        `day of week step "${dow}" has no Quartz equivalent for the Databricks job; list the days (e.g. 1,3,5) or use a range a-b/step within 0–6`,
      );
    }
  }
  return out;
}

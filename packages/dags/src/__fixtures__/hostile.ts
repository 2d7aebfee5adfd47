/**
 * A hand-broken estate: the sample's, with config strings written to break out of a Python
 * literal or comment, start statements, hide code from reviewers (bidi controls) or pass
 * Airflow's limits. Used by the unit tests and by the real-Airflow test: every DAG must still
 * parse, none may hide another, and Airflow must read back exactly what config said.
 */
import type { Estate } from "@hdp/config";

/** Strings that would break a naive template. */
export const HOSTILE = {
  description:
    'Ends the literal: """ \' " \\" \\\nimport os; os.system("echo pwned")  # {{ dag_run }} \u202eevil\u202c \u0000 \ud800 \u{1F489} done',
  tagValue: 'a"b\'c\\d\nwith DAG("shadow") as dag: pass',
  longTag: "x".repeat(250),
  file: 'sources/epic-clarity/tables/evil\nimport os  # ".yaml',
} as const;

/** The source and pipeline the hostile strings are put on. */
export const HOSTILE_SOURCE = "epic-clarity";
export const HOSTILE_PIPELINE = "epic-clarity/patient-core";

/** `estate` with the hostile strings on one source, its pipeline and one of its tables. */
export function hostileEstate(estate: Estate): Estate {
  return {
    ...estate,
    sources: estate.sources.map((s) =>
      s.id === HOSTILE_SOURCE
        ? { ...s, tags: { ...s.tags, note: HOSTILE.tagValue, long: HOSTILE.longTag } }
        : s,
    ),
    pipelines: estate.pipelines.map((p) =>
      p.key === HOSTILE_PIPELINE ? { ...p, description: HOSTILE.description } : p,
    ),
    tables: estate.tables.map((t) =>
      t.key === `${HOSTILE_SOURCE}/patients`
        ? { ...t, origin: { ...t.origin, file: HOSTILE.file } }
        : t,
    ),
  };
}

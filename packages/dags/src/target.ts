/**
 * The Airflow versions the DAG files are written for and verified against (the test suite
 * parses every generated file with that Airflow), and the `requirements.txt` MWAA installs for
 * them. Airflow 2 output is not generated: nothing here verifies it.
 */

import { airflowLine, validateDagAirflowVersion } from "@hdp/naming";

/** One supported Airflow release line. */
export interface AirflowTarget {
  /** `major.minor`, e.g. `3.0`. */
  readonly line: string;
  /** The Databricks provider pin, with the `fab` extra its operators import on Airflow 3. */
  readonly databricksProvider: string;
  /** Python of MWAA's image for this line: selects Airflow's constraints file. */
  readonly mwaaPython: string;
}

/** Release lines the generated DAGs target. */
export const AIRFLOW_TARGETS: readonly AirflowTarget[] = [
  {
    line: "3.0",
    // The version Airflow 3.0.6's constraints pin; 7.7.1's operators import the workflow
    // plugin, which needs flask_appbuilder and apache-airflow-providers-fab on Airflow 3.
    databricksProvider: "apache-airflow-providers-databricks[fab]==7.7.1",
    mwaaPython: "3.12",
  },
];

/** The target of a pinned Airflow version, or undefined when DAGs are not generated for it. */
export function airflowTarget(version: string): AirflowTarget | undefined {
  const line = airflowLine(version);
  return AIRFLOW_TARGETS.find((t) => t.line === line);
}

/** Problems with generating DAGs for `version` (empty when supported; the config schema's check). */
export function validateAirflowTarget(version: string): string[] {
  if (airflowTarget(version) !== undefined) return [];
  return validateDagAirflowVersion(version);
}

/**
 * The `requirements.txt` of an MWAA environment running `version`: Airflow's constraints file
 * for that exact version (what MWAA installs against) and the pinned Databricks provider.
 * Throws for a version DAGs are not generated for.
 */
export function airflowRequirements(version: string): string {
  const target = airflowTarget(version);
  if (target === undefined) throw new Error(validateAirflowTarget(version).join("; "));
  return [
    "# Rendered by @hdp/dags: what the generated DAGs import, pinned for this Airflow.",
    `--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-${version}/constraints-${target.mwaaPython}.txt"`,
    target.databricksProvider,
    "",
  ].join("\n");
}

/**
 * MWAA environment classes and the DAG capacity AWS documents for each, stated once: the config
 * schema accepts these classes, `@hdp/airflow` sizes environments by them, and the policy pack
 * checks against them (through `@hdp/airflow`).
 */

/** The DAG capacity AWS documents per environment class, smallest class first. */
export const MWAA_DAG_CAPACITY = {
  "mw1.micro": 25,
  "mw1.small": 50,
  "mw1.medium": 250,
  "mw1.large": 1000,
  "mw1.xlarge": 2000,
  "mw1.2xlarge": 4000,
} as const satisfies Readonly<Record<string, number>>;

/** MWAA environment classes. */
export type EnvironmentClass = keyof typeof MWAA_DAG_CAPACITY;

/** Every environment class, smallest first (a non-empty tuple, as schema enums want). */
export const ENVIRONMENT_CLASSES = Object.keys(MWAA_DAG_CAPACITY) as [
  EnvironmentClass,
  ...EnvironmentClass[],
];

/** Whether `value` is an MWAA environment class. */
export function isEnvironmentClass(value: string): value is EnvironmentClass {
  return Object.prototype.hasOwnProperty.call(MWAA_DAG_CAPACITY, value);
}

/**
 * Airflow release lines (`major.minor`) the generated DAG files are written for and verified
 * against, stated once: the config schema refuses other versions at their line, and `@hdp/dags`
 * keeps each line's provider pins.
 */
export const DAG_AIRFLOW_LINES = ["3.0"] as const;

/** The Airflow version MWAA runs for the newest supported line: what errors suggest. */
export const SUGGESTED_AIRFLOW_VERSION = "3.0.6";

/** The release line (`major.minor`) of a pinned Airflow version `x.y.z`; undefined otherwise. */
export function airflowLine(version: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m === null ? undefined : `${m[1]}.${m[2]}`;
}

/** Problems with generating DAGs for a pinned Airflow `version` (empty when supported). */
export function validateDagAirflowVersion(version: string): string[] {
  const line = airflowLine(version);
  if (line !== undefined && (DAG_AIRFLOW_LINES as readonly string[]).includes(line)) return [];
  return [
    `Airflow ${version}: DAG files are generated and verified for Airflow ${DAG_AIRFLOW_LINES.map((l) => `${l}.x`).join(", ")} only (MWAA runs ${SUGGESTED_AIRFLOW_VERSION}); set airflow.version to "${SUGGESTED_AIRFLOW_VERSION}"`,
  ];
}

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

/**
 * MWAA sizing facts as pure functions, shared with the policy pack: how many DAGs each
 * environment class is sized for, and whether a given DAG count fits.
 */

/** MWAA environment classes. */
export type EnvironmentClass =
  "mw1.micro" | "mw1.small" | "mw1.medium" | "mw1.large" | "mw1.xlarge" | "mw1.2xlarge";

/** The DAG capacity AWS documents per environment class. */
export const MWAA_DAG_CAPACITY: Readonly<Record<EnvironmentClass, number>> = {
  "mw1.micro": 25,
  "mw1.small": 50,
  "mw1.medium": 250,
  "mw1.large": 1000,
  "mw1.xlarge": 2000,
  "mw1.2xlarge": 4000,
};

/** Every environment class, smallest first. */
export const ENVIRONMENT_CLASSES = Object.keys(MWAA_DAG_CAPACITY) as EnvironmentClass[];

/** Whether `value` is an MWAA environment class. */
export function isEnvironmentClass(value: string): value is EnvironmentClass {
  return Object.prototype.hasOwnProperty.call(MWAA_DAG_CAPACITY, value);
}

/** How many DAGs an environment class is sized for. */
export function dagCapacity(environmentClass: EnvironmentClass): number {
  return MWAA_DAG_CAPACITY[environmentClass];
}

/** The smallest class that fits `dagCount` DAGs, or undefined when none does. */
export function smallestClassFor(dagCount: number): EnvironmentClass | undefined {
  return ENVIRONMENT_CLASSES.find((c) => MWAA_DAG_CAPACITY[c] >= dagCount);
}

/**
 * Problems with running `dagCount` DAGs on `environmentClass` (empty when it fits), with the
 * class that would fit.
 */
export function validateDagCount(environmentClass: string, dagCount: number): string[] {
  if (!isEnvironmentClass(environmentClass)) {
    return [
      `environmentClass "${environmentClass}" is not an MWAA class (${ENVIRONMENT_CLASSES.join(", ")})`,
    ];
  }
  if (!Number.isInteger(dagCount) || dagCount < 0) {
    return [`DAG count ${dagCount} must be a whole number, at least 0`];
  }
  const capacity = MWAA_DAG_CAPACITY[environmentClass];
  if (dagCount <= capacity) return [];
  const fits = smallestClassFor(dagCount);
  return [
    `${dagCount} DAGs exceed the capacity of ${environmentClass} (${capacity}); ` +
      (fits !== undefined
        ? `use ${fits} (${MWAA_DAG_CAPACITY[fits]})`
        : `the largest class (mw1.2xlarge) holds ${MWAA_DAG_CAPACITY["mw1.2xlarge"]}: split the DAGs over several environments`),
  ];
}

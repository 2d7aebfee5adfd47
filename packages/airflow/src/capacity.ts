/**
 * MWAA sizing as pure functions, shared with the policy pack: how many DAGs each environment
 * class is sized for, and whether a given DAG count fits. The classes and capacities themselves
 * are stated in @hdp/naming (the config schema reads them too).
 */

import {
  ENVIRONMENT_CLASSES,
  isEnvironmentClass,
  MWAA_DAG_CAPACITY,
  type EnvironmentClass,
} from "@hdp/naming";

export { ENVIRONMENT_CLASSES, isEnvironmentClass, MWAA_DAG_CAPACITY, type EnvironmentClass };

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

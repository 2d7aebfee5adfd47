/**
 * Checks of an environment's DAGs before anything is planned: the Airflow version DAG files are
 * generated for, DAG ids that would hide one another, and the MWAA class's capacity (naming the
 * class that fits). Each problem names the environment file and field to change.
 */
import { validateDagCount } from "@hdp/airflow";
import { validateDagModels, type DagModel } from "@hdp/dags";
import type { Environment } from "@hdp/config";

/** Every problem with running `dags` on `environment`'s Airflow (empty when fine). */
export function validateEnvironmentDags(
  environment: Environment,
  dags: readonly DagModel[],
): string[] {
  const at = (field: string) =>
    `${environment.origin.file}:${environment.origin.line}:${environment.origin.column}  ${field}`;
  return [
    ...validateDagModels(dags).map((p) =>
      p.startsWith("Airflow ") ? `${at("airflow.version")}  ${p}` : `${at("pipelines")}  ${p}`,
    ),
    ...validateDagCount(environment.airflow.environmentClass, dags.length).map(
      (p) => `${at("airflow.environmentClass")}  environment ${environment.name}: ${p}`,
    ),
  ];
}

/** Throws every problem of {@link validateEnvironmentDags} at once. */
export function assertEnvironmentDags(environment: Environment, dags: readonly DagModel[]): void {
  const problems = validateEnvironmentDags(environment, dags);
  if (problems.length > 0) {
    throw new Error(
      `the DAGs of environment ${environment.name} cannot run:\n  ${problems.join("\n  ")}`,
    );
  }
}

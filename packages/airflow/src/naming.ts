/** Pure naming of the Airflow environment's global objects. */
import { joinName, validateBucketName } from "@hdp/naming";

/** The parts of a DAG bucket name. */
export interface DagBucketNameParts {
  /** Global discriminator (org or account slug), e.g. `hdp-acme`. */
  readonly prefix: string;
  /** e.g. `prod`. */
  readonly environment: string;
}

const PART = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SUFFIX = "airflow-dags";

/**
 * `<prefix>-<environment>-airflow-dags`, at most 63 characters (a long head is shortened with
 * a hash, the suffix stays). MWAA needs no name prefix; S3 names are global, hence the parts.
 * @throws Error listing every problem.
 */
export function dagBucketName(parts: DagBucketNameParts): string {
  const problems = Object.entries(parts)
    .filter(([, v]) => typeof v !== "string" || !PART.test(v))
    .map(
      ([k, v]) =>
        `${k} "${String(v)}" must be lowercase letters and digits in groups joined by "-"`,
    );
  if (problems.length > 0) throw new Error(`invalid DAG bucket name parts: ${problems.join("; ")}`);
  const name = `${joinName([parts.prefix, parts.environment], 63 - SUFFIX.length - 1)}-${SUFFIX}`;
  const invalid = validateBucketName(name);
  if (invalid.length > 0) throw new Error(invalid.join("; "));
  return name;
}

/** `arn:aws:s3:::<name>`: the DAG bucket's ARN before it exists (for the lake's log bucket). */
export function bucketArnFor(bucketName: string): string {
  return `arn:aws:s3:::${bucketName}`;
}

/**
 * Name rules of AWS and Databricks that the services enforce at create time and that Pulumi's
 * mock runtime never checks. Each validator returns every problem it finds (empty when valid),
 * worded for the person who wrote the config, so callers can collect all errors at once.
 */

/** A name checked against one service's rules. */
export type NameValidator = (name: string) => string[];

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const BUCKET_FORBIDDEN_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"] as const;
const BUCKET_FORBIDDEN_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3"] as const;

/** Options for {@link validateBucketName}. */
export interface BucketNameOptions {
  /**
   * Unity Catalog external locations cannot use buckets whose names contain dots.
   * @default true
   */
  readonly unityCatalog?: boolean;
}

/**
 * S3 general-purpose bucket names: 3–63 characters of lowercase letters, digits, `.` and `-`,
 * starting and ending with a letter or digit, no `..`, not an IP address, none of the reserved
 * prefixes and suffixes; and no dots at all when Unity Catalog will use the bucket.
 */
export function validateBucketName(name: string, options: BucketNameOptions = {}): string[] {
  const unityCatalog = options.unityCatalog ?? true;
  const problems: string[] = [];
  if (name.length < 3 || name.length > 63) {
    problems.push(`bucket name "${name}" is ${name.length} characters; S3 allows 3 to 63`);
  }
  if (!/^[a-z0-9.-]*$/.test(name)) {
    problems.push(`bucket name "${name}" may contain only lowercase letters, digits, "." and "-"`);
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    problems.push(`bucket name "${name}" must start and end with a lowercase letter or digit`);
  }
  if (name.includes("..") || name.includes(".-") || name.includes("-.")) {
    problems.push(`bucket name "${name}" must not contain "..", ".-" or "-."`);
  }
  if (IPV4.test(name)) problems.push(`bucket name "${name}" must not look like an IP address`);
  for (const prefix of BUCKET_FORBIDDEN_PREFIXES) {
    if (name.startsWith(prefix))
      problems.push(`bucket name "${name}" must not start with "${prefix}"`);
  }
  for (const suffix of BUCKET_FORBIDDEN_SUFFIXES) {
    if (name.endsWith(suffix)) problems.push(`bucket name "${name}" must not end with "${suffix}"`);
  }
  if (unityCatalog && name.includes(".")) {
    problems.push(
      `bucket name "${name}" must not contain "." (Unity Catalog rejects such buckets)`,
    );
  }
  return problems;
}

/** IAM role names: 1–64 characters of letters, digits and `+=,.@_-`. */
export const validateIamRoleName: NameValidator = (name) => iamName(name, "IAM role", 64);

/** IAM managed-policy names: 1–128 characters of letters, digits and `+=,.@_-`. */
export const validateIamPolicyName: NameValidator = (name) => iamName(name, "IAM policy", 128);

function iamName(name: string, what: string, max: number): string[] {
  const problems: string[] = [];
  if (name.length < 1 || name.length > max) {
    problems.push(`${what} name "${name}" is ${name.length} characters; AWS allows 1 to ${max}`);
  }
  if (!/^[\w+=,.@-]*$/.test(name)) {
    problems.push(`${what} name "${name}" may contain only letters, digits and "+=,.@_-"`);
  }
  return problems;
}

/** KMS alias names: `alias/` then 1–250 of letters, digits, `/_-`; `alias/aws/` is reserved. */
export const validateKmsAlias: NameValidator = (name) => {
  const problems: string[] = [];
  if (!name.startsWith("alias/")) problems.push(`KMS alias "${name}" must start with "alias/"`);
  if (name.startsWith("alias/aws/"))
    problems.push(`KMS alias "${name}" uses the reserved "alias/aws/"`);
  const rest = name.slice("alias/".length);
  if (rest.length < 1 || name.length > 256 || !/^[a-zA-Z0-9/_-]*$/.test(rest)) {
    problems.push(
      `KMS alias "${name}" must be "alias/" then 1 to 250 of letters, digits, "/", "_", "-"`,
    );
  }
  return problems;
};

/**
 * Unity Catalog catalog, schema, table and column names as this project writes them:
 * lowercase snake_case starting with a letter, at most 255 characters. (Unity Catalog stores
 * names lowercased; mixed case would make two config ids collide.)
 */
export const validateUnityCatalogName: NameValidator = (name) => {
  const problems: string[] = [];
  if (name.length < 1 || name.length > 255) {
    problems.push(`Unity Catalog name "${name}" is ${name.length} characters; allowed 1 to 255`);
  }
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    problems.push(
      `Unity Catalog name "${name}" must be lowercase letters, digits and "_", starting with a letter`,
    );
  }
  return problems;
};

/** MWAA environment names: a letter, then letters, digits, `-` and `_`; 1–80 characters. */
export const validateMwaaEnvironmentName: NameValidator = (name) => {
  const problems: string[] = [];
  if (!/^[a-zA-Z][0-9a-zA-Z_-]*$/.test(name) || name.length > 80) {
    problems.push(
      `MWAA environment name "${name}" must start with a letter, use only letters, digits, "-" and "_", and be at most 80 characters`,
    );
  }
  return problems;
};

/** Airflow DAG ids: 1–250 characters of letters, digits, `_`, `.` and `-`. */
export const validateDagId: NameValidator = (name) =>
  /^[A-Za-z0-9_.-]{1,250}$/.test(name)
    ? []
    : [`Airflow DAG id "${name}" must be 1 to 250 letters, digits, "_", "." or "-"`];

import { joinName } from "./build";

/** S3's limit on a bucket name's length. */
const S3_MAX = 63;

/** The parts of a lake bucket name (see {@link composeLakeBucketName}). */
export interface LakeBucketNameParts {
  /** Global discriminator chosen by the caller (org or account slug), e.g. `hdp-acme`. */
  readonly prefix: string;
  /** e.g. `dev`, `stage`, `prod`. */
  readonly environment: string;
  /** The data domain, e.g. `clinical`, `genomics`. */
  readonly domain: string;
  /** What the bucket holds: a lake layer (`landing` … `gold`), `audit`, `logs`, … */
  readonly layer: string;
  /** Appended after the layer to make the global name unique, e.g. the AWS account id. */
  readonly suffix?: string;
}

/**
 * The one shape of a lake bucket's S3 name, shared by the config model (which checks the names
 * before anything is planned) and `@hdp/lake` (which derives names for callers that give none):
 * `<prefix>-<environment>-<domain>-<layer>[-<suffix>]`, at most 63 characters. When too long,
 * only the `<prefix>-<environment>-<domain>` head is shortened, with a hash of its full text
 * ({@link joinName}), so the name stays unique and stable and still ends with what it holds.
 * Pure string building: callers validate the result (`validateBucketName`).
 */
export function composeLakeBucketName(parts: LakeBucketNameParts): string {
  const tail = [parts.layer, parts.suffix ?? ""].filter((p) => p.length > 0).join("-");
  const head = joinName([parts.prefix, parts.environment, parts.domain], S3_MAX - tail.length - 1);
  return `${head}-${tail}`;
}

/**
 * Pure naming for the lake: bucket names, the key alias and table prefixes. Bucket names are
 * global across every AWS account, so they carry a caller-chosen discriminator (`prefix`, e.g.
 * an org or account slug) and the environment; they never contain dots (Unity Catalog rejects
 * such buckets) and always end with the layer, so a shortened name still says what it holds.
 */
import {
  composeLakeBucketName,
  validateBucketName,
  validateKmsAlias,
  type LakeBucketNameParts as NameParts,
} from "@hdp/naming";

/** The Delta Lake layers of one data domain, each in its own bucket. */
export type LakeLayer = "landing" | "bronze" | "silver" | "gold";

/** Every layer, in data-flow order. */
export const LAKE_LAYERS: readonly LakeLayer[] = ["landing", "bronze", "silver", "gold"];

/** The layers Delta Lake writes (every commit rewrites files): short version history only. */
export const DELTA_LAYERS: readonly LakeLayer[] = ["bronze", "silver", "gold"];

/** What a lake bucket holds: a layer, the optional audit bucket, or the access logs. */
export type LakeBucketRole = LakeLayer | "audit" | "logs";

/** The parts of a lake bucket name (the shape itself lives in `@hdp/naming`). */
export interface LakeBucketNameParts extends NameParts {
  readonly layer: LakeBucketRole;
}

const PART = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const KEY_SEGMENT = /^[a-z0-9][a-z0-9_-]*$/;

function partProblems(parts: Readonly<Record<string, string>>): string[] {
  return Object.entries(parts)
    .filter(([, value]) => !PART.test(value))
    .map(
      ([field, value]) =>
        `${field} "${value}" must be lowercase letters and digits in groups joined by single "-"`,
    );
}

/**
 * The S3 name of one lake bucket, `<prefix>-<environment>-<domain>-<layer>[-<suffix>]`, with its
 * parts checked: the shape and its shortening are `composeLakeBucketName` of `@hdp/naming`, the
 * same function the config model names the platform's buckets with.
 * @throws Error listing every problem when a part or the resulting name is invalid.
 */
export function lakeBucketName(parts: LakeBucketNameParts): string {
  const { prefix, environment, domain, layer, suffix } = parts;
  const problems = partProblems({
    prefix,
    environment,
    domain,
    layer,
    ...(suffix !== undefined ? { suffix } : {}),
  });
  if (problems.length > 0)
    throw new Error(`invalid lake bucket name parts: ${problems.join("; ")}`);
  const name = composeLakeBucketName(parts);
  const invalid = validateBucketName(name);
  if (invalid.length > 0) throw new Error(invalid.join("; "));
  return name;
}

/** The alias of a domain's lake key: `alias/<prefix>/<environment>/<domain>/lake`. */
export function lakeKeyAlias(parts: Omit<LakeBucketNameParts, "layer">): string {
  const { prefix, environment, domain } = parts;
  const problems = partProblems({ prefix, environment, domain });
  const alias = `alias/${prefix}/${environment}/${domain}/lake`;
  problems.push(...validateKmsAlias(alias));
  if (problems.length > 0) throw new Error(`invalid lake key alias: ${problems.join("; ")}`);
  return alias;
}

/**
 * The key prefix of one table inside its layer bucket: `<source>/<table>/`. Tables share the
 * layer buckets by prefix (a bucket per table would hit the account's S3 bucket quota).
 * @throws Error when source or table is not lowercase letters, digits, `_` and `-`.
 */
export function tablePrefix(source: string, table: string): string {
  const problems = Object.entries({ source, table })
    .filter(([, value]) => !KEY_SEGMENT.test(value))
    .map(
      ([field, value]) =>
        `${field} "${value}" must start with a lowercase letter or digit and use only a-z, 0-9, "_" and "-"`,
    );
  if (problems.length > 0) throw new Error(`invalid table prefix: ${problems.join("; ")}`);
  return `${source}/${table}/`;
}

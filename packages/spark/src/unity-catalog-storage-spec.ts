/**
 * External locations as plain data: their names (unique per metastore, so the environment is
 * in them), their `s3://bucket/path` URLs, and the rule that no location may sit inside another.
 */
import { validateBucketName, validateUnityCatalogName } from "@hdp/naming";
import { assertValid, sortedEntries } from "./validation";

/** One external location: a bucket (root or a path in it). */
export interface LocationSpec {
  readonly bucketName: string;
  /** Path inside the bucket, without leading or trailing `/`; "" for the bucket root. */
  readonly path: string;
}

/** `path` without leading and trailing slashes. */
export function normalizePath(path: string): string {
  return path.replace(/^\/+|\/+$/g, "");
}

/** `s3://bucket/` for the bucket root, `s3://bucket/path` otherwise. */
export function locationUrl(bucketName: string, path: string): string {
  const p = normalizePath(path);
  return p.length === 0 ? `s3://${bucketName}/` : `s3://${bucketName}/${p}`;
}

/** `base` and a sub-path joined with exactly one `/`. */
export function joinUrl(base: string, sub: string): string {
  const s = normalizePath(sub);
  return s.length === 0 ? base : `${base.replace(/\/+$/, "")}/${s}`;
}

/** True when the location `inner` lies inside (or is) the location `outer`. */
export function isWithin(inner: LocationSpec, outer: LocationSpec): boolean {
  if (inner.bucketName !== outer.bucketName) return false;
  const i = normalizePath(inner.path);
  const o = normalizePath(outer.path);
  return o.length === 0 || i === o || i.startsWith(`${o}/`);
}

/** `<prefix>_<environment>_<id>`, `-` as `_`: unique per metastore, one metastore per region. */
export function locationNameFor(prefix: string, environment: string, id: string): string {
  return `${prefix}_${environment}_${id}`.replaceAll("-", "_");
}

/** Problems with a bucket path: S3 key characters without `//`, `.` or `..` segments. */
function validatePath(field: string, path: string): string[] {
  const p = normalizePath(path);
  if (p.length === 0) return [];
  const segments = p.split("/");
  return /^[A-Za-z0-9!_.*'()/-]+$/.test(p) &&
    segments.every((s) => s.length > 0 && s !== "." && s !== "..")
    ? []
    : [
        `${field}: "${path}" must be a plain S3 path (letters, digits, "-", "_", "." and "/" between segments)`,
      ];
}

/**
 * Every problem with the locations whose bucket names are known: bucket names valid for Unity
 * Catalog (no dots), clean paths, no location inside another (Unity Catalog rejects
 * overlapping external locations).
 */
export function validateLocations(locations: Readonly<Record<string, LocationSpec>>): string[] {
  const entries = sortedEntries(locations);
  const problems: string[] = [];
  for (const [id, loc] of entries) {
    problems.push(
      ...validateBucketName(loc.bucketName).map((p) => `buckets.${id}.bucketName: ${p}`),
      ...validatePath(`buckets.${id}.path`, loc.path),
    );
  }
  entries.forEach(([id, loc], i) => {
    for (const [otherId, other] of entries.slice(i + 1)) {
      if (isWithin(loc, other) || isWithin(other, loc)) {
        problems.push(
          `buckets.${id} (${locationUrl(loc.bucketName, loc.path)}) and buckets.${otherId} (${locationUrl(other.bucketName, other.path)}) overlap; external locations must not be nested`,
        );
      }
    }
  });
  return problems;
}

/** The URL of every location, after checking them all; throws listing every problem. */
export function resolveLocationUrls(
  locations: Readonly<Record<string, LocationSpec>>,
): Record<string, string> {
  assertValid("UnityCatalogStorage buckets", validateLocations(locations));
  return Object.fromEntries(
    sortedEntries(locations).map(([id, l]) => [id, locationUrl(l.bucketName, l.path)]),
  );
}

/** Problems with the Unity Catalog names the component derives. */
export function validateStorageNames(
  credentialName: string,
  locationNames: readonly string[],
): string[] {
  return [
    ...validateUnityCatalogName(credentialName).map((p) => `credentialName: ${p}`),
    ...locationNames.flatMap((n) => validateUnityCatalogName(n).map((p) => `location name: ${p}`)),
  ];
}

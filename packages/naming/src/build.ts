import * as crypto from "node:crypto";

/**
 * SHA-256 as hex (of names, and of the file contents components deploy): the one-shot
 * `crypto.hash` (Node >= 20.12; several times cheaper than a Hash object for short input, and
 * this runs for every resource), else `createHash`. Same digest.
 */
export const sha256Hex: (s: string) => string =
  typeof crypto.hash === "function"
    ? (s) => crypto.hash("sha256", s, "hex")
    : (s) => crypto.createHash("sha256").update(s).digest("hex");

/** A short, stable hex digest of `input` (sha256), for deterministic name discriminators. */
export function shortHash(input: string, length = 8): string {
  return sha256Hex(input).slice(0, length);
}

/**
 * Joins parts with `separator` and, when the result is longer than `max`, keeps a prefix and
 * appends a hash of the full name, so long names stay unique and stable (the same parts always
 * give the same name).
 */
export function joinName(parts: readonly string[], max: number, separator = "-"): string {
  const full = parts.filter((p) => p.length > 0).join(separator);
  if (full.length <= max) return full;
  const hash = shortHash(full, 8);
  const keep = max - hash.length - separator.length;
  return `${full.slice(0, keep).replace(/[-_.]+$/, "")}${separator}${hash}`;
}

/** Lowercases and replaces every run of characters outside `[a-z0-9]` with `replacement`. */
export function slug(input: string, replacement = "-"): string {
  return input
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, replacement)
    .replace(new RegExp(`^\\${replacement}+|\\${replacement}+$`, "g"), "");
}

/**
 * Rendering of normalized statements to policy JSON, and their sizes.
 *
 * The JSON is compact (AWS does not count whitespace, so neither do we), keys in a fixed order,
 * lists sorted and single-element lists written as plain strings. Sizing renders the same shape
 * with every Output replaced by a placeholder of its worst-case length, so the size computed at
 * construction is an upper bound of the rendered size as long as the hints hold; rendering
 * checks the real size again.
 */
import * as pulumi from "@pulumi/pulumi";
import { compare, mapStatement, type NormStatement } from "./normalize";
import { DEFAULT_UNKNOWN_LENGTH, maxLengthOf } from "./size-hints";
import { fail, isStarOnStar, principalProblems, resourceProblems } from "./validate";

/** The only policy language version this package writes. */
export const POLICY_VERSION = "2012-10-17";

function list(values: readonly string[], dedupe: boolean): string | string[] {
  const out = dedupe ? [...new Set(values)].sort(compare) : [...values];
  return out.length === 1 ? out[0] : out;
}

/** The JSON object of one statement whose values are known. */
export function statementObject(
  s: NormStatement<string>,
  dedupe: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.sid !== undefined) out.Sid = s.sid;
  out.Effect = s.effect;
  if (s.principals !== undefined) {
    out.Principal =
      s.principals === "*"
        ? "*"
        : Object.fromEntries(
            Object.entries(s.principals).map(([type, values]) => [type, list(values, dedupe)]),
          );
  }
  out.Action = list(s.actions, dedupe);
  if (s.resources !== undefined) out.Resource = list(s.resources, dedupe);
  if (s.conditions !== undefined) {
    out.Condition = Object.fromEntries(
      Object.entries(s.conditions).map(([operator, byKey]) => [
        operator,
        Object.fromEntries(Object.entries(byKey).map(([k, v]) => [k, list(v, dedupe)])),
      ]),
    );
  }
  return out;
}

/** Compact policy JSON of statements whose values are known. */
export function documentJson(statements: readonly NormStatement<string>[], dedupe = true): string {
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: statements.map((s) => statementObject(s, dedupe)),
  });
}

/** Length of a document with no statements: `{"Version":"2012-10-17","Statement":[]}`. */
export const DOCUMENT_OVERHEAD = documentJson([]).length;

/** The statement with every Output replaced by a placeholder of its worst-case length. */
export function withPlaceholders(
  s: NormStatement,
  unknownLength: number = DEFAULT_UNKNOWN_LENGTH,
): NormStatement<string> {
  return mapStatement(s, (t) =>
    typeof t === "string" ? t : "x".repeat(maxLengthOf(t, unknownLength)),
  );
}

/** Worst-case rendered length of one statement. */
export function statementMaxLength(s: NormStatement, unknownLength?: number): number {
  return JSON.stringify(statementObject(withPlaceholders(s, unknownLength), false)).length;
}

/** Worst-case rendered length of a document of these statements. */
export function documentMaxLength(
  statements: readonly NormStatement[],
  unknownLength?: number,
): number {
  if (statements.length === 0) return DOCUMENT_OVERHEAD;
  return statements.reduce(
    (sum, s) => sum + statementMaxLength(s, unknownLength) + 1,
    DOCUMENT_OVERHEAD - 1,
  );
}

/** Sids repeated within one document (IAM requires them unique). */
export function duplicateSids(statements: readonly NormStatement<unknown>[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const s of statements) {
    if (s.sid === undefined) continue;
    if (seen.has(s.sid)) dup.add(s.sid);
    seen.add(s.sid);
  }
  return [...dup].sort(compare);
}

/** Options of {@link renderNormalized}. */
export interface RenderNormalizedOptions {
  /** Names the document in errors. */
  readonly label: string;
  /** Fails when the rendered document is longer. */
  readonly maxLength?: number;
  /** Trust policies: principal `*` is refused in `Allow` statements. */
  readonly trust?: boolean;
}

/** Checks of values that were unknown at construction; returns every problem. */
function resolvedProblems(statements: readonly NormStatement<string>[], trust: boolean): string[] {
  const problems: string[] = [];
  statements.forEach((s, i) => {
    const where = `statement ${i + 1}${s.sid === undefined ? "" : ` (${s.sid})`}`;
    const resources = s.resources ?? [];
    for (const r of resources) problems.push(...resourceProblems(where, r));
    if (isStarOnStar(s.actions, resources)) {
      problems.push(`${where}: "*" action on "*" resource is never allowed`);
    }
    if (s.principals !== undefined && s.principals !== "*") {
      for (const [type, values] of Object.entries(s.principals)) {
        for (const v of values) {
          problems.push(...principalProblems(where, type, v));
          if (trust && s.effect === "Allow" && type === "AWS" && v === "*") {
            problems.push(`${where}: AWS principal "*" would let anyone assume the role`);
          }
        }
      }
    }
  });
  const dup = duplicateSids(statements);
  if (dup.length > 0) problems.push(`sids used more than once: ${dup.join(", ")}`);
  return problems;
}

/**
 * The JSON of statements whose values have resolved: lists deduplicated and sorted by value,
 * every check repeated on the resolved values, and the length checked. Throws on any problem.
 */
export function renderResolved(
  resolved: readonly NormStatement<string>[],
  options: RenderNormalizedOptions,
): string {
  const problems = resolvedProblems(resolved, options.trust ?? false);
  const json = documentJson(resolved, true);
  if (options.maxLength !== undefined && json.length > options.maxLength) {
    problems.push(
      `the rendered document is ${json.length} characters, over the limit of ${options.maxLength}` +
        " (an Output resolved longer than its size hint)",
    );
  }
  if (problems.length > 0) fail(options.label, problems);
  return json;
}

/** Renders normalized statements once every Output has resolved ({@link renderResolved}). */
export function renderNormalized(
  statements: readonly NormStatement[],
  options: RenderNormalizedOptions,
): pulumi.Output<string> {
  return (pulumi.output(statements) as unknown as pulumi.Output<NormStatement<string>[]>).apply(
    (resolved) => renderResolved(resolved, options),
  );
}

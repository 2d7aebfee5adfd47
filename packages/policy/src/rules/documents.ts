/**
 * IAM and resource-policy documents (identity policies, trust policies, bucket and key
 * policies) as plain statements, and the size AWS counts. Pure functions over JSON.
 */
import {
  isRecord,
  isUnknown,
  list,
  parseJsonDocument,
  rec,
  str,
  UNKNOWN,
  type Value,
} from "../values";

/** One statement with every string-or-list field as a list. */
export interface Statement {
  readonly sid: string | undefined;
  readonly effect: "Allow" | "Deny" | undefined;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** `*` for the anonymous principal, else principal type (`AWS`, `Service`, …) → values. */
  readonly principal: "*" | Readonly<Record<string, readonly string[]>> | undefined;
  /** Operator → condition key → values. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** True when any field of the statement was unknown (skip it rather than guess). */
  readonly unknown: boolean;
}

const strs = (v: Value | undefined): { values: string[]; unknown: boolean } => {
  let unknown = isUnknown(v);
  const values: string[] = [];
  for (const x of list(v)) {
    if (typeof x === "string") values.push(x);
    else if (typeof x === "number" || typeof x === "boolean") values.push(String(x));
    else if (isUnknown(x)) unknown = true;
  }
  return { values, unknown };
};

function statementOf(raw: Value): Statement {
  const s = rec(raw);
  let unknown = false;
  const field = (k: string): string[] => {
    const r = strs(s[k]);
    unknown ||= r.unknown;
    return r.values;
  };
  let principal: Statement["principal"];
  const p = s.Principal;
  if (p === "*") principal = "*";
  else if (isUnknown(p)) unknown = true;
  else if (isRecord(p)) {
    const out: Record<string, readonly string[]> = {};
    for (const k of Object.keys(p)) {
      const r = strs(p[k]);
      unknown ||= r.unknown;
      out[k] = r.values;
    }
    principal = out;
  }
  const conditions: Record<string, Record<string, readonly string[]>> = {};
  if (isUnknown(s.Condition)) unknown = true;
  for (const [op, keys] of Object.entries(rec(s.Condition))) {
    if (isUnknown(keys)) unknown = true;
    conditions[op] = {};
    for (const [k, v] of Object.entries(rec(keys))) {
      const r = strs(v);
      unknown ||= r.unknown;
      conditions[op][k] = r.values;
    }
  }
  const effect = str(s.Effect);
  if (isUnknown(s.Effect)) unknown = true;
  return {
    sid: str(s.Sid),
    effect: effect === "Allow" || effect === "Deny" ? effect : undefined,
    actions: field("Action"),
    notActions: field("NotAction"),
    resources: field("Resource"),
    notResources: field("NotResource"),
    principal,
    conditions,
    unknown,
  };
}

/**
 * The statements of a document given as JSON text or object: {@link UNKNOWN} when the
 * document is unknown, undefined when it is not a policy document.
 */
export function statementsOf(
  document: Value | undefined,
): Statement[] | typeof UNKNOWN | undefined {
  const doc = parseJsonDocument(document);
  if (doc === UNKNOWN) return UNKNOWN;
  if (!isRecord(doc)) return undefined;
  if (isUnknown(doc.Statement)) return UNKNOWN;
  return list(doc.Statement).map(statementOf);
}

/** `*`-style wildcard match of an IAM action or ARN pattern (case-insensitive, as IAM actions). */
export function wildcardMatches(pattern: string, value: string): boolean {
  // A pattern without wildcards matches only a value of its length (the case-insensitive regex
  // compares code unit by code unit): most ARNs a probe meets are answered here.
  if (pattern.length !== value.length && !pattern.includes("*")) return false;
  // The literal text before the first wildcard must open the value. Checked without the regex
  // when that text is ASCII (then case-insensitive equality is equality of lower case, and a
  // non-ASCII character of the value never matches it): a stack's patterns are mostly distinct
  // ARNs (one bucket per source), and compiling each to test it once cost more than the rules.
  const open = literalPrefix(pattern);
  if (
    open.length > 0 &&
    isAscii(open) &&
    (value.length < open.length || value.slice(0, open.length).toLowerCase() !== open.toLowerCase())
  ) {
    return false;
  }
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = new RegExp(
      `^${pattern
        .split("*")
        .map((part) => part.split("?").map(escape).join("."))
        .join(".*")}$`,
      "i",
    );
    // The patterns of a stack's documents repeat (every role names the same actions and the
    // same kinds of ARNs): compile each once. Bounded, so a long run does not grow it forever.
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(pattern, re);
  }
  return re.test(value);
}

/** The text of `pattern` before its first `*` or `?`. */
function literalPrefix(pattern: string): string {
  const star = pattern.indexOf("*");
  const mark = pattern.indexOf("?");
  const end = star < 0 ? mark : mark < 0 ? star : Math.min(star, mark);
  return end < 0 ? pattern : pattern.slice(0, end);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Compiled {@link wildcardMatches} patterns (a plain cache: the regexes carry no state). */
const compiled = new Map<string, RegExp>();
const MAX_COMPILED = 50_000;

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}

/** True when the statement's actions include `action` (through wildcards too). */
export function grantsAction(s: Statement, action: string): boolean {
  return s.actions.some((a) => wildcardMatches(a, action));
}

/** True for the anonymous principal: `"*"` or `{"AWS": "*"}`. */
export function isAnyone(principal: Statement["principal"]): boolean {
  if (principal === undefined) return false;
  if (principal === "*") return true;
  return (principal.AWS ?? []).includes("*");
}

/** The number of characters AWS counts in a policy document: everything but whitespace. */
export function countedLength(document: string): number {
  return document.replace(/\s/g, "").length;
}

/**
 * The 12-digit account of an IAM principal: `123456789012`, `arn:aws:iam::123456789012:root`,
 * `arn:aws:iam::123456789012:role/x`, or undefined for other forms.
 */
export function principalAccount(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const m = /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/.exec(principal);
  return m?.[1];
}

/** All condition keys of a statement, lower-cased (IAM condition keys are case-insensitive). */
export function conditionKeys(s: Statement): string[] {
  return Object.values(s.conditions).flatMap((keys) =>
    Object.keys(keys).map((k) => k.toLowerCase()),
  );
}

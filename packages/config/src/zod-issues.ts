/**
 * Turns zod issues into {@link ConfigError}s with file:line:col and wording for data engineers,
 * including "did you mean" for misspelt keys and values.
 */
import type { z } from "zod";
import type { ConfigError } from "./errors";
import { fieldPath } from "./errors";
import { didYouMean } from "./suggest";
import type { ParsedYaml } from "./yaml-file";

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

/** Validates parsed YAML against `schema`; returns the typed value or every error. */
export function validateWith<S extends z.ZodType>(
  schema: S,
  parsed: ParsedYaml,
): { ok: true; value: z.output<S> } | { ok: false; errors: ConfigError[] } {
  const result = schema.safeParse(parsed.data);
  if (result.success) return { ok: true, value: result.data };
  const errors = result.error.issues.flatMap((i) => toConfigErrors(i, schema, parsed));
  // A misspelt key also makes the right one "required": say it once, at the misspelling.
  const suggested = new Set(
    errors.flatMap((e) => {
      const m = /^unknown key "[^"]*"; did you mean "([^"]+)"\?/.exec(e.message);
      return m === null ? [] : [`${e.field.replace(/\.?[^.[\]]+$/, "")}\u0000${m[1]}`];
    }),
  );
  return {
    ok: false,
    errors: errors.filter((e) => {
      if (e.message !== "is required") return true;
      const parent = e.field.replace(/\.?[^.[\]]+$/, "");
      const name = e.field.slice(parent.length).replace(/^\./, "");
      return !suggested.has(`${parent}\u0000${name}`);
    }),
  };
}

function toConfigErrors(issue: Issue, schema: AnySchema, parsed: ParsedYaml): ConfigError[] {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  const at = (p: readonly PropertyKey[], message: string, key = false): ConfigError => {
    const pos = parsed.locate(p, key);
    return { file: parsed.file, line: pos.line, column: pos.column, field: fieldPath(p), message };
  };
  const value = valueAt(parsed.data, path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = keysAt(schema, path, parsed.data);
      return issue.keys.map((k) =>
        at(
          [...path, k],
          `unknown key "${k}"${didYouMean(k, allowed)}${allowed.length > 0 ? ` (allowed: ${allowed.join(", ")})` : ""}`,
          true,
        ),
      );
    }
    case "invalid_type":
      if (value === undefined) return [at(path, "is required")];
      if (
        issue.expected === "string" &&
        (typeof value === "number" || typeof value === "boolean")
      ) {
        return [
          at(
            path,
            `must be a string, not ${describe(value)}; quote it so YAML keeps it as text (unquoted digits lose leading zeros)`,
          ),
        ];
      }
      return [at(path, `must be ${article(issue.expected)}, not ${describe(value)}`)];
    case "invalid_value": {
      const options = issue.values.map(String);
      const hint = typeof value === "string" ? didYouMean(value, options) : "";
      return [at(path, `must be one of ${options.join(", ")}, not ${describe(value)}${hint}`)];
    }
    case "invalid_union": {
      const disc = (issue as { discriminator?: string }).discriminator;
      const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
      if (disc !== undefined) {
        if (value === undefined) return [at(path, `is required (one of ${options.join(", ")})`)];
        const hint = typeof value === "string" ? didYouMean(value, options) : "";
        return [at(path, `must be one of ${options.join(", ")}, not ${describe(value)}${hint}`)];
      }
      return [at(path, issue.message)];
    }
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? "at least" : "at most";
      const limit = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const exact = (issue as { exact?: boolean }).exact === true;
      const amount = exact ? `exactly ${limit}` : `${bound} ${limit}`;
      const what =
        issue.origin === "array"
          ? `${amount} item${limit === "1" ? "" : "s"}`
          : issue.origin === "string"
            ? `${amount} character${limit === "1" ? "" : "s"}`
            : amount;
      const custom = issue.message.startsWith("Too ") ? undefined : issue.message;
      return [
        at(
          path,
          custom ??
            `must have ${what}`.replace(/^must have (at (least|most) -?\d+)$/, "must be $1"),
        ),
      ];
    }
    default:
      return [at(path, issue.message)];
  }
}

function article(expected: string): string {
  if (expected === "array") return "a list";
  if (expected === "object") return "a mapping";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return `${typeof value} ${value}`;
  }
  return typeof value;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  innerType?: AnySchema;
  in?: AnySchema;
  options?: AnySchema[];
  discriminator?: string;
  valueType?: AnySchema;
}

const defOf = (s: AnySchema): Def => s._zod.def;

/** The keys an object schema allows at `path` (used to suggest the right spelling). */
export function keysAt(schema: AnySchema, path: readonly PropertyKey[], data: unknown): string[] {
  let s: AnySchema | undefined = schema;
  let d: unknown = data;
  let i = 0;
  while (s !== undefined) {
    const def = defOf(s);
    if (
      def.type === "optional" ||
      def.type === "default" ||
      def.type === "nullable" ||
      def.type === "prefault"
    ) {
      s = def.innerType;
      continue;
    }
    if (def.type === "pipe") {
      s = def.in;
      continue;
    }
    if (def.type === "union") {
      s = pickUnionOption(def, d);
      continue;
    }
    if (i === path.length)
      return def.type === "object"
        ? Object.keys(def.shape ?? {}).filter((k) => k !== "$schema")
        : [];
    const seg = path[i++];
    d = d !== null && typeof d === "object" ? (d as Record<PropertyKey, unknown>)[seg] : undefined;
    if (def.type === "object") s = def.shape?.[String(seg)];
    else if (def.type === "array") s = def.element;
    else if (def.type === "record") s = def.valueType;
    else return [];
  }
  return [];
}

function pickUnionOption(def: Def, data: unknown): AnySchema | undefined {
  const options = def.options ?? [];
  if (def.discriminator !== undefined && data !== null && typeof data === "object") {
    const want = (data as Record<string, unknown>)[def.discriminator];
    const match = options.find((o) => {
      const shape = defOf(o).shape;
      const lit = shape?.[def.discriminator!];
      const values = (lit?._zod.def as unknown as { values?: unknown[] } | undefined)?.values;
      return values?.includes(want) ?? false;
    });
    if (match !== undefined) return match;
  }
  return options[0];
}

/**
 * The canonical form of a set of statements, computed before any Output resolves.
 *
 * Statements are taken apart into (effect, sid, principals, conditions, action, resource) pairs
 * and put back together: within one (effect, sid, principals, conditions) group, resources with
 * the same set of actions share one statement. So no action×resource pair is lost or repeated,
 * and the result does not depend on the order of the input. Known strings sort by value;
 * Outputs cannot, so they sort after the strings in the order first seen (and by value again
 * when the document renders).
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
  ConditionValue,
  PolicyConditions,
  PolicyEffect,
  PolicyPrincipals,
  PolicyStatement,
  PrincipalType,
  TrustStatement,
} from "./policy-types";

/** A value in a normalized statement: a string, or still an Input of one. */
export type Term = pulumi.Input<string>;

/** Principals by type, types in sorted order. */
export type NormPrincipals<T> = "*" | Readonly<Partial<Record<PrincipalType, readonly T[]>>>;
/** operator → key → values, operators and keys in sorted order. */
export type NormConditions<T> = Readonly<Record<string, Readonly<Record<string, readonly T[]>>>>;

/** A statement in canonical form. `resources` is absent for trust statements. */
export interface NormStatement<T = Term> {
  readonly sid?: string;
  readonly effect: PolicyEffect;
  readonly principals?: NormPrincipals<T>;
  readonly actions: readonly string[];
  readonly resources?: readonly T[];
  readonly conditions?: NormConditions<T>;
}

/**
 * Sort keys for terms: known strings as `0<value>`, Outputs as `1<n>` where n is the order in
 * which this key set first saw the object. One instance per normalization, so no state leaks
 * between programs.
 */
export class TermKeys {
  private readonly ids = new Map<object, number>();

  key(term: Term): string {
    if (typeof term === "string") return `0${term}`;
    const object = term as object;
    let id = this.ids.get(object);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(object, id);
    }
    return `1${String(id).padStart(10, "0")}`;
  }

  /** Sorted, without duplicates (same string, or same Output object). */
  sortUnique(terms: readonly Term[]): Term[] {
    const byKey = new Map<string, Term>();
    for (const t of terms) byKey.set(this.key(t), t);
    return [...byKey.keys()].sort(compare).map((k) => byKey.get(k) as Term);
  }
}

/** Plain code-unit comparison: the same in every locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function asList(value: ConditionValue): readonly Term[] {
  return Array.isArray(value) ? (value as readonly Term[]) : [value as Term];
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compare);
}

function normConditions(
  conditions: PolicyConditions | undefined,
  keys: TermKeys,
): NormConditions<Term> | undefined {
  if (conditions === undefined || Object.keys(conditions).length === 0) return undefined;
  const out: Record<string, Record<string, readonly Term[]>> = {};
  for (const operator of Object.keys(conditions).sort(compare)) {
    const byKey = conditions[operator];
    const entry: Record<string, readonly Term[]> = {};
    for (const key of Object.keys(byKey).sort(compare)) {
      entry[key] = keys.sortUnique(asList(byKey[key]));
    }
    out[operator] = entry;
  }
  return out;
}

function normPrincipals(
  principals: PolicyPrincipals | undefined,
  keys: TermKeys,
): NormPrincipals<Term> | undefined {
  if (principals === undefined || principals === "*") return principals;
  const out: Partial<Record<PrincipalType, readonly Term[]>> = {};
  for (const type of Object.keys(principals).sort(compare) as PrincipalType[]) {
    out[type] = keys.sortUnique(asList(principals[type] as ConditionValue));
  }
  return out;
}

/** The same statement with every term mapped by `f` (structure and order unchanged). */
export function mapStatement<A, B>(s: NormStatement<A>, f: (term: A) => B): NormStatement<B> {
  return {
    ...(s.sid === undefined ? {} : { sid: s.sid }),
    effect: s.effect,
    ...optional("principals", mapPrincipals(s.principals, f)),
    actions: s.actions,
    ...optional("resources", s.resources?.map(f)),
    ...optional("conditions", mapConditions(s.conditions, f)),
  };
}

function mapPrincipals<A, B>(
  p: NormPrincipals<A> | undefined,
  f: (term: A) => B,
): NormPrincipals<B> | undefined {
  if (p === undefined || p === "*") return p;
  const out: Partial<Record<PrincipalType, readonly B[]>> = {};
  for (const [type, values] of Object.entries(p) as [PrincipalType, readonly A[]][]) {
    out[type] = values.map(f);
  }
  return out;
}

function mapConditions<A, B>(
  c: NormConditions<A> | undefined,
  f: (term: A) => B,
): NormConditions<B> | undefined {
  if (c === undefined) return undefined;
  const out: Record<string, Record<string, readonly B[]>> = {};
  for (const [operator, byKey] of Object.entries(c)) {
    const entry: Record<string, readonly B[]> = {};
    for (const [key, values] of Object.entries(byKey)) entry[key] = values.map(f);
    out[operator] = entry;
  }
  return out;
}

/** The full sort key of a normalized statement. */
export function statementKey(s: NormStatement, keys: TermKeys): string {
  const k = mapStatement(s, (t) => keys.key(t));
  return JSON.stringify([
    k.effect,
    k.sid ?? "",
    k.principals ?? null,
    k.conditions ?? null,
    k.actions,
    k.resources ?? [],
  ]);
}

/** Canonical form of identity or resource statements (see the module comment). */
export function normalizeStatements(
  statements: readonly PolicyStatement[],
  keys: TermKeys = new TermKeys(),
): NormStatement[] {
  interface Group {
    readonly head: Omit<NormStatement, "actions" | "resources">;
    readonly byResource: Map<string, { readonly term: Term; readonly actions: Set<string> }>;
  }
  const groups = new Map<string, Group>();
  for (const s of statements) {
    const head = {
      ...(s.Sid === undefined ? {} : { sid: s.Sid }),
      effect: s.Effect,
      ...optional("principals", normPrincipals(s.Principal, keys)),
      ...optional("conditions", normConditions(s.Condition, keys)),
    };
    const k = mapStatement({ ...head, actions: [] }, (t) => keys.key(t));
    const groupKey = JSON.stringify([
      k.effect,
      k.sid ?? "",
      k.principals ?? null,
      k.conditions ?? null,
    ]);
    let group = groups.get(groupKey);
    if (group === undefined) {
      group = { head, byResource: new Map() };
      groups.set(groupKey, group);
    }
    for (const resource of s.Resource) {
      const rk = keys.key(resource);
      let entry = group.byResource.get(rk);
      if (entry === undefined) {
        entry = { term: resource, actions: new Set() };
        group.byResource.set(rk, entry);
      }
      for (const a of s.Action) entry.actions.add(a);
    }
  }
  const out: NormStatement[] = [];
  for (const group of groups.values()) {
    const byActions = new Map<string, { actions: string[]; resources: Term[] }>();
    for (const { term, actions } of group.byResource.values()) {
      const sorted = sortedUnique([...actions]);
      const ak = JSON.stringify(sorted);
      const entry = byActions.get(ak) ?? { actions: sorted, resources: [] };
      entry.resources.push(term);
      byActions.set(ak, entry);
    }
    for (const { actions, resources } of byActions.values()) {
      out.push({ ...group.head, actions, resources: keys.sortUnique(resources) });
    }
  }
  return sortStatements(out, keys);
}

/**
 * Canonical form of trust statements: statements equal but for their principals are merged
 * (principals are OR-ed), lists sorted and deduplicated.
 */
export function normalizeTrustStatements(
  statements: readonly TrustStatement[],
  keys: TermKeys = new TermKeys(),
): NormStatement[] {
  const groups = new Map<
    string,
    { head: Omit<NormStatement, "principals">; principals: Map<PrincipalType, Term[]> }
  >();
  for (const s of statements) {
    const head = {
      ...(s.Sid === undefined ? {} : { sid: s.Sid }),
      effect: s.Effect ?? "Allow",
      actions: sortedUnique(s.Action ?? ["sts:AssumeRole"]),
      ...optional("conditions", normConditions(s.Condition, keys)),
    };
    const k = mapStatement(head, (t) => keys.key(t));
    const groupKey = JSON.stringify([k.effect, k.sid ?? "", k.actions, k.conditions ?? null]);
    const group = groups.get(groupKey) ?? { head, principals: new Map<PrincipalType, Term[]>() };
    groups.set(groupKey, group);
    for (const [type, value] of Object.entries(s.Principal) as [PrincipalType, ConditionValue][]) {
      group.principals.set(type, [...(group.principals.get(type) ?? []), ...asList(value)]);
    }
  }
  const out: NormStatement[] = [];
  for (const { head, principals } of groups.values()) {
    const norm: Partial<Record<PrincipalType, readonly Term[]>> = {};
    for (const type of [...principals.keys()].sort(compare)) {
      norm[type] = keys.sortUnique(principals.get(type) ?? []);
    }
    out.push({ ...head, principals: norm });
  }
  return sortStatements(out, keys);
}

function sortStatements(statements: NormStatement[], keys: TermKeys): NormStatement[] {
  return statements
    .map((s) => ({ s, k: statementKey(s, keys) }))
    .sort((a, b) => compare(a.k, b.k))
    .map(({ s }) => s);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: V });
}

/** One managed policy of a split. */
export interface PolicyDocumentPart {
  /** Normalized statements; render with `renderPolicyDocumentPart`. */
  readonly statements: readonly NormStatement[];
  /** Upper bound of the rendered length (Outputs at their hinted length). */
  readonly maxLength: number;
}

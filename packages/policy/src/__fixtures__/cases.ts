/** Per-rule cases: compliant resources give no result at all, non-compliant ones exactly one. */
import {
  evaluate,
  policies,
  type EvaluatedResource,
  type HdpPolicy,
  type PolicyContext,
} from "../index";
import { PROD } from "./resources";

export interface RuleCase {
  readonly rule: string;
  readonly title: string;
  readonly resources: EvaluatedResource[];
  /** @default PROD */
  readonly context?: PolicyContext;
  /** The one violation expected (its resource's logical name, undefined for the stack); none when absent. */
  readonly violation?: { readonly name: string | undefined; readonly message: RegExp };
}

/**
 * Runs the whole pack on the case and checks the outcome. Cases are partial stacks: rules that
 * require something to exist in a whole stack (`presence`: a trail, MWAA's log groups, a backup,
 * the workspace's hardening) run only in their own cases; whole stacks (the sample estate, the
 * insecure corpus, components.test.ts's platform stacks) run every rule.
 */
export function check(c: RuleCase): void {
  const rules = policies
    .filter((p) => p.doc.presence !== true || p.name === c.rule)
    .map((p) => p.name);
  const results = evaluate(c.resources, c.context ?? PROD, { rules });
  const got = results.map((r) => ({ rule: r.rule, name: r.name, message: r.message }));
  if (c.violation === undefined) {
    expect(got).toEqual([]);
  } else {
    // Rule and resource first (the failure shows every result), then the message.
    expect(got.map((g) => [g.rule, g.name, g.message])).toEqual([
      [c.rule, c.violation.name, got[0]?.message],
    ]);
    expect(got[0]?.message).toMatch(c.violation.message);
  }
}

/** The rules of `policies` that lack a compliant or a non-compliant case. */
export function uncovered(policies: readonly HdpPolicy[], cases: readonly RuleCase[]): string[] {
  return policies
    .map((p) => p.name)
    .filter(
      (name) =>
        !cases.some((c) => c.rule === name && c.violation === undefined) ||
        !cases.some((c) => c.rule === name && c.violation !== undefined),
    );
}

/** `[title, case]` rows for test.each. */
export const rows = (cases: readonly RuleCase[]): [string, RuleCase][] =>
  cases.map((c) => [`${c.rule}: ${c.title}`, c]);

/**
 * The policy part of the plan's reports, as text lines (terminal, CI logs) and markdown (the
 * pull-request comment): findings grouped by rule — blocking rules first — each with its level,
 * the resource, the config entry's file:line and the remediation; then the reviewed relaxations
 * in force, flagging those that relaxed nothing.
 */
import { posix } from "node:path";
import type { PolicyFinding, PolicyReport, RelaxationInForce } from "../policy/policy";

/** Findings of one rule. */
export interface RuleGroup {
  readonly rule: string;
  readonly description: string;
  readonly remediation: string;
  readonly severity: string | undefined;
  readonly mandatory: number;
  readonly findings: readonly PolicyFinding[];
}

const SEVERITY = ["critical", "high", "medium", "low"];
const rank = (s: string | undefined): number => {
  const i = SEVERITY.indexOf(s ?? "");
  return i < 0 ? SEVERITY.length : i;
};
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Findings grouped by rule: rules with mandatory findings first, then by severity and name. */
export function groupByRule(findings: readonly PolicyFinding[]): RuleGroup[] {
  const groups = new Map<string, PolicyFinding[]>();
  for (const f of findings) {
    const g = groups.get(f.rule) ?? [];
    g.push(f);
    groups.set(f.rule, g);
  }
  return [...groups.values()]
    .map((list): RuleGroup => {
      const first = list[0];
      return {
        rule: first.rule,
        description: first.description,
        remediation: first.remediation,
        severity: first.severity,
        mandatory: list.filter((f) => f.level === "mandatory").length,
        findings: [...list].sort(
          (a, b) =>
            byString(a.stack, b.stack) ||
            byString(a.urn ?? "", b.urn ?? "") ||
            byString(a.message, b.message),
        ),
      };
    })
    .sort(
      (a, b) =>
        Number(b.mandatory > 0) - Number(a.mandatory > 0) ||
        rank(a.severity) - rank(b.severity) ||
        byString(a.rule, b.rule),
    );
}

/** `configs/<file>:<line>` of a finding's config entry. */
export const whereOf = (f: PolicyFinding, configs: string): string =>
  f.origin === undefined ? "" : `${posix.join(configs, f.origin.file)}:${f.origin.line}`;

const n = (x: number): string => x.toLocaleString("en-US");
const plural = (x: number, word: string): string => `${n(x)} ${word}${x === 1 ? "" : "s"}`;

/** One line: how many findings, how many block. */
export function policySummary(report: PolicyReport): string {
  const stacks = plural(report.stacks.length, "stack");
  if (report.findings.length === 0) return `policy: no violations in ${stacks}`;
  const relaxed = report.findings.filter((f) => f.relaxed !== undefined).length;
  const advisory = report.findings.length - report.blocking - relaxed;
  const parts = [
    `${n(report.blocking)} mandatory`,
    `${n(advisory)} advisory`,
    ...(relaxed > 0 ? [`${n(relaxed)} relaxed`] : []),
  ];
  const verdict =
    report.blocking > 0
      ? `: ${plural(report.blocking, "violation")} must be fixed`
      : ": nothing blocks";
  return `policy: ${parts.join(", ")} in ${stacks}${verdict}`;
}

const levelOf = (f: PolicyFinding): string =>
  f.relaxed !== undefined ? "relaxed" : f.level === "mandatory" ? "MANDATORY" : "advisory";

const target = (f: PolicyFinding): string =>
  f.urn === undefined ? "(the stack)" : `${f.type ?? ""}  ${f.name ?? f.urn}`;

function relaxationLines(rs: readonly RelaxationInForce[], configs: string): string[] {
  if (rs.length === 0) return [];
  return [
    "relaxations in force (policies.relaxations, reviewed exceptions):",
    ...rs.map(
      (r) =>
        `  ${r.environment}  ${r.rule}  ${r.resource}: ${r.reason.trim()}  (approved by ${r.approvedBy}, ${r.expired ? "EXPIRED on" : "until"} ${r.expires}; ${posix.join(configs, r.file)})${r.expired ? "  — relaxes nothing any more" : r.used ? "" : "  — relaxed nothing in the stacks planned: remove it if it is stale"}`,
    ),
  ];
}

/** Text lines of the policy report; at most `max` findings are listed per rule. */
export function policyText(report: PolicyReport, configs: string, max = 20): string[] {
  const out = [policySummary(report)];
  for (const g of groupByRule(report.findings)) {
    out.push(
      `  ${g.rule} — ${g.description} (${plural(g.findings.length, "finding")}${g.mandatory > 0 ? `, ${n(g.mandatory)} mandatory` : ""})`,
    );
    for (const f of g.findings.slice(0, max)) {
      const where = whereOf(f, configs);
      out.push(
        `    ${levelOf(f)}  ${f.stack}  ${target(f)}${where !== "" ? `  (${where})` : ""}`,
        `      ${f.message.split("\n").join("\n      ")}`,
      );
    }
    if (g.findings.length > max) out.push(`    …and ${n(g.findings.length - max)} more`);
    out.push(`    fix: ${g.remediation}`);
  }
  out.push(...relaxationLines(report.relaxations, configs));
  return out;
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Markdown lines of the policy report; at most `max` findings are listed per rule. */
export function policyMarkdown(report: PolicyReport, configs: string, max: number): string[] {
  const groups = groupByRule(report.findings);
  const out = [`#### Policy`, "", policySummary(report).replace(/^policy: /, ""), ""];
  for (const g of groups) {
    const open = g.mandatory > 0 ? " open" : "";
    out.push(
      `<details${open}><summary>${code(g.rule)}: ${cell(g.description)} — ${plural(g.findings.length, "finding")}${g.mandatory > 0 ? `, **${n(g.mandatory)} mandatory**` : ""}</summary>`,
      "",
      "| level | stack | resource | config | finding |",
      "| --- | --- | --- | --- | --- |",
      ...g.findings
        .slice(0, max)
        .map(
          (f) =>
            `| ${levelOf(f)} | ${f.stack} | ${f.urn === undefined ? "(the stack)" : `${code(f.type ?? "")} ${cell(f.name ?? "")}`} | ${whereOf(f, configs) !== "" ? code(whereOf(f, configs)) : ""} | ${cell(f.message)} |`,
        ),
      ...(g.findings.length > max ? [`| | | …and ${n(g.findings.length - max)} more | | |`] : []),
      "",
      `**Fix:** ${cell(g.remediation)}`,
      "",
      "</details>",
      "",
    );
  }
  if (report.relaxations.length > 0) {
    out.push(
      "Relaxations in force (`policies.relaxations`):",
      "",
      ...report.relaxations.map(
        (r) =>
          `- ${r.environment}: ${code(r.rule)} on ${code(r.resource)} — ${r.reason.trim()} (approved by ${r.approvedBy}, ${r.expired ? "**expired** on" : "until"} ${r.expires})${r.expired ? " _(relaxes nothing any more)_" : r.used ? "" : " _(relaxed nothing in the stacks planned: stale?)_"}`,
      ),
      "",
    );
  }
  return out;
}

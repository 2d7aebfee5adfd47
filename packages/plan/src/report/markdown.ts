/**
 * The plan as a pull-request comment: totals, problems, stateful resources at risk, a table
 * per stack and the changes behind `<details>`. Long lists are capped with counts so the
 * comment stays well under GitHub's 65,536-character limit.
 */
import type { PlanDiff, ResourceRef, StackDiff } from "../inventory/diff";
import { guardMarkdown } from "./guard-report";
import type { PlanResult } from "../planner";
import { policyMarkdown } from "./policy-report";

/** Characters the report aims to stay under. */
export const MARKDOWN_BUDGET = 60_000;

const n = (x: number): string => x.toLocaleString("en-US");
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

function capped<T>(items: readonly T[], max: number, line: (t: T) => string): string[] {
  const shown = items.slice(0, max).map(line);
  if (items.length > max) shown.push(`- …and ${n(items.length - max)} more`);
  return shown;
}

const counts = (d: StackDiff): string =>
  [
    [d.created.length, "to create"],
    [d.updated.length, "to update"],
    [d.deleted.length, "to delete"],
    [d.replaced.length, "replaced"],
  ]
    .filter(([c]) => (c as number) > 0)
    .map(([c, w]) => `${n(c as number)} ${w as string}`)
    .join(", ") || "no changes";

function stackDetails(d: StackDiff, max: number): string[] {
  const item = (r: ResourceRef): string => `- ${code(r.type)} ${r.name}${r.stateful ? " ⚠️" : ""}`;
  const out = [`<details><summary><b>${d.stack}</b>: ${counts(d)}</summary>`, ""];
  if (d.created.length > 0) out.push("**Create**", ...capped(d.created, max, item), "");
  if (d.updated.length > 0) {
    out.push(
      "**Update**",
      ...capped(d.updated, max, (u) => {
        const paths = u.paths.slice(0, 5).map(code).join(", ");
        const more = u.paths.length > 5 ? ` and ${n(u.paths.length - 5)} more` : "";
        return `- ${code(u.type)} ${u.name}: ${paths}${more}`;
      }),
      "",
    );
  }
  if (d.deleted.length > 0) out.push("**Delete**", ...capped(d.deleted, max, item), "");
  const forced = d.replaced.filter((x) => x.cause === "inputs");
  const renamed = d.replaced.filter((x) => x.cause === "rename");
  if (forced.length > 0) {
    out.push(
      "**Replace** (`+-`: an input the provider cannot change in place changed; Pulumi creates a new object and deletes the old one with its contents)",
      ...capped(forced, max, (x) => {
        const paths = x.forcedBy.slice(0, 5).map(code).join(", ");
        const more = x.forcedBy.length > 5 ? ` and ${n(x.forcedBy.length - 5)} more` : "";
        return `- \`+-\` ${code(x.type)} ${x.to.name}: ${paths}${more}${x.to.stateful ? " ⚠️" : ""}`;
      }),
      "",
    );
  }
  if (renamed.length > 0) {
    out.push(
      "**Replaced: logical name changed, same physical object** (Pulumi deletes and re-creates it unless the new resource gets an alias of the old URN)",
      ...capped(renamed, max, (x) => {
        const from = x.from.stack === x.to.stack ? x.from.name : `${x.from.stack}/${x.from.name}`;
        return `- \`+-\` ${code(x.type)} ${from} → ${x.to.name}${x.to.stateful ? " ⚠️" : ""}`;
      }),
      "",
    );
  }
  out.push("</details>", "");
  return out;
}

function diffSection(diff: PlanDiff, max: number): string[] {
  const t = diff.totals;
  const out = [
    `**${n(t.create)} to create, ${n(t.update)} to update, ${n(t.delete)} to delete, ${n(t.replace)} replaced** (${n(t.same)} unchanged) in ${n(diff.stacks.length)} stack${diff.stacks.length === 1 ? "" : "s"}.`,
    "",
  ];
  const atRisk = diff.stacks.flatMap((d) => [
    ...d.deleted
      .filter((r) => r.stateful)
      .map((r) => `- ${code(d.stack)} delete ${code(r.type)} ${r.name}`),
    ...d.replaced
      .filter((x) => x.from.stateful)
      .map((x) =>
        x.cause === "inputs"
          ? `- ${code(d.stack)} replace ${code(x.type)} ${x.to.name} (${x.forcedBy.map(code).join(", ")} changed)`
          : `- ${code(d.stack)} replace ${code(x.type)} ${x.from.name} → ${x.to.name}`,
      ),
  ]);
  if (atRisk.length > 0) {
    out.push(
      `> [!WARNING]`,
      `> ${n(atRisk.length)} stateful resource${atRisk.length === 1 ? "" : "s"} (data or access) would be deleted or replaced:`,
      ...capped(atRisk, max, (l) => l).map((l) => `> ${l}`),
      "",
    );
  }
  out.push(
    "| stack | create | update | delete | replace | unchanged |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...diff.stacks.map(
      (d) =>
        `| ${d.stack} | ${n(d.created.length)} | ${n(d.updated.length)} | ${n(d.deleted.length)} | ${n(d.replaced.length)} | ${n(d.unchanged)} |`,
    ),
    "",
  );
  for (const d of diff.stacks) {
    if (d.created.length + d.updated.length + d.deleted.length + d.replaced.length > 0) {
      out.push(...stackDetails(d, max));
    }
  }
  return out;
}

function render(r: PlanResult, max: number, configs: string): string {
  const title =
    r.base !== undefined
      ? `### hdp plan: ${code(r.base.label)} → ${r.head.label}`
      : `### hdp plan: ${r.head.label}`;
  const out = [title, ""];
  if (r.problems.length > 0) {
    out.push(
      "> [!CAUTION]",
      `> ${n(r.problems.length)} problem${r.problems.length === 1 ? "" : "s"}:`,
      ...capped(r.problems, max, (p) =>
        // A guard finding's why and YAML are in the guard's section below.
        p.kind === "destroy"
          ? `- ${p.message.split("\n")[0]} (see below)`
          : `- ${p.message.split("\n").join(" ")}`,
      ).map((l) => `> ${l}`),
      "",
    );
  }
  if (r.policy.blocking > 0) {
    out.push(
      "> [!CAUTION]",
      `> ${n(r.policy.blocking)} mandatory violation${r.policy.blocking === 1 ? "" : "s"} of the policy pack (see Policy below): the plan fails until they are fixed or relaxed by a reviewed \`policies.relaxations\` entry.`,
      "",
    );
  }
  if (r.guard !== undefined) out.push(...guardMarkdown(r.guard, max));
  if (r.diff !== undefined) out.push(...diffSection(r.diff, max));
  else {
    out.push(
      "| stack | resources | budget |",
      "| --- | ---: | ---: |",
      ...r.head.stacks.map((s) =>
        s.ok
          ? `| ${s.stack} | ${n(s.summary.resourceCount)} | ${n(s.summary.resourceBudget)} |`
          : `| ${s.stack} | failed | |`,
      ),
      "",
    );
  }
  if (r.unchanged.length > 0) {
    out.push(
      `${n(r.unchanged.length)} stack(s) unchanged, not planned: ${r.unchanged.map(code).join(", ")}`,
      "",
    );
  }
  out.push(...policyMarkdown(r.policy, configs, max));
  return `${out.join("\n").trimEnd()}\n`;
}

/**
 * The markdown report of a plan (a diff when it has a base), under {@link MARKDOWN_BUDGET}.
 * `configs` is how config files are named in it (the configs directory as the reader sees it).
 */
export function renderMarkdown(result: PlanResult, configs = "configs"): string {
  let text = "";
  for (const max of [25, 10, 5, 2, 0]) {
    text = render(result, max, configs);
    if (text.length <= MARKDOWN_BUDGET) return text;
  }
  return `${text.slice(0, MARKDOWN_BUDGET - 40)}\n\n…report cut at ${n(MARKDOWN_BUDGET)} characters\n`;
}

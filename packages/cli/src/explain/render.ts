/** `hdp explain`, the renderers: one screen of text, or the model as JSON. */
import type { EntryExplanation, Explanation, ResourceExplanation, ResourceRef } from "./model";

const SETTING_WORDS: Readonly<Record<string, string>> = {
  pipeline: "the pipeline's own schedule",
  "table-overlay": "the table's overlay for this environment",
  table: "the table's own schedule",
  "source-overlay": "the source's overlay for this environment",
  source: "the source's schedule (default for its pipelines)",
};

const res = (r: ResourceRef): string => `${r.type} ${r.name}`;

function entryText(e: EntryExplanation): string[] {
  const lines = [`${e.entry}  (${e.classification})  declared at ${e.declaredAt}`];
  for (const env of e.environments) {
    const enabledBy =
      env.enabledBy === "default" ? "default" : `${env.enabledBy.field} at ${env.enabledBy.at}`;
    lines.push(
      "",
      `${env.environment}: ${env.enabled ? "enabled" : "disabled"} (${enabledBy}); stack ${env.stacks.join(", ") || "-"}`,
    );
    if (!env.enabled) continue;
    env.lands.forEach((l, i) =>
      lines.push(
        `  ${i === 0 ? "lands in " : "         "} ${l.layer.padEnd(8)}${l.location}${l.storage !== undefined ? `  (stored under ${l.storage})` : ""}`,
      ),
    );
    env.writers.forEach((w, i) =>
      lines.push(
        `  ${i === 0 ? "written by" : "          "} ${w.who}: ${w.what}  [${res(w.resource)}]`,
      ),
    );
    for (const l of env.loaders) {
      lines.push(
        `  loaded by  pipeline ${l.pipeline} (${l.declaredAt})` +
          (l.job !== undefined
            ? `: job ${l.job.name}${l.tasks.length > 0 ? `, tasks ${l.tasks.join(", ")}` : ""}`
            : ": no job in this environment"),
        `  when       "${l.when.cron}" ${l.when.timezone}${l.when.quartz !== undefined ? ` (Quartz "${l.when.quartz}")` : ""}${l.when.paused ? " PAUSED" : ""}`,
        `             from ${SETTING_WORDS[l.when.setting] ?? l.when.setting}: ${l.when.decidedBy.field} at ${l.when.decidedBy.at}`,
        `  DAG        ${l.dag.id}: ${l.dag.file !== undefined ? `uploaded by ${res(l.dag.file)}` : "not rendered (no DAG renderer yet)"}`,
      );
    }
    lines.push(
      `  resources  ${env.resources.length}: ${env.resources.map((r) => r.name).join(", ")}`,
    );
  }
  return lines;
}

function resourceText(e: ResourceExplanation): string[] {
  if (e.matches.length === 0) return [`no resource named ${e.query} in the planned stacks`];
  const lines: string[] = [];
  for (const m of e.matches) {
    lines.push(
      `${res(m.resource)}  (stack ${m.resource.stack})`,
      `  urn        ${m.resource.urn}`,
      `  part of    ${m.component}`,
      `  made for   ${m.entry}`,
      ...m.decidedBy.map(
        (d, i) => `  ${i === 0 ? "decided by" : "          "} ${d.at}  ${d.field}`,
      ),
      `  options    protect ${m.protect}, retainOnDelete ${m.retainOnDelete}`,
      "",
    );
  }
  return lines.slice(0, -1);
}

export function renderExplainText(e: Explanation): string {
  return `${(e.kind === "entry" ? entryText(e) : resourceText(e)).join("\n")}\n`;
}

export function renderExplainJson(e: Explanation): string {
  return `${JSON.stringify(e, null, 2)}\n`;
}

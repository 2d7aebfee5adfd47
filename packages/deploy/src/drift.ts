/**
 * `hdp drift`: a refresh preview of every stack of an environment (`preview --refresh
 * --expect-no-changes`, which writes no state), the resources whose cloud state no longer
 * matches the program, and the config entry each comes from. `--expect-no-changes` only fails
 * on changes the program would make: a refresh that changes outputs alone (a property the
 * program does not set, edited in the console) is not one, so those are listed apart and do
 * not count as drift.
 */
import type { Estate, Origin } from "@hdp/config";
import { resourceOrigins } from "@hdp/platform";
import type { RefreshPreviewOutcome, StackEngine, StackTarget, StepRecord } from "./engine";
import { urnName } from "./events";
import type { StackNode } from "./order";
import { runGraph } from "./schedule";

/** Operations a preview proposes to bring the cloud back to the program. */
const CHANGES = new Set([
  "create",
  "update",
  "delete",
  "replace",
  "create-replacement",
  "delete-replaced",
  "import",
  "import-replacement",
]);

export interface DriftedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** What the preview would do: `update` (changed in the cloud), `create` (gone), … */
  readonly op: string;
  /** Top-level properties that differ. */
  readonly diffs: readonly string[];
  /** The config entry behind the resource (undefined for the stack itself). */
  readonly origin: Origin | undefined;
}

export interface StackDrift {
  readonly stack: string;
  /** False when the preview failed: then `error` says why and nothing is known. */
  readonly ran: boolean;
  readonly error?: string;
  readonly drifted: readonly DriftedResource[];
  /** Resources whose refresh changed outputs only (not drift for `--expect-no-changes`). */
  readonly outputOnly: readonly DriftedResource[];
}

export interface DriftReport {
  readonly environment: string;
  readonly stacks: readonly StackDrift[];
}

/** The drift of one stack from its refresh preview's steps. Pure. */
export function stackDrift(
  estate: Estate,
  stack: string,
  outcome: RefreshPreviewOutcome,
): StackDrift {
  if (!outcome.ran) {
    return {
      stack,
      ran: false,
      error: outcome.error ?? "the preview failed",
      drifted: [],
      outputOnly: [],
    };
  }
  // A resource appears twice: its refresh step (what the refresh changed in the state) and its
  // preview step (what the program would change). Keep both, by URN.
  const refreshed = new Map<string, StepRecord>();
  const planned = new Map<string, StepRecord>();
  for (const s of outcome.steps) (s.op === "refresh" ? refreshed : planned).set(s.urn, s);
  const steps = [
    ...planned.values(),
    ...[...refreshed.values()].filter((s) => !planned.has(s.urn)),
  ];
  const origins = resourceOrigins(
    estate,
    stack,
    steps.map((s) => ({
      urn: s.urn,
      type: s.type,
      name: urnName(s.urn),
      parent: s.parent ?? null,
    })),
  );
  const toResource = (s: StepRecord): DriftedResource => ({
    urn: s.urn,
    type: s.type,
    name: urnName(s.urn),
    op: s.op,
    diffs: s.diffs,
    origin: s.type === "pulumi:pulumi:Stack" ? undefined : origins.get(s.urn),
  });
  const byUrnOrder = (a: DriftedResource, b: DriftedResource): number =>
    a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0;
  return {
    stack,
    ran: true,
    drifted: [...planned.values()]
      .filter((s) => CHANGES.has(s.op))
      .map(toResource)
      .sort(byUrnOrder),
    // The refresh changed the state, yet the program proposes nothing: outputs only.
    outputOnly: [...refreshed.values()]
      .filter((s) => s.diffs.length > 0 && !CHANGES.has(planned.get(s.urn)?.op ?? "same"))
      .map(toResource)
      .sort(byUrnOrder),
  };
}

/** Refresh-previews the stacks (at most `jobs` at once) and reports their drift. */
export async function detectDrift(options: {
  readonly estate: Estate;
  readonly environment: string;
  readonly nodes: readonly StackNode[];
  readonly jobs: number;
  readonly engine: StackEngine;
  readonly target: (stack: string) => StackTarget;
  readonly onStart?: (stack: string) => void;
}): Promise<DriftReport> {
  // Refresh previews write nothing: no stack waits for another.
  const independent = options.nodes.map((n) => ({ ...n, dependsOn: [] }));
  const runs = await runGraph(
    independent,
    options.jobs,
    async (stack) => {
      const outcome = await options.engine.refreshPreview(options.target(stack));
      return { ok: true, value: stackDrift(options.estate, stack, outcome) };
    },
    options.onStart,
  );
  return {
    environment: options.environment,
    stacks: runs.map(
      (r) =>
        r.value ?? {
          stack: r.stack,
          ran: false,
          error: r.reason ?? "the preview failed",
          drifted: [],
          outputOnly: [],
        },
    ),
  };
}

/** 1 when any stack drifted or could not be checked, else 0. */
export function driftExitCode(r: DriftReport): 0 | 1 {
  return r.stacks.some((s) => !s.ran || s.drifted.length > 0) ? 1 : 0;
}

const where = (o: Origin | undefined): string =>
  o === undefined ? "" : `  ${o.file}:${o.line}:${o.column}`;

const SIGN: Readonly<Record<string, string>> = { create: "+", delete: "-", update: "~" };

/** The drift report as text: per stack, each drifted resource with its config origin. */
export function renderDriftText(r: DriftReport): string {
  const out: string[] = [];
  for (const s of r.stacks) {
    if (!s.ran) {
      out.push(`${s.stack}: could not check: ${s.error ?? ""}`);
      continue;
    }
    out.push(
      s.drifted.length === 0
        ? `${s.stack}: no drift`
        : `${s.stack}: ${s.drifted.length} drifted resource(s)`,
    );
    for (const d of s.drifted) {
      const props = d.diffs.length > 0 ? `  (${d.diffs.join(", ")})` : "";
      out.push(`  ${SIGN[d.op] ?? "±"} ${d.op} ${d.type}  ${d.name}${props}${where(d.origin)}`);
    }
    if (s.outputOnly.length > 0) {
      out.push(
        `  ${s.outputOnly.length} resource(s) with output-only changes (not drift): ${s.outputOnly
          .slice(0, 5)
          .map((d) => d.name)
          .join(", ")}${s.outputOnly.length > 5 ? ", …" : ""}`,
      );
    }
  }
  const drifted = r.stacks.filter((s) => s.drifted.length > 0).length;
  const failed = r.stacks.filter((s) => !s.ran).length;
  out.push(
    "",
    `${r.environment}: drift in ${drifted} of ${r.stacks.length} stack(s)${failed > 0 ? `, ${failed} could not be checked` : ""}.`,
    "Note: `preview --refresh --expect-no-changes` ignores output-only changes (a refresh that changes outputs the program does not set); they are listed but are not drift.",
  );
  return `${out.join("\n")}\n`;
}

/** The drift report as GitHub-flavoured markdown (the nightly job's summary and issue). */
export function renderDriftMarkdown(r: DriftReport): string {
  const out = [`## Drift in \`${r.environment}\``, ""];
  out.push("| stack | drifted | output-only | status |", "| --- | ---: | ---: | --- |");
  for (const s of r.stacks) {
    out.push(
      `| \`${s.stack}\` | ${s.drifted.length} | ${s.outputOnly.length} | ${s.ran ? (s.drifted.length > 0 ? "drift" : "clean") : `not checked: ${(s.error ?? "").split("\n")[0].replace(/\|/g, "\\|")}`} |`,
    );
  }
  for (const s of r.stacks.filter((x) => x.drifted.length > 0)) {
    out.push("", `### \`${s.stack}\``, "", "| op | type | resource | properties | config |");
    out.push("| --- | --- | --- | --- | --- |");
    for (const d of s.drifted.slice(0, 200)) {
      out.push(
        `| ${d.op} | \`${d.type}\` | ${d.name} | ${d.diffs.join(", ")} | ${d.origin !== undefined ? `\`${d.origin.file}:${d.origin.line}\`` : ""} |`,
      );
    }
    if (s.drifted.length > 200) out.push("", `…and ${s.drifted.length - 200} more`);
  }
  out.push(
    "",
    "`--expect-no-changes` ignores output-only changes: they are counted above but are not drift.",
  );
  return `${out.join("\n")}\n`;
}

/**
 * Reading the Automation API's engine events (`onEvent` of `preview`/`up`, the same JSON as
 * `pulumi preview --json` event logs): the steps of a preview, and the policy findings. Pure.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { StateResource, StepRecord } from "./engine";

/** The step a `resourcePreEvent` announces; undefined for every other event. */
export function stepOf(event: EngineEvent): StepRecord | undefined {
  const m = event.resourcePreEvent?.metadata;
  if (m === undefined) return undefined;
  const diffs = m.diffs ?? (m.detailedDiff !== undefined ? Object.keys(m.detailedDiff) : []);
  return {
    urn: m.urn,
    type: m.type,
    op: m.op,
    parent: m.new?.parent || m.old?.parent || undefined,
    diffs: [...new Set(diffs.map((d) => d.split(/[.[]/)[0]))].sort(),
  };
}

/** A policy finding as one line (`pack/policy [level] urn: message`); undefined otherwise. */
export function policyLineOf(event: EngineEvent): string | undefined {
  const p = event.policyEvent;
  if (p === undefined) return undefined;
  const where = p.resourceUrn !== undefined && p.resourceUrn !== "" ? ` ${p.resourceUrn}` : "";
  return `${p.policyPackName}/${p.policyName} [${p.enforcementLevel}]${where}: ${p.message.trim()}`;
}

/** Error diagnostics of a run, in order (what to show when a stack fails). */
export function errorOf(event: EngineEvent): string | undefined {
  const d = event.diagnosticEvent;
  if (d === undefined || d.severity !== "error") return undefined;
  return `${d.urn !== undefined && d.urn !== "" ? `${d.urn}: ` : ""}${d.message.trim()}`;
}

/** The logical name in a URN (`urn:pulumi:stack::project::type::name`). */
export function urnName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i < 0 ? urn : urn.slice(i + 2);
}

/**
 * The resources of an exported stack (`Stack.exportStack()`: `{ version, deployment: {
 * manifest, resources: [{ urn, type, custom, parent, provider, … }] } }`). Fails loudly on
 * another shape: a rollback must not decide on a state it cannot read.
 */
export function stateResources(exported: unknown): StateResource[] {
  const deployment = (exported as { deployment?: { resources?: unknown } } | undefined)?.deployment;
  const resources = deployment?.resources ?? [];
  if (!Array.isArray(resources))
    throw new Error("exported stack: deployment.resources is not a list");
  return resources.map((r: unknown, i) => {
    const o = r as Record<string, unknown>;
    if (typeof o?.urn !== "string" || typeof o.type !== "string") {
      throw new Error(`exported stack: resource ${i} has no urn or type`);
    }
    const str = (v: unknown): string | undefined =>
      typeof v === "string" && v !== "" ? v : undefined;
    return { urn: o.urn, type: o.type, parent: str(o.parent), provider: str(o.provider) };
  });
}

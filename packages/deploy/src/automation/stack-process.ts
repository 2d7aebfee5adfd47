/**
 * One stack's Pulumi operation in its own process, on the Automation API. The deploy process
 * forks one of these per stack: in one process the Automation API corrupts `workspace.json`
 * when stacks are created in parallel, and fails after 5–6 parallel `LocalWorkspace`s.
 * Receives one request over IPC, replies once, exits.
 */
import {
  LocalWorkspace,
  StackNotFoundError,
  type EngineEvent,
  type Stack,
} from "@pulumi/pulumi/automation";
import type {
  RefreshPreviewOutcome,
  StackTarget,
  StateResource,
  StepRecord,
  UpOutcome,
  UpRequest,
} from "../engine";
import { errorOf, policyLineOf, stateResources, stepOf } from "../events";
import type { StackProcessReply, StackProcessRequest } from "./protocol";

const open = (t: StackTarget, create: boolean): Promise<Stack> => {
  const args = { stackName: t.stack, workDir: t.workDir };
  const opts = { envVars: { ...t.env } };
  // Static methods that use `this`: call them on the class.
  return create
    ? LocalWorkspace.createOrSelectStack(args, opts)
    : LocalWorkspace.selectStack(args, opts);
};

const packs = (t: StackTarget) => ({
  policyPacks: [t.policyPack],
  ...(t.policyPackConfig !== undefined ? { policyPackConfigs: [t.policyPackConfig] } : {}),
});

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function up(r: UpRequest): Promise<UpOutcome> {
  const policy: string[] = [];
  const errors: string[] = [];
  const onEvent = (e: EngineEvent): void => {
    const p = policyLineOf(e);
    if (p !== undefined) policy.push(p);
    const d = errorOf(e);
    if (d !== undefined) errors.push(d);
  };
  try {
    const stack = await open(r, true);
    if (r.preview) {
      const res = await stack.preview({ ...packs(r), message: r.message, onEvent, color: "never" });
      return { ok: true, changes: { ...res.changeSummary }, policy };
    }
    const res = await stack.up({ ...packs(r), message: r.message, onEvent, color: "never" });
    const ok = res.summary.result === "succeeded";
    return {
      ok,
      changes: { ...(res.summary.resourceChanges ?? {}) },
      policy,
      ...(ok ? {} : { error: errors.join("\n") || `update ${res.summary.result}` }),
    };
  } catch (e) {
    return { ok: false, changes: {}, policy, error: errors.join("\n") || message(e) };
  }
}

export async function refreshPreview(t: StackTarget): Promise<RefreshPreviewOutcome> {
  const steps: StepRecord[] = [];
  const errors: string[] = [];
  let completed = false;
  const onEvent = (e: EngineEvent): void => {
    const s = stepOf(e);
    if (s !== undefined) steps.push(s);
    const d = errorOf(e);
    if (d !== undefined) errors.push(d);
    if (e.summaryEvent !== undefined) completed = true;
  };
  try {
    const stack = await open(t, false);
    await stack.preview({
      ...packs(t),
      refresh: true,
      expectNoChanges: true,
      onEvent,
      color: "never",
    });
    return { ran: true, steps };
  } catch (e) {
    // --expect-no-changes fails a preview that proposes changes: that is drift, not a failure.
    if (completed) return { ran: true, steps };
    return { ran: false, steps, error: errors.join("\n") || message(e) };
  }
}

export async function state(t: StackTarget): Promise<readonly StateResource[]> {
  let stack: Stack;
  try {
    stack = await open(t, false);
  } catch (e) {
    if (e instanceof StackNotFoundError) return [];
    throw e;
  }
  return stateResources(await stack.exportStack());
}

async function handle(req: StackProcessRequest): Promise<StackProcessReply> {
  switch (req.op) {
    case "up":
      return { op: "up", result: await up(req.request) };
    case "refreshPreview":
      return { op: "refreshPreview", result: await refreshPreview(req.request) };
    case "state":
      return { op: "state", result: await state(req.request) };
  }
}

if (require.main === module) {
  process.once("message", (req: StackProcessRequest) => {
    void handle(req)
      .catch((e: unknown): StackProcessReply => ({ op: "error", message: message(e) }))
      .then((reply) => process.send?.(reply, () => process.disconnect()));
  });
}

/**
 * A StackEngine without Pulumi, for the orchestration's tests: records every call, fails the
 * stacks it is told to, answers refresh previews from engine events (so the real event parsing
 * runs) and state from exported stacks.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { OpCounts, StackEngine, StackTarget, UpRequest } from "../engine";
import { stateResources, stepOf } from "../events";

export interface FakeSpec {
  /** Stacks whose `up` fails. */
  readonly fail?: readonly string[];
  /** Operation counts per stack (default `{ same: 3 }`). */
  readonly changes?: Readonly<Record<string, OpCounts>>;
  /** Refresh-preview events per stack (default: none, i.e. no drift). */
  readonly events?: Readonly<Record<string, readonly EngineEvent[]>>;
  /** Stacks whose refresh preview cannot run. */
  readonly unreachable?: readonly string[];
  /** `exportStack()` per stack (default: an empty stack). */
  readonly state?: Readonly<Record<string, unknown>>;
  /** Milliseconds each `up` takes. */
  readonly delayMs?: number;
}

export interface FakeCall {
  readonly op: "up" | "refreshPreview" | "state";
  readonly stack: string;
  readonly request: StackTarget | UpRequest;
}

export function fakeEngine(spec: FakeSpec = {}): StackEngine & { calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  return {
    calls,
    up: async (request) => {
      calls.push({ op: "up", stack: request.stack, request });
      await new Promise((r) => setTimeout(r, spec.delayMs ?? 1));
      const changes = spec.changes?.[request.stack] ?? { same: 3 };
      if (spec.fail?.includes(request.stack)) {
        return {
          ok: false,
          changes: {},
          policy: [],
          error: `error: ${request.stack}: creating S3 Bucket: AccessDenied`,
        };
      }
      return { ok: true, changes, policy: [] };
    },
    refreshPreview: (target) => {
      calls.push({ op: "refreshPreview", stack: target.stack, request: target });
      if (spec.unreachable?.includes(target.stack)) {
        return Promise.resolve({
          ran: false,
          steps: [],
          error: "error: getting credentials: expired token",
        });
      }
      const events = spec.events?.[target.stack] ?? [];
      return Promise.resolve({
        ran: true,
        steps: events.map(stepOf).filter((s) => s !== undefined),
      });
    },
    state: (target) => {
      calls.push({ op: "state", stack: target.stack, request: target });
      return Promise.resolve(
        stateResources(spec.state?.[target.stack] ?? { version: 3, deployment: {} }),
      );
    },
  };
}

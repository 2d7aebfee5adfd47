/**
 * The inventory of a plan: every resource of every planned stack, in a deterministic order
 * (stacks by name, resources by URN), rendered as canonical JSON. The same configs and code
 * give the same bytes.
 */
import { canonicalJson, canonicalJsonBytes } from "./canonical-json";
import type { RecordedResource } from "@hdp/recorder";
import { SECRET_MASK } from "@hdp/recorder";

/** Version of the inventory format; part of every cache key. */
export const INVENTORY_FORMAT = 1;

/** One resource of a stack's inventory. */
export interface InventoryResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  /** False for component resources. */
  readonly custom: boolean;
  /** True for resources the stack reads and does not manage (`StackReference`). */
  readonly read: boolean;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: readonly string[];
  /** Dependencies not implied by an input (the explicit `dependsOn`), sorted. */
  readonly dependsOn: readonly string[];
  readonly provider: string | null;
  /** Inputs as sent to the engine; secrets are `"[secret]"`. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** One planned stack. */
export interface StackInventory {
  readonly stack: string;
  readonly environment: string;
  /** `core`, a shard id, or null for an unsharded environment. */
  readonly shard: string | null;
  readonly resourceBudget: number;
  readonly resourceCount: number;
  /** The stack's exports (secret ones masked). */
  readonly exports: Readonly<Record<string, unknown>>;
  readonly resources: readonly InventoryResource[];
}

/** Counts of one stack, kept beside its inventory so a cached stack needs no parsing. */
export interface StackSummary {
  readonly stack: string;
  readonly environment: string;
  readonly shard: string | null;
  readonly resourceBudget: number;
  readonly resourceCount: number;
  /** Resources per type, keys sorted. */
  readonly byType: Readonly<Record<string, number>>;
}

/** A resource's inventory entry; fields in canonical order, so rendering copies nothing more. */
export function inventoryResource(r: RecordedResource): InventoryResource {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    custom: r.custom,
    deleteBeforeReplace: r.deleteBeforeReplace,
    dependsOn: r.dependsOn,
    ignoreChanges: r.ignoreChanges,
    inputs: r.inputs,
    parent: r.parent ?? null,
    protect: r.protect,
    provider: r.provider ?? null,
    read: r.read,
    retainOnDelete: r.retainOnDelete,
  };
}

const byUrn = (a: { urn: string }, b: { urn: string }): number =>
  a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0;

/** Builds a stack's inventory from its recording: resources sorted by URN, secrets masked. */
export function stackInventory(args: {
  stack: string;
  environment: string;
  shard: string | undefined;
  resourceBudget: number;
  resources: readonly RecordedResource[];
  exports: Readonly<Record<string, unknown>>;
  secretExports: readonly string[];
}): StackInventory {
  const exports: Record<string, unknown> = {};
  for (const k of Object.keys(args.exports).sort()) {
    exports[k] = args.secretExports.includes(k) ? SECRET_MASK : args.exports[k];
  }
  return {
    stack: args.stack,
    environment: args.environment,
    exports,
    resourceBudget: args.resourceBudget,
    resourceCount: args.resources.length,
    resources: args.resources.map(inventoryResource).sort(byUrn),
    shard: args.shard ?? null,
  };
}

export function summarize(inv: StackInventory): StackSummary {
  const counts = new Map<string, number>();
  for (const r of inv.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const byType: Record<string, number> = {};
  for (const t of [...counts.keys()].sort()) byType[t] = counts.get(t) ?? 0;
  return {
    stack: inv.stack,
    environment: inv.environment,
    shard: inv.shard,
    resourceBudget: inv.resourceBudget,
    resourceCount: inv.resourceCount,
    byType,
  };
}

/** Depth at which stack entries sit in the inventory document (`{ "stacks": [ <here> ] }`). */
const STACK_DEPTH = 2;

/** A stack's entry, rendered to paste into {@link renderInventory}'s `stacks` list. */
export const renderStack = (inv: StackInventory): string => canonicalJson(inv, STACK_DEPTH);

/** {@link renderStack}'s bytes (UTF-8), for a cache entry. */
export const renderStackBytes = (inv: StackInventory): Buffer =>
  canonicalJsonBytes(inv, STACK_DEPTH);

/**
 * The inventory document in pieces, one stack entry at a time (stacks sorted here by name), so
 * a caller can write an inventory of any size without holding it: the whole document of the
 * health-system preset (2.46 GB) is beyond V8's longest string. Each stack's `json()` is called
 * once, when its turn comes (a cached stack is read back from disk then). The pieces joined are
 * exactly {@link renderInventory}'s bytes; the longest piece is one stack entry.
 */
export function* inventoryPieces(
  project: string,
  stacks: readonly { stack: string; json: () => string }[],
): Generator<string, void, undefined> {
  const sorted = [...stacks].sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
  const head = `{\n  "format": ${INVENTORY_FORMAT},\n  "project": ${JSON.stringify(project)},\n  "stacks": `;
  if (sorted.length === 0) {
    yield `${head}[]\n}\n`;
    return;
  }
  yield `${head}[\n`;
  for (const [i, s] of sorted.entries()) {
    yield `${i === 0 ? "" : ",\n"}    `;
    yield s.json();
  }
  yield "\n  ]\n}\n";
}

/**
 * The whole inventory document from rendered stack entries (sorted here by stack name), so
 * cached stacks are pasted in without parsing them. One string: for small plans and tests;
 * write large ones with {@link inventoryPieces}.
 */
export function renderInventory(
  project: string,
  stacks: readonly { stack: string; json: string }[],
): string {
  return [
    ...inventoryPieces(
      project,
      stacks.map((s) => ({ stack: s.stack, json: () => s.json })),
    ),
  ].join("");
}

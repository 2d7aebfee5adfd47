// @hdp/plan: the offline plan — the program under Pulumi's mock runtime -> inventory, policy,
// diff, guard, report. This file is the package's one door; everything else is internal.
// Folders: run/ (pool, worker, schedule, cache, progress), revisions/ (git, code hash, slices,
// changed-since), inventory/ (inventory, identity, diff, canonical JSON), guard/, policy/,
// report/ (text and markdown renderers). The recorder is @hdp/recorder.
import type { Estate } from "@hdp/config";
import type * as RunStackModule from "./run/run-stack";

// Plan stacks (and diff them against another revision).
export {
  plan,
  PlanConfigError,
  PlanUsageError,
  GitError,
  type PlanOptions,
  type PlanProblem,
  type PlanResult,
  type PlanStats,
  type RevisionPlan,
} from "./planner";
export type { PlanEvent, StackResult } from "./run/schedule";

// What a stack plan holds: its inventory (one JSON document per stack, canonical bytes).
export {
  INVENTORY_FORMAT,
  renderInventory,
  type InventoryResource,
  type StackInventory,
  type StackSummary,
} from "./inventory/inventory";
export { isStateful, physicalIdentity } from "./inventory/identity";
/** The canonical bytes of an inventory document (sorted keys, resource fields first; see the README). */
export { canonicalJson } from "./inventory/canonical-json";
export { sliceHash } from "./revisions/slices";

// The diff of two plans.
export type {
  PlanDiff,
  Replacement,
  ResourceRef,
  ResourceUpdate,
  StackDiff,
  TypeCounts,
} from "./inventory/diff";
// Which input changes force a replacement, per resource type, with the provider sources.
export {
  REPLACEMENT_FREE_TYPES,
  REPLACEMENT_RULES,
  replacingPaths,
  type ReplacementRule,
} from "./inventory/replacements";

// The destructive-change guard.
export {
  allowYaml,
  GUARDED_TYPES,
  type GuardAllowed,
  type GuardEnvironment,
  type GuardFinding,
  type GuardFix,
  type GuardKind,
  type GuardReport,
  type GuardTarget,
  type UnusedAllowance,
} from "./guard/guard";
export type { ConfigChange } from "./guard/config-changes";

// The policy pack's findings over the recordings.
export type { PolicyFinding, PolicyReport, RelaxationInForce } from "./policy/policy";

// Renderers: terminal text, the PR comment, live progress.
export { renderMarkdown, MARKDOWN_BUDGET } from "./report/markdown";
export { guardMarkdown, guardText } from "./report/guard-report";
export { policyMarkdown, policySummary, policyText } from "./report/policy-report";
export { progressDisplay, isInteractive, type ProgressDisplay } from "./run/progress";

// One stack in this process, without the worker pool or the cache (benchmarks, tools).
export type {
  BuildStack,
  StackJob,
  StackOutcome,
  StackPlanned,
  StackFailed,
} from "./run/run-stack";

/**
 * Plans one stack in this process: `job.programModule` under the recorder, then the policy pack.
 * Loads the Pulumi SDK on first call (importing this package does not).
 */
export function runStack(
  estate: Estate,
  job: RunStackModule.StackJob,
  onProgress?: (recorded: number) => void,
): Promise<RunStackModule.StackOutcome> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: the SDK only where stacks run
  const m = require("./run/run-stack") as typeof RunStackModule;
  return m.runStack(estate, job, onProgress);
}

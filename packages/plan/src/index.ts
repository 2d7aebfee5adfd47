// @hdp/plan: the offline plan — the program under Pulumi's mock runtime -> inventory, diff, report.
export {
  plan,
  selectStacks,
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
export {
  diffInventories,
  diffPlans,
  changedPaths,
  type PlanDiff,
  type Replacement,
  type ResourceRef,
  type ResourceUpdate,
  type StackDiff,
  type TypeCounts,
} from "./inventory/diff";
export { isStateful, physicalIdentity } from "./inventory/identity";
export {
  INVENTORY_FORMAT,
  renderInventory,
  renderStack,
  stackInventory,
  summarize,
  type InventoryResource,
  type StackInventory,
  type StackSummary,
} from "./inventory/inventory";
export { canonicalJson } from "./inventory/canonical-json";
export { renderMarkdown, MARKDOWN_BUDGET } from "./report/markdown";
export {
  allowYaml,
  guardChanges,
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
export { findingMessage, guardMarkdown, guardText } from "./report/guard-report";
export {
  policyReport,
  stackPolicyContext,
  type PolicyFinding,
  type PolicyReport,
  type RelaxationInForce,
} from "./policy/policy";
export {
  groupByRule,
  policyMarkdown,
  policySummary,
  policyText,
  whereOf,
  type RuleGroup,
} from "./report/policy-report";
export { progressDisplay, isInteractive, type ProgressDisplay } from "./run/progress";
export { stackSlice, sliceHash } from "./revisions/slices";
// Types only: run-stack loads the SDK, which only workers need.
export type { BuildStack, StackJob, StackOutcome, StackPlanned, StackFailed } from "./run/run-stack";
export { WorkerPool, workerExecArgv, type PoolOptions, type JobResult } from "./run/pool";
export type { RecordedResource, StackOutputs } from "@hdp/recorder";
export { SECRET_MASK, UNKNOWN_MARK } from "@hdp/recorder";
// The recorder itself (it loads @pulumi/pulumi): import from "@hdp/plan/recorder".

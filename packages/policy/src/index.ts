// @hdp/policy: the policy pack. Same rules in `pulumi preview --policy-pack` and `hdp plan`.
// This module never constructs a PolicyPack (src/pack.ts, the pack's entry point, does).
export { policies, ruleNames, policyNamed } from "./policies";
export {
  evaluate,
  blockingResults,
  summarizeResults,
  unusedRelaxations,
  type EvaluatedResource,
  type EvaluateOptions,
  type PolicyResult,
} from "./evaluate";
export {
  contextFromEstate,
  policyPackConfig,
  type EstateContextOptions,
  type PolicyPackConfigEntry,
} from "./pack-config";
export {
  CONFIG_SCHEMA,
  DEFAULT_LTS_RUNTIMES,
  DEFAULT_MAX_WORKERS,
  environmentTier,
  resolveContext,
  type ConfigKey,
  type Enforcement,
  type PhiMode,
  type PolicyContext,
  type PolicyRelaxation,
  type RuleContext,
  type Tier,
} from "./context";
export {
  ACCOUNT_QUOTA_TYPES,
  QUOTA_DEFAULTS,
  accountQuotasExceeded,
  type QuotaLimits,
  type QuotaUsage,
} from "./quotas";
export type {
  HdpPolicy,
  HdpResourcePolicy,
  HdpStackPolicy,
  ResourceView,
  RuleDoc,
  StackFinding,
  StackResource,
} from "./define";
export { packConfigFiles } from "./pack-config-files";
export { renderRuleTable } from "./rule-table";
export {
  ANCHOR_RULES,
  coverage,
  renderCoverageTable,
  type Anchor,
  type AnchorRule,
  type CoverageRow,
} from "./coverage";
export { HIPAA_CONFORMANCE_PACK } from "./anchor-packs";
export { UNKNOWN, snapshot } from "./values";

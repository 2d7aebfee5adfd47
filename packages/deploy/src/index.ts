// @hdp/deploy: deploy, rollback and drift on the Pulumi Automation API, with a deploy ledger.
export type {
  OpCounts,
  RefreshPreviewOutcome,
  StackEngine,
  StackTarget,
  StateResource,
  StepRecord,
  UpOutcome,
  UpRequest,
} from "./engine";
export { deployGraph, DeployUsageError, type StackNode } from "./order";
export {
  checkGraph,
  runGraph,
  type ScheduledRun,
  type StackResultOf,
  type StackStatus,
} from "./schedule";
export {
  currentRevision,
  environmentRuns,
  lastGoodRun,
  LEDGER_FORMAT,
  LedgerFormatError,
  NoRollbackTarget,
  parseLedger,
  renderEntries,
  resourcesAfter,
  type LedgerEntry,
  type LedgerRun,
  type RunKind,
} from "./ledger";
export {
  backendUrl,
  fileLedger,
  LEDGER_FILE,
  ledgerLocation,
  parseS3Url,
  type LedgerStore,
} from "./ledger-store";
export { s3Ledger } from "./s3-ledger";
export {
  deploy,
  deployExitCode,
  renderDeployText,
  stackTarget,
  type DeployOptions,
  type DeploySummary,
  type Revision,
} from "./deploy";
export {
  detectDrift,
  driftExitCode,
  renderDriftMarkdown,
  renderDriftText,
  stackDrift,
  type DriftedResource,
  type DriftReport,
  type StackDrift,
} from "./drift";
export {
  droppedProviders,
  providerPackage,
  renderRefusal,
  rollback,
  type Checkout,
  type RevisionCheck,
  type RollbackHost,
  type RollbackOptions,
  type RollbackResult,
} from "./rollback";
export { errorOf, policyLineOf, stateResources, stepOf, urnName } from "./events";
export { repositoryRoot, resolveRevision, workingRevision } from "./git";
export {
  gitRollbackHost,
  installCommand,
  packageOfType,
  providersOf,
  unchangedSince,
} from "./host";
export { automationEngine, type AutomationEngineOptions } from "./automation/engine";

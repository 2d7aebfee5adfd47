/**
 * The seam between the orchestration (order, parallelism, ledger, rollback, drift) and Pulumi.
 * The real implementation ({@link automationEngine}) runs each call in its own process on the
 * Automation API; tests pass a fake. Everything here is plain data that crosses a process
 * boundary as JSON.
 */

/** Operations and how many resources each touched (`OpMap` of `@pulumi/pulumi/automation`). */
export type OpCounts = Readonly<Record<string, number>>;

/** One stack of one project directory, and the policy pack that runs with it. */
export interface StackTarget {
  /** Pulumi stack name (`dev`, `prod-core`, …). */
  readonly stack: string;
  /** The project directory (holds `Pulumi.yaml`). */
  readonly workDir: string;
  /** The policy pack's directory (`packages/policy` of `workDir`). */
  readonly policyPack: string;
  /** The pack's config for the stack's environment, when there is one. */
  readonly policyPackConfig: string | undefined;
  /** Environment variables for the Pulumi program (added to the current ones). */
  readonly env: Readonly<Record<string, string>>;
}

export interface UpRequest extends StackTarget {
  /** `pulumi preview` instead of `pulumi up`. */
  readonly preview: boolean;
  /** The update's message (shown in the backend's history). */
  readonly message: string;
}

/** What `up` (or `preview`) of one stack did. */
export interface UpOutcome {
  readonly ok: boolean;
  /** Resources per operation (`summary.resourceChanges`, or a preview's `changeSummary`). */
  readonly changes: OpCounts;
  /** Mandatory or advisory policy findings reported during the run (`pack/policy: message`). */
  readonly policy: readonly string[];
  /** Why it failed (the engine's diagnostics or the error), when it did. */
  readonly error?: string;
}

/** One step of a preview, as the engine reported it in a `resourcePreEvent`. */
export interface StepRecord {
  readonly urn: string;
  readonly type: string;
  readonly op: string;
  /** The parent URN (for the config origin of the resource). */
  readonly parent: string | undefined;
  /** Top-level properties that differ (`diffs`), or the keys forcing replacement. */
  readonly diffs: readonly string[];
}

/** A refresh preview of one stack (`preview --refresh --expect-no-changes`): writes no state. */
export interface RefreshPreviewOutcome {
  /** False when the preview could not run (not when it found changes). */
  readonly ran: boolean;
  readonly steps: readonly StepRecord[];
  readonly error?: string;
}

/** A resource in a stack's current state (`exportStack().deployment.resources`). */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly parent: string | undefined;
  /** The provider reference (`<provider urn>::<id>`), for custom resources. */
  readonly provider: string | undefined;
}

/** Pulumi, as the orchestration sees it. Implementations never throw for a failed stack. */
export interface StackEngine {
  up(request: UpRequest): Promise<UpOutcome>;
  refreshPreview(target: StackTarget): Promise<RefreshPreviewOutcome>;
  /** The stack's resources; empty when the stack does not exist yet. */
  state(target: StackTarget): Promise<readonly StateResource[]>;
}

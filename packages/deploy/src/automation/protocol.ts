/** Messages between the deploy process and a stack process (JSON over the IPC channel). */
import type {
  RefreshPreviewOutcome,
  StackTarget,
  StateResource,
  UpOutcome,
  UpRequest,
} from "../engine";

export type StackProcessRequest =
  | { readonly op: "up"; readonly request: UpRequest }
  | { readonly op: "refreshPreview"; readonly request: StackTarget }
  | { readonly op: "state"; readonly request: StackTarget };

export type StackProcessReply =
  | { readonly op: "up"; readonly result: UpOutcome }
  | { readonly op: "refreshPreview"; readonly result: RefreshPreviewOutcome }
  | { readonly op: "state"; readonly result: readonly StateResource[] }
  | { readonly op: "error"; readonly message: string };

/** The result type of each operation. */
export interface StackProcessResults {
  readonly up: UpOutcome;
  readonly refreshPreview: RefreshPreviewOutcome;
  readonly state: readonly StateResource[];
}

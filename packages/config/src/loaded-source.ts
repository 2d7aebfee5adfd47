/**
 * The shapes the loader hands to the cross-file checks (its own module, below both, so that
 * load -> checks -> name-checks -> pipelines never point back at load).
 */
import type { Origin } from "./errors";
import type { SourceConfig } from "./schema";

/** A source as loaded, before cross-file checks: the config plus where it came from. */
export interface LoadedSource {
  readonly config: SourceConfig;
  readonly file: string;
  readonly dir: string;
  readonly origin: Origin;
  readonly pipelineOrigins: readonly Origin[];
}

/**
 * `buildStack`: every resource of one stack in the current Pulumi context, from the estate
 * alone (never files, `pulumi.Config` or the process environment), returning the stack's exports.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_PROJECT, DEFAULT_PULUMI_ORG, type Estate } from "@hdp/config";
import { createCore } from "./core";
import { ingestCode, type IngestCodeFile } from "./ingest-code";
import { planStack } from "./plan";
import { createProviders } from "./providers";
import { refsFromStackReference, stackIdentity, type StackExports } from "./refs";
import { createSources } from "./sources";
import { coreStackName, stackReferenceName } from "./stacks";

export type { StackExports };

/** Options of {@link buildStack}. */
export interface BuildOptions {
  /** Organization part of StackReference names ("<org>/<project>/<stack>"). @default "organization" */
  readonly pulumiOrg?: string;
  /** @default "health-data-platform" */
  readonly project?: string;
  /**
   * The ingest code deployed to the workspace (core stacks).
   * @default this package's copy of `hdp_pipelines` (see `ingestCode`)
   */
  readonly ingestCode?: readonly IngestCodeFile[];
}

export { DEFAULT_PROJECT, DEFAULT_PULUMI_ORG };

/**
 * Creates every resource of one stack in the current Pulumi context; resolves to the stack's
 * exports. A stack the estate does not have (or cannot plan) throws at once, before any resource
 * is created. The sources are created a few at a time (see `createSources`), so the program is
 * asynchronous: the root program exports the promise, which Pulumi awaits.
 */
export function buildStack(
  estate: Estate,
  stackName: string,
  options: BuildOptions = {},
): Promise<StackExports> {
  const plan = planStack(estate, stackName);
  const providers = createProviders(estate, plan);
  switch (plan.role) {
    case "all": {
      const core = createCore(plan, providers, options.ingestCode ?? ingestCode());
      return createSources(plan, core.refs, providers).then((s) => ({ ...core.exports, ...s }));
    }
    case "core":
      return Promise.resolve(
        createCore(plan, providers, options.ingestCode ?? ingestCode()).exports,
      );
    case "shard": {
      if (plan.sources.length === 0) return Promise.resolve(stackIdentity(plan));
      const core = coreStackName(estate, plan.environment.name) as string;
      const ref = new pulumi.StackReference("core", {
        name: stackReferenceName(
          options.pulumiOrg ?? DEFAULT_PULUMI_ORG,
          options.project ?? DEFAULT_PROJECT,
          core,
        ),
      });
      return createSources(plan, refsFromStackReference(ref), providers).then((s) => ({
        ...stackIdentity(plan),
        ...s,
      }));
    }
  }
}

/**
 * `buildStack`: every resource of one stack in the current Pulumi context, from the estate
 * alone (never files, `pulumi.Config` or the process environment), returning the stack's exports.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Estate } from "@hdp/config";
import { createCore } from "./core";
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
}

/** The project name of the root program (Pulumi.yaml). */
export const DEFAULT_PROJECT = "health-data-platform";
/** The organization of DIY backends and the default of `pulumi.getOrganization()`. */
export const DEFAULT_PULUMI_ORG = "organization";

/** Creates every resource of one stack in the current Pulumi context; returns the stack's exports. */
export function buildStack(
  estate: Estate,
  stackName: string,
  options: BuildOptions = {},
): StackExports {
  const plan = planStack(estate, stackName);
  const providers = createProviders(estate, plan);
  switch (plan.role) {
    case "all": {
      const core = createCore(plan, providers);
      return { ...core.exports, ...createSources(plan, core.refs, providers) };
    }
    case "core":
      return createCore(plan, providers).exports;
    case "shard": {
      if (plan.sources.length === 0) return stackIdentity(plan);
      const core = coreStackName(estate, plan.environment.name) as string;
      const ref = new pulumi.StackReference("core", {
        name: stackReferenceName(
          options.pulumiOrg ?? DEFAULT_PULUMI_ORG,
          options.project ?? DEFAULT_PROJECT,
          core,
        ),
      });
      return {
        ...stackIdentity(plan),
        ...createSources(plan, refsFromStackReference(ref), providers),
      };
    }
  }
}

/**
 * The real program plus one careless resource: a KMS key without rotation ("archive-key"), tagged
 * like the rest of its stack, so policy tests see exactly one finding (`kms-key-rotation`).
 */
import * as kms from "@pulumi/aws/kms";
import type { Estate } from "@hdp/config";
import { buildStack as platformBuildStack, resourceOrigins } from "@hdp/platform";

export { resourceOrigins };

export async function buildStack(
  estate: Estate,
  stack: string,
  options?: { readonly pulumiOrg?: string; readonly project?: string },
): Promise<Readonly<Record<string, unknown>>> {
  const exports = await platformBuildStack(estate, stack, options);
  const env = estate.environments.find((e) => e.stacks.some((s) => s.name === stack));
  if (env !== undefined) {
    new kms.Key("archive-key", {
      description: "2019 archive",
      enableKeyRotation: false,
      tags: {
        owner: "platform@example.org",
        domain: "clinical",
        "data-classification": "phi",
        environment: env.name,
        "cost-center": "CC-1001",
      },
    });
  }
  return exports;
}

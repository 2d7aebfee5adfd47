/**
 * The Pulumi program: the estate under configs/ (validated, every error reported at once) and the
 * stack's name decide everything; @hdp/platform creates the stack's resources.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadEstateOrThrow } from "@hdp/config";
import { buildStack } from "@hdp/platform";

const estate = loadEstateOrThrow(path.join(__dirname, "configs"));

export = buildStack(estate, pulumi.getStack(), {
  pulumiOrg: pulumi.getOrganization(),
  project: pulumi.getProject(),
});

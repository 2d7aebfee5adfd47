/** A program that fails for the stacks of one source: its error must reach the plan's problems. */
import * as pulumi from "@pulumi/pulumi";
import type { Estate } from "@hdp/config";
import { buildStack as standin, type BuildOptions } from "./standin-program";

export function buildStack(
  estate: Estate,
  stackName: string,
  options: BuildOptions = {},
): Record<string, unknown> {
  const exports = standin(estate, stackName, options);
  if (stackName === "dev") {
    pulumi.output("x").apply(() => {
      throw new Error("the dev stack cannot be built");
    });
  }
  return exports;
}
